package io.has.process;

import java.io.File;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs external commands with a deadline and bounded output capture.
 *
 * <p>Output goes to temporary files, never to pipes: a server started by {@code pg_ctl start} could
 * otherwise inherit a pipe and keep us waiting for an end-of-file that never comes. We wait for the
 * process to exit, then read at most {@link #OUTPUT_LIMIT} bytes from the end of each file. On timeout
 * the whole process tree is killed.
 *
 * <p><b>Run-as user.</b> When a run-as user is given and this JVM runs as root, every command is wrapped
 * as {@code runuser -u <user> -- cmd...} and {@link #chown} hands files to that user. This exists only
 * so tests, which run as root, can drive a real PostgreSQL that refuses to run as root. Production runs
 * the daemon as the database OS user and passes null.
 *
 * <p>Thread-safe and stateless apart from its constructor arguments.
 */
public final class ProcessRunner {

    /** Bytes kept from the end of stdout and of stderr. */
    public static final int OUTPUT_LIMIT = 64 * 1024;

    private static final Logger log = LoggerFactory.getLogger(ProcessRunner.class);
    private static final File DEV_NULL = new File("/dev/null");
    /** How often {@link #runUntil} asks its condition while the command runs. */
    static final long POLL_MS = 10;

    private final String runAsUser;
    private final boolean wrap;
    private final Map<String, String> baseEnv;

    /**
     * @param runAsUser OS user to run commands as when this JVM is root, or null (production)
     * @param baseEnv   environment additions for every command (for example {@code PGPASSFILE})
     */
    public ProcessRunner(String runAsUser, Map<String, String> baseEnv) {
        this.runAsUser = runAsUser;
        this.wrap = runAsUser != null && isRoot();
        this.baseEnv = Map.copyOf(baseEnv);
        if (runAsUser != null && !wrap) {
            log.debug("run-as user {} ignored: this process is not root", runAsUser);
        }
    }

    /** A runner with another set of environment additions and the same run-as user. */
    public ProcessRunner withEnv(Map<String, String> env) {
        Map<String, String> merged = new LinkedHashMap<>(baseEnv);
        merged.putAll(env);
        return new ProcessRunner(runAsUser, merged);
    }

    /** True when commands are wrapped with runuser (run-as user set and we are root). */
    public boolean switchesUser() {
        return wrap;
    }

    /**
     * Runs a command (standard input is {@code /dev/null}) and waits for it to exit or its deadline.
     *
     * @param command program and arguments
     * @param timeout deadline; the process tree is killed when it passes
     * @return exit code and output tails
     * @throws IOException when the process cannot be started or its output cannot be read
     */
    public ProcessResult run(List<String> command, Duration timeout) throws IOException {
        return run(command, timeout, Map.of());
    }

    /**
     * Runs a command and waits for it to exit or for its deadline.
     *
     * @param command program and arguments
     * @param timeout deadline; the process tree is killed when it passes
     * @param env     environment additions for this command only
     * @return exit code and output tails
     * @throws IOException when the process cannot be started or its output cannot be read
     */
    public ProcessResult run(List<String> command, Duration timeout, Map<String, String> env) throws IOException {
        return runUntil(command, timeout, env, null).orElseThrow();
    }

    /**
     * Runs a command like {@link #run}, but stops waiting as soon as {@code done} answers true (it is
     * asked every {@link #POLL_MS} ms while the command runs). A command left running that way is not
     * killed: it finishes on its own and the JVM reaps it. For a command that polls slowly for a
     * condition the caller can see earlier (pg_ctl start -w looks every 100 ms).
     *
     * @param done condition that makes the command's own outcome irrelevant, or null to always wait
     * @return the outcome, or empty when {@code done} answered true before the command exited
     * @throws IOException when the process cannot be started or its output cannot be read
     */
    public Optional<ProcessResult> runUntil(List<String> command, Duration timeout, Map<String, String> env,
            BooleanSupplier done) throws IOException {
        List<String> argv = new ArrayList<>();
        if (wrap) {
            argv.addAll(List.of("runuser", "-u", runAsUser, "--"));
        }
        argv.addAll(command);
        String shown = String.join(" ", command);
        Path out = Files.createTempFile("has-out-", ".log");
        Path err = Files.createTempFile("has-err-", ".log");
        long start = System.nanoTime();
        // the output files are read through these and unlinked as soon as the command holds them, so a
        // daemon that dies while a command runs (kill -9) leaves nothing behind in the temp directory
        try (RandomAccessFile outTail = new RandomAccessFile(out.toFile(), "r");
                RandomAccessFile errTail = new RandomAccessFile(err.toFile(), "r")) {
            ProcessBuilder pb = new ProcessBuilder(argv)
                    .directory(new File("/"))
                    .redirectInput(ProcessBuilder.Redirect.from(DEV_NULL))
                    .redirectOutput(out.toFile())
                    .redirectError(err.toFile());
            pb.environment().putAll(baseEnv);
            pb.environment().putAll(env);
            log.debug("running {}", shown);
            Process p;
            try {
                p = pb.start();
            } finally {
                Files.deleteIfExists(out); // the command keeps writing to the unlinked files
                Files.deleteIfExists(err);
            }
            Wait how;
            try {
                how = await(p, timeout, done);
            } catch (InterruptedException e) {
                killTree(p);
                Thread.currentThread().interrupt();
                throw new IOException("interrupted while running " + shown, e);
            }
            if (how == Wait.DONE) {
                log.debug("{}: done before it exited (left to finish on its own)", shown);
                return Optional.empty();
            }
            boolean exited = how == Wait.EXITED;
            if (!exited) {
                log.warn("{} did not finish within {} s; killing it and its children", shown, timeout.toSeconds());
                killTree(p);
            }
            Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
            return Optional.of(new ProcessResult(shown, exited ? p.exitValue() : -1, tail(outTail), tail(errTail),
                    !exited, elapsed));
        } finally {
            Files.deleteIfExists(out); // gone already, unless opening them for reading failed
            Files.deleteIfExists(err);
        }
    }

    private enum Wait { EXITED, DONE, TIMED_OUT }

    /** Waits for the exit, the deadline or {@code done}, whichever comes first. */
    private static Wait await(Process p, Duration timeout, BooleanSupplier done) throws InterruptedException {
        if (done == null) {
            return p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS) ? Wait.EXITED : Wait.TIMED_OUT;
        }
        long deadline = System.nanoTime() + timeout.toNanos();
        while (true) {
            long left = deadline - System.nanoTime();
            if (left <= 0) {
                return Wait.TIMED_OUT;
            }
            if (p.waitFor(Math.min(TimeUnit.NANOSECONDS.toMillis(left) + 1, POLL_MS), TimeUnit.MILLISECONDS)) {
                return Wait.EXITED;
            }
            if (done.getAsBoolean()) {
                return Wait.DONE;
            }
        }
    }

    /**
     * Gives a file or directory to the run-as user (owner and, when it exists, the group of the same
     * name). A no-op unless commands are wrapped with runuser.
     *
     * @throws IOException when the owner cannot be changed
     */
    public void chown(Path path) throws IOException {
        if (!wrap) {
            return;
        }
        UserPrincipalLookupService lookup = path.getFileSystem().getUserPrincipalLookupService();
        UserPrincipal user = lookup.lookupPrincipalByName(runAsUser);
        PosixFileAttributeView view = Files.getFileAttributeView(path, PosixFileAttributeView.class);
        view.setOwner(user);
        try {
            GroupPrincipal group = lookup.lookupPrincipalByGroupName(runAsUser);
            view.setGroup(group);
        } catch (IOException e) {
            log.debug("no group named {}; leaving the group of {} unchanged", runAsUser, path);
        }
    }

    /** True when this JVM runs as uid 0. */
    public static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid");
            return uid instanceof Integer i && i == 0;
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    private static void killTree(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
        try {
            p.waitFor(5, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static String tail(RandomAccessFile f) throws IOException {
        long len = f.length();
        long from = Math.max(0, len - OUTPUT_LIMIT);
        byte[] buf = new byte[(int) (len - from)];
        f.seek(from);
        f.readFully(buf);
        return new String(buf, StandardCharsets.UTF_8);
    }
}
