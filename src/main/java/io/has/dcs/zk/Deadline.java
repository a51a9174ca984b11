package io.has.dcs.zk;

import java.util.concurrent.TimeUnit;

/** A point in monotonic time ({@link System#nanoTime}) by which an operation must complete. */
record Deadline(long endNanos) {

    static Deadline in(long millis) {
        return new Deadline(System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(millis));
    }

    /** Milliseconds left, never negative. */
    long remainingMs() {
        return Math.max(0, TimeUnit.NANOSECONDS.toMillis(endNanos - System.nanoTime()));
    }

    boolean expired() {
        return endNanos - System.nanoTime() <= 0;
    }
}
