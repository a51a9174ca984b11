package io.has.db;

import io.has.process.ProcessResult;
import io.has.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the dialect's commands against one data directory and answers the questions that need no
 * SQL: is the server process alive, what does the control file say (cached until the control file
 * changes). Every command has a deadline; failures become {@link DbException}s carrying the command's
 * stderr tail.
 */
final class ServerControl {

    private static final Logger log = LoggerFactory.getLogger(ServerControl.class);
    static final Duration SHORT_TIMEOUT = Duration.ofSeconds(30);

    private final Dialect dialect;
    private final ProcessRunner runner;
    private final ServerPaths paths;
    private final int pgCtlTimeout;
    private final String who;
    private final PostmasterWatch watch;
    private ControlData cachedControl; // guarded by this
    private FileTime cachedControlTime; // guarded by this

    ServerControl(Dialect dialect, ProcessRunner runner, ServerPaths paths, int pgCtlTimeout, String who,
            PostmasterWatch watch) {
        this.dialect = dialect;
        this.runner = runner;
        this.paths = paths;
        this.pgCtlTimeout = pgCtlTimeout;
        this.who = who;
        this.watch = watch;
    }

    /** The last postmaster seen alive, until stopped through pg_ctl (0: none). */
    private volatile long lastPostmasterPid;

    /** The postmaster last found alive, and the lock file (as stat(2) saw it before) that named it. */
    private record Seen(ProcessHandle process, BasicFileAttributes lockFile) {
    }

    private volatile Seen seen;

    /**
     * True when the lock file names a live server process (an exited one that is not reaped yet is
     * not alive). Points the postmaster watch at it, so every start — by HAS or by hand — is watched
     * from the first probe that sees it.
     *
     * <p>Once the watch holds the process's pidfd, a probe whose lock file is unchanged (same inode,
     * size and modification time) answers from that alone: one stat(2) each HA cycle instead of reading
     * the lock file and /proc. Any change of the file, an exit, or a watch that does not work here
     * means the full check.
     */
    boolean postmasterAlive() {
        Path lockFile = dialect.pidFile(paths.dataDir());
        BasicFileAttributes before = attributes(lockFile);
        Seen s = seen;
        if (s != null && before != null && sameFile(s.lockFile(), before) && watch.armedOn(s.process())) {
            return true;
        }
        seen = null;
        Optional<ProcessHandle> pm = postmaster();
        pm.ifPresent(h -> {
            lastPostmasterPid = h.pid();
            watch.watch(h);
            if (before != null) {
                seen = new Seen(h, before); // read before the pid: a later rewrite only forces a full check
            }
        });
        return pm.isPresent();
    }

