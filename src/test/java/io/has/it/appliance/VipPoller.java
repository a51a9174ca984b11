package io.has.it.appliance;

import java.time.LocalTime;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;

/** Asks every host namespace every 100 ms whether it has the VIP; remembers when more than one had it. */
final class VipPoller implements AutoCloseable {

    private final String vip;
    private final List<String> namespaces;
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final AtomicInteger polls = new AtomicInteger();
    private final List<String> both = new ArrayList<>();
    private final Thread thread;

    VipPoller(String vip, List<String> namespaces) {
        this.vip = vip;
        this.namespaces = List.copyOf(namespaces);
        this.thread = new Thread(this::run, "vip-poller");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        while (running.get()) {
            List<String> holders;
            try {
                holders = holders();
            } catch (RuntimeException e) {
                if (!running.get()) {
                    return; // interrupted by close()
                }
                throw e;
            }
            polls.incrementAndGet();
            if (holders.size() > 1) {
                synchronized (both) {
                    both.add(LocalTime.now() + " " + holders);
                }
            }
            try {
                Thread.sleep(100); // the poll period, not synchronisation
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** The namespaces that have the VIP now. */
    List<String> holders() {
        List<String> h = new ArrayList<>();
        for (String ns : namespaces) {
            if (Netns.has(ns, vip)) {
                h.add(ns);
            }
        }
        return h;
    }

    int polls() {
        return polls.get();
    }

    List<String> seenOnMoreThanOne() {
        synchronized (both) {
            return List.copyOf(both);
        }
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.interrupt();
        thread.join(30_000);
    }
}
