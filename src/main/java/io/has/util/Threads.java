package io.has.util;

import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.ScheduledThreadPoolExecutor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** The one thread factory of HAS: threads named {@code has-<component>-N}, daemon, failures logged. */
public final class Threads {
    private static final Logger LOG = LoggerFactory.getLogger(Threads.class);

    private Threads() {
    }

    public static ThreadFactory factory(String component) {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "has-" + component + "-" + n.incrementAndGet());
            t.setDaemon(true);
            t.setUncaughtExceptionHandler((th, e) -> LOG.error("uncaught exception in {}", th.getName(), e));
            return t;
        };
    }

    /**
     * A pool of up to {@code threads} threads named as {@link #factory} names them, whose threads end after
     * {@code idleSeconds} without work: a daemon that is not acting keeps none of them (each thread costs
     * ~100 KiB of resident stack and bookkeeping).
     */
    public static ThreadPoolExecutor idleEnding(String component, int threads, long idleSeconds) {
        ThreadPoolExecutor pool = new ThreadPoolExecutor(threads, threads, idleSeconds, TimeUnit.SECONDS,
                new LinkedBlockingQueue<>(), factory(component));
        pool.allowCoreThreadTimeOut(true);
        return pool;
    }

    /** One scheduling thread, named as {@link #factory} names it, that ends after {@code idleSeconds} idle. */
    public static ScheduledThreadPoolExecutor idleEndingScheduler(String component, long idleSeconds) {
        ScheduledThreadPoolExecutor timer = new ScheduledThreadPoolExecutor(1, factory(component));
        timer.setKeepAliveTime(idleSeconds, TimeUnit.SECONDS);
        timer.allowCoreThreadTimeOut(true);
        return timer;
    }

    /** Restores the interrupt flag when {@code e} is an InterruptedException (Curator's checkInterrupted). */
    public static void checkInterrupted(Throwable e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
    }
}