    private static BasicFileAttributes attributes(Path file) {
        try {
            return Files.readAttributes(file, BasicFileAttributes.class);
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean sameFile(BasicFileAttributes a, BasicFileAttributes b) {
        return a.fileKey() != null && Objects.equals(a.fileKey(), b.fileKey()) && a.size() == b.size()
                && a.lastModifiedTime().equals(b.lastModifiedTime());
    }

    private Optional<ProcessHandle> postmaster() {
        OptionalLong pid = dialect.postmasterPid(paths.dataDir());
        if (pid.isEmpty()) {
            return Optional.empty();
        }
        return ProcessHandle.of(pid.getAsLong())
                .filter(ProcessHandle::isAlive)
                .filter(h -> h.info().command()
                        .map(c -> Path.of(c).getFileName().toString().equals(dialect.serverExecutableName()))
                        .orElse(true)) // command hidden (another user, we are not root): trust the pid
                .filter(h -> !PostmasterWatch.isZombie(h.pid()));
    }

    /**
     * How many processes of a server whose postmaster has died still run. Backends and WAL senders
     * outlive a killed postmaster until they notice, and meanwhile can still commit and send WAL; they
     * stay attached to the shared memory segment the lock file names. 0 without a lock file, a segment
     * or a readable segment table. Meaningful only while the postmaster is not alive.
     */
    int leftoverProcesses() {
        return dialect.sharedMemory(paths.dataDir())
                .map(segment -> SysvSharedMemory.attachments(SysvSharedMemory.TABLE, segment))
                .orElse(0);
    }

    /** The control data, re-read only when the control file changed. */
    synchronized ControlData controlData() throws DbException {
        FileTime mtime;
        try {
            mtime = Files.getLastModifiedTime(dialect.controlFile(paths.dataDir()));
        } catch (IOException e) {
            throw new DbException("cannot read the control file of " + paths.dataDir() + ": " + e.getMessage(), e);
        }
        if (cachedControl == null || !mtime.equals(cachedControlTime)) {
            List<String> cmd = dialect.controlDataCommand(paths.dataDir());
            ControlData cd;
            if (cmd.isEmpty()) {
                try {
                    cd = dialect.readControlFile(paths.dataDir());
                } catch (IOException e) {
                    throw new DbException("cannot read the control file of " + paths.dataDir() + ": "
                            + e.getMessage(), e);
                }
            } else {
                cd = dialect.parseControlData(runOk("reading control data", cmd, SHORT_TIMEOUT, Map.of()).stdout());
            }
            cachedControl = dialect.completeControlData(paths.dataDir(), cd);
            cachedControlTime = mtime;
        }
        return cachedControl;
    }

    /** Drops the cached control data (after anything that may rewrite the control file). */
    synchronized void forgetControlData() {
        cachedControl = null;
    }

    /**
     * Starts the server and waits until it accepts connections (or is at least still starting).
     *
     * @param standby     start in recovery
     * @param commandLine parameters for the server's command line
     */
    void start(boolean standby, Map<String, String> commandLine) throws DbException {
        awaitCrashedPostmasterReaped();
        prepareLogFile();
        long notBefore = System.currentTimeMillis() / 1000;
        long previousPid = dialect.postmasterPid(paths.dataDir()).orElse(0);
        // pg_ctl -w looks every 100 ms; the lock file tells as soon as the server is up
        Optional<ProcessResult> result = runUntil(
                dialect.startCommand(paths.dataDir(), paths.logFile(), pgCtlTimeout, standby, commandLine),
                Duration.ofSeconds(pgCtlTimeout + 15L), Map.of(),
                () -> dialect.lockFileSaysStarted(paths.dataDir(), notBefore, previousPid));
        forgetControlData();
        boolean alive = postmasterAlive(); // also watches the new postmaster at once
        if (result.isEmpty()) {
            return;
        }
        ProcessResult r = result.get();
        if (r.ok()) {
            return;
        }
        if (alive) {
            log.warn("{} server not ready within {} s but still starting; check {}", who, pgCtlTimeout,
                    paths.logFile());
            return;
        }
        throw new DbException("start failed: " + r.describe() + logTail());
    }

    /**
     * A crashed postmaster that exited but is not reaped yet (a zombie) still counts for the server's
     * own lock-file check ("lock file postmaster.pid already exists"): wait, up to pg_ctl_timeout, for
     * init to reap it. Immediate under systemd; where PID 1 reaps orphans lazily (this project's test
     * containers: one to two seconds), the start waits that long.
     */
    void awaitCrashedPostmasterReaped() throws DbException {
        // the lock file's pid, else the last postmaster seen alive: a re-clone removed the lock file, but
        // the socket's lock file outside the data directory still names the zombie
        OptionalLong pid = dialect.postmasterPid(paths.dataDir());
        if (pid.isEmpty() || !PostmasterWatch.isZombie(pid.getAsLong())) {
            pid = lastPostmasterPid > 0 ? OptionalLong.of(lastPostmasterPid) : OptionalLong.empty();
        }
        if (pid.isEmpty() || !PostmasterWatch.isZombie(pid.getAsLong())) {
            return;
        }
        log.info("{} waiting for the exited postmaster (pid {}) to be reaped before starting", who, pid.getAsLong());
        long started = System.nanoTime();
        long deadline = started + TimeUnit.SECONDS.toNanos(pgCtlTimeout);
        while (PostmasterWatch.isZombie(pid.getAsLong())) {
            if (System.nanoTime() > deadline) {
                throw new DbException("the exited postmaster (pid " + pid.getAsLong() + ") is still not reaped after "
                        + pgCtlTimeout + " s; the server cannot start before (does PID 1 reap orphans?)");
            }
            try {
                TimeUnit.MILLISECONDS.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DbException("interrupted while waiting for the exited postmaster to be reaped", e);
            }
        }
        log.info("{} the exited postmaster was reaped after {} ms", who,
                TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started));
    }

    /** Stops the server; succeeds when it is gone afterwards, whatever the command said. */
    void stop(StopMode mode) throws DbException {
        stop(mode, pgCtlTimeout);
    }

    /**
     * Stops within {@code timeoutSeconds}; when the server is still alive after that and
     * {@code killOnTimeout}, the postmaster is killed with SIGKILL (Patroni's primary_stop_timeout).
     */
    void stop(StopMode mode, int timeoutSeconds, boolean killOnTimeout) throws DbException {
        try {
            stop(mode, timeoutSeconds);
        } catch (DbException e) {
            if (!killOnTimeout || !postmasterAlive()) {
                throw e;
            }
        }
        if (killOnTimeout && postmasterAlive()) {
            OptionalLong pid = dialect.postmasterPid(paths.dataDir());
            if (pid.isPresent()) {
                ProcessHandle.of(pid.getAsLong()).ifPresent(ProcessHandle::destroyForcibly);
                run(List.of("kill", "-9", String.valueOf(pid.getAsLong())), SHORT_TIMEOUT, Map.of());
            }
            forgetControlData();
        }
    }

    private void stop(StopMode mode, int timeoutSeconds) throws DbException {
        ProcessResult r = run(dialect.stopCommand(paths.dataDir(), mode, timeoutSeconds),
                Duration.ofSeconds(timeoutSeconds + 15L), Map.of());
        forgetControlData();
        if (!r.ok() && postmasterAlive()) {
            throw new DbException("stop failed: " + r.describe());
        }
        if (r.ok()) {
            lastPostmasterPid = 0; // a stopped postmaster removed its lock files: no need to wait for its reaping
        }
    }

    /** Makes the running server re-read its configuration. */
    void reload() throws DbException {
        runOk("reload", dialect.reloadCommand(paths.dataDir()), SHORT_TIMEOUT, Map.of());
    }

    private void prepareLogFile() {
        try {
            if (!Files.exists(paths.logFile())) {
                Files.createFile(paths.logFile());
            }
            runner.chown(paths.logFile());
        } catch (IOException e) {
            log.warn("{} cannot create {}: {}", who, paths.logFile(), e.getMessage());
        }
    }

    private String logTail() {
        try {
            List<String> lines = Files.readAllLines(paths.logFile());
            List<String> tail = lines.subList(Math.max(0, lines.size() - 15), lines.size());
            return tail.isEmpty() ? "" : "\nlast lines of " + paths.logFile() + ":\n" + String.join("\n", tail);
        } catch (IOException e) {
            return "";
        }
    }

    ProcessResult run(List<String> cmd, Duration timeout, Map<String, String> env) throws DbException {
        return runUntil(cmd, timeout, env, null).orElseThrow();
    }

    private Optional<ProcessResult> runUntil(List<String> cmd, Duration timeout, Map<String, String> env,
            BooleanSupplier done) throws DbException {
        try {
            return runner.runUntil(cmd, timeout, env, done);
        } catch (IOException e) {
            throw new DbException("cannot run " + cmd.get(0) + ": " + e.getMessage(), e);
        }
    }

    ProcessResult runOk(String what, List<String> cmd, Duration timeout, Map<String, String> env)
            throws DbException {
        ProcessResult r = run(cmd, timeout, env);
        if (!r.ok()) {
            throw new DbException(what + " failed: " + r.describe());
        }
        return r;
    }
}
