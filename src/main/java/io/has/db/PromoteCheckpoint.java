package io.has.db;

import io.has.util.Threads;
import java.util.concurrent.ThreadFactory;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The CHECKPOINT after a promotion, run beside the HA loop (Patroni's {@code checkpoint_after_promote}).
 *
 * <p>Until it is done, the new primary's pg_control still names the old timeline, and pg_rewind against
 * it would find nothing to rewind; the leader's member key therefore says
 * {@code checkpoint_after_promote: false} meanwhile, and former primaries wait before rejoining. Run on the
 * loop, the checkpoint held the new leader's first cycle — slots for its standbys, its member key, the
 * watchdog keepalive — for as long as writing out the dirty shared buffers took.
 *
 * <p>A failed checkpoint stays pending and is started again by {@link #retryIfFailed}, which the
 * leader calls every cycle.
 */
final class PromoteCheckpoint {

    /** Runs one CHECKPOINT on its own connection. */
    @FunctionalInterface
    interface Checkpointer {
        void checkpoint() throws Exception;
    }

    private enum State { NONE, RUNNING, FAILED }

    private static final Logger LOG = LoggerFactory.getLogger(PromoteCheckpoint.class);
    private final String who;
    private final Checkpointer checkpointer;
    private final ThreadFactory threads = Threads.factory("promote-checkpoint");
    private volatile Runnable onDone = () -> { };
    private State state = State.NONE;

    PromoteCheckpoint(String who, Checkpointer checkpointer) {
        this.who = who;
        this.checkpointer = checkpointer;
    }

    /** Called (on the checkpoint's thread) when a checkpoint is done; must not block. */
    void onDone(Runnable hook) {
        this.onDone = hook;
    }

    /** Starts the checkpoint unless one is running. */
    synchronized void start() {
        if (state == State.RUNNING) {
            return;
        }
        state = State.RUNNING;
        threads.newThread(this::run).start();
    }

    /** Starts it again when the last attempt failed. */
    synchronized void retryIfFailed() {
        if (state == State.FAILED) {
            LOG.info("{} trying the checkpoint after promotion again", who);
            start();
        }
    }

    /** Whether a promotion is not yet followed by a successful checkpoint. */
    synchronized boolean pending() {
        return state != State.NONE;
    }

    private void run() {
        try {
            checkpointer.checkpoint();
            finish(State.NONE);
            LOG.info("{} checkpoint after promotion done", who);
            onDone.run();
        } catch (Exception e) {
            finish(State.FAILED);
            Threads.checkInterrupted(e);
            LOG.warn("{} checkpoint after promotion failed (tried again next cycle): {}", who, e.getMessage());
        }
    }

    private synchronized void finish(State s) {
        state = s;
    }
}
