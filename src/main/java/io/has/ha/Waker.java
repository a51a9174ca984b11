package io.has.ha;

/** Lets ZooKeeper watches, REST handlers and finished long actions end the loop's nap early. */
final class Waker {
    private boolean woken; // guarded by this

    synchronized void wake() {
        woken = true;
        notifyAll();
    }

    /** Waits up to {@code millis} or until woken; clears the wake-up flag. */
    synchronized void await(long millis) throws InterruptedException {
        long deadline = System.nanoTime() + millis * 1_000_000L;
        while (!woken) {
            long left = (deadline - System.nanoTime()) / 1_000_000L;
            if (left <= 0) {
                break;
            }
            wait(left);
        }
        woken = false;
    }
}
