package io.has.util;

import java.util.concurrent.ThreadFactory;
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

    /** Restores the interrupt flag when {@code e} is an InterruptedException (Curator's checkInterrupted). */
    public static void checkInterrupted(Throwable e) {
        if (e instanceof InterruptedException) {
            Thread.currentThread().interrupt();
        }
    }
}
