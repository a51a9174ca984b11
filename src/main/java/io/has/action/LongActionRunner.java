package io.has.action;

import io.has.ha.LongActionStatus;
import io.has.util.Threads;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs one long action (bootstrap, clone, start, rewind, re-clone) at a time off the HA loop, so the
 * loop keeps cycling (and publishing) meanwhile. A second action is refused while one runs. When an
 * action ends, the loop is woken.
 */
public final class LongActionRunner implements AutoCloseable {

    /** A long action body. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    private final Logger log = LoggerFactory.getLogger(getClass());
    // the thread ends 30 s after the action: a daemon that is not acting keeps none
    private final ExecutorService executor = Threads.idleEnding("long-action", 1, 30);
    private final AtomicReference<LongActionStatus> status = new AtomicReference<>(LongActionStatus.IDLE);
    private final Runnable onDone;
    private final String member;

    public LongActionRunner(String member, Runnable onDone) {
        this.member = member;
        this.onDone = onDone;
    }

    public LongActionStatus status() {
        return status.get();
    }

    /**
     * Starts {@code body} unless another action runs.
     *
     * @return null when started, else the name of the action already running
     */
    public String submit(String name, Body body) {
        return submit(name, body, ok -> { });
    }

    /**
     * Starts {@code body} unless another action runs, and tells {@code done} whether it succeeded.
     *
     * @return null when started, else the name of the action already running
     */
    public String submit(String name, Body body, java.util.function.Consumer<Boolean> done) {
        LongActionStatus current = status.get();
        if (current.isRunning()) {
            return current.running();
        }
        LongActionStatus running = new LongActionStatus(name, current.lastName(), current.lastOk(), current.lastError(),
                current.lastFinishedMs());
        if (!status.compareAndSet(current, running)) {
            return status.get().running();
        }
        executor.execute(() -> {
            boolean ok = false;
            String error = null;
            try {
                body.run();
                ok = true;
                log.info("[{}] {} finished", member, name);
            } catch (Exception e) {
                Threads.checkInterrupted(e);
                error = e.getMessage() == null ? e.toString() : e.getMessage();
                log.error("[{}] {} failed: {}", member, name, error);
            } finally {
                status.set(new LongActionStatus(null, name, ok, error, System.currentTimeMillis()));
                done.accept(ok);
                onDone.run();
            }
        });
        return null;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
