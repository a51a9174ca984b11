package io.has.callback;

import io.has.config.HasConfig;
import io.has.util.CommandLineSplitter;
import io.has.util.Threads;
import java.io.File;
import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs Patroni's user scripts: {@code postgresql.callbacks.{on_start, on_stop, on_restart, on_reload,
 * on_role_change}} and {@code postgresql.pre_promote}.
 *
 * <p>A callback's command line is split like a shell would ({@link CommandLineSplitter}) and called as
 * {@code script... ACTION ROLE SCOPE}, e.g. {@code /opt/cb.sh on_role_change master demo}. Callbacks run
 * in the background one at a time: a newer call kills the running one (and its children) and drops any
 * not yet started; each is killed when it exceeds the timeout.
 *
 * <p>{@link #prePromote()} runs synchronously (with the same timeout); a non-zero exit or a timeout
 * vetoes the promotion. Standard output and error of the scripts go to the daemon's.
 */
public final class CallbackRunner implements AutoCloseable {

    /** Default time a script may run before it is killed. */
    public static final Duration DEFAULT_TIMEOUT = Duration.ofSeconds(60);

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String scope;
    private final Map<CallbackAction, List<String>> callbacks;
    private final List<String> prePromote;
    private final Duration timeout;
    private final AtomicLong generation = new AtomicLong();
    // one script at a time, in order; the thread ends 30 s after the last one
    private final ExecutorService worker = Threads.idleEnding("callbacks", 1, 30);
    private Process running;

    /**
     * @param scope      the cluster name, the scripts' third argument
     * @param callbacks  action → command line (absent actions are not called)
     * @param prePromote the pre_promote command line, or null
     * @param timeout    how long one script may run
     */
    public CallbackRunner(String scope, Map<CallbackAction, String> callbacks, String prePromote, Duration timeout) {
        this.scope = scope;
        this.callbacks = new EnumMap<>(CallbackAction.class);
        callbacks.forEach((a, cmd) -> {
            if (cmd != null && !cmd.isBlank()) {
                this.callbacks.put(a, CommandLineSplitter.split(cmd));
            }
        });
        this.prePromote = prePromote == null || prePromote.isBlank() ? null : CommandLineSplitter.split(prePromote);
        this.timeout = timeout;
    }

    /** From {@code postgresql.callbacks} and {@code postgresql.pre_promote} of the merged YAML. */
    public static CallbackRunner create(HasConfig config) {
        Map<CallbackAction, String> cbs = new EnumMap<>(CallbackAction.class);
        String pre = null;
        Object pg = config.raw() == null ? null : config.raw().get("postgresql");
        if (pg instanceof Map<?, ?> pgm) {
            if (pgm.get("callbacks") instanceof Map<?, ?> cm) {
                for (CallbackAction a : CallbackAction.values()) {
                    Object v = cm.get(a.key());
                    if (v != null) {
                        cbs.put(a, v.toString());
                    }
                }
            }
            if (pgm.get("pre_promote") != null) {
                pre = pgm.get("pre_promote").toString();
            }
        }
        return new CallbackRunner(config.scope(), cbs, pre, DEFAULT_TIMEOUT);
    }

    /** Whether a script is configured for this action. */
    public boolean has(CallbackAction action) {
        return callbacks.containsKey(action);
    }

    /**
     * Starts the script for {@code action} in the background (no-op when none is configured), killing the
     * one still running.
     *
     * @param role the role to pass: Patroni 3 uses {@code master}, {@code replica}, {@code standby_leader}
     */
    public void call(CallbackAction action, String role) {
        List<String> base = callbacks.get(action);
        if (base == null) {
            return;
        }
        List<String> cmd = new ArrayList<>(base);
        cmd.addAll(List.of(action.key(), role, scope));
        long gen = generation.incrementAndGet();
        killRunning();
        worker.execute(() -> {
            if (generation.get() != gen) {
                log.info("callback {} skipped: a newer callback replaced it", String.join(" ", cmd));
                return;
            }
            run(cmd, true);
        });
    }

    /** Runs pre_promote and waits; true when it is not configured or exited 0 within the timeout. */
    public boolean prePromote() {
        if (prePromote == null) {
            return true;
        }
        int rc = run(prePromote, false);
        if (rc != 0) {
            log.warn("pre_promote script {} {}: not promoting", String.join(" ", prePromote),
                    rc == Integer.MIN_VALUE ? "failed or timed out" : "exited with " + rc);
            return false;
        }
        log.info("pre_promote script {} returned 0", String.join(" ", prePromote));
        return true;
    }

    /** Waits until no callback runs or is queued (for tests and shutdown); false on timeout. */
    public boolean awaitIdle(Duration max) throws InterruptedException {
        var f = worker.submit(() -> { });
        try {
            f.get(max.toMillis(), TimeUnit.MILLISECONDS);
            return true;
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e) {
            return false;
        }
    }

    /** Kills a running callback and stops the worker. */
    @Override
    public void close() {
        generation.incrementAndGet();
        killRunning();
        worker.shutdownNow();
    }

    /** Runs a command to its end or timeout; returns its exit code, or MIN_VALUE when it failed to run or was killed. */
    private int run(List<String> cmd, boolean tracked) {
        String shown = String.join(" ", cmd);
        Process p;
        try {
            p = new ProcessBuilder(cmd)
                    .directory(new File("/"))
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .redirectOutput(ProcessBuilder.Redirect.INHERIT)
                    .redirectError(ProcessBuilder.Redirect.INHERIT)
                    .start();
        } catch (IOException e) {
            log.error("could not run {}: {}", shown, e.getMessage());
            return Integer.MIN_VALUE;
        }
        if (tracked) {
            synchronized (this) {
                running = p;
            }
        }
        try {
            if (!p.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
                log.warn("{} did not finish within {} s: killed", shown, timeout.toSeconds());
                kill(p);
                return Integer.MIN_VALUE;
            }
            int rc = p.exitValue();
            if (tracked) {
                if (rc == 0) {
                    log.info("callback {} returned 0", shown);
                } else {
                    log.warn("callback {} exited with {}", shown, rc);
                }
            }
            return rc;
        } catch (InterruptedException e) {
            kill(p);
            Thread.currentThread().interrupt();
            return Integer.MIN_VALUE;
        } finally {
            if (tracked) {
                synchronized (this) {
                    if (running == p) {
                        running = null;
                    }
                }
            }
        }
    }

    private void killRunning() {
        Process p;
        synchronized (this) {
            p = running;
        }
        if (p != null && p.isAlive()) {
            log.info("killing the running callback (pid {}): a newer one replaces it", p.pid());
            kill(p);
        }
    }

    private static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }
}
