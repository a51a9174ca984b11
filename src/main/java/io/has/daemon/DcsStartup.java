package io.has.daemon;

import io.has.dcs.DcsException;
import io.has.dcs.zk.ZooKeeperDcs;
import io.has.util.Threads;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Connects to ZooKeeper on its own thread from the first moment of the start-up, so that the session
 * is ready, or nearly, when the HA loop starts: the initialize and leader races wait for ZooKeeper
 * only, not for the database tool probes or the REST API, which are set up meanwhile. While ZooKeeper
 * cannot be reached it retries every 5 s, as Patroni does; {@link #cancel} (shutdown) ends that.
 */
final class DcsStartup {

    private static final long RETRY_MS = 5000;

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String member;
    private final ZooKeeperDcs dcs;
    private final Runnable wakeup;
    private final Thread thread;
    private final CountDownLatch finished = new CountDownLatch(1);
    /** Counted down by {@link #cancel}: the attempts check it, since Curator may swallow the interrupt. */
    private final CountDownLatch cancelled = new CountDownLatch(1);
    private volatile boolean connected;

    /**
     * @param wakeup the DCS's wake-up hook (it may be called before the HA loop exists: then it does
     *               nothing, and the loop's first cycle reads everything anyway)
     */
    DcsStartup(String member, ZooKeeperDcs dcs, Runnable wakeup) {
        this.member = member;
        this.dcs = dcs;
        this.wakeup = wakeup;
        this.thread = Threads.factory("dcs-connect").newThread(this::connect);
    }

    void start() {
        thread.start();
    }

    /** Waits until connected; false when {@link #cancel} ended the attempts first. */
    boolean await() throws InterruptedException {
        finished.await();
        return connected;
    }

    /** Ends the attempts (shutdown); a connection already made stays, for the caller to close. */
    void cancel() {
        cancelled.countDown();
        thread.interrupt();
    }

    private boolean isCancelled() {
        return cancelled.getCount() == 0 || Thread.currentThread().isInterrupted();
    }

    private void connect() {
        try {
            while (!isCancelled()) {
                try {
                    dcs.start(wakeup);
                    connected = true;
                    return;
                } catch (DcsException | RuntimeException e) {
                    // an interrupt sent while Curator closes the failed attempt can be lost: the latch is not
                    if (isCancelled()) {
                        return;
                    }
                    log.warn("[{}] ZooKeeper is not reachable yet ({}); retrying in {} s", member, e.getMessage(),
                            RETRY_MS / 1000);
                }
                if (cancelled.await(RETRY_MS, TimeUnit.MILLISECONDS)) { // pacing a retry, ended by cancel()
                    return;
                }
            }
        } catch (InterruptedException e) {
            // cancelled: shutting down
        } finally {
            finished.countDown();
        }
    }
}
