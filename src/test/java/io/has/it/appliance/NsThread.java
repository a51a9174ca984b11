package io.has.it.appliance;

import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import jnr.ffi.LibraryLoader;

/**
 * A thread of the test JVM that lives in a network namespace ({@code setns(CLONE_NEWNET)} changes only the
 * calling thread): sockets it opens (JDBC, HTTP) are in that namespace, so the test can act as a client on
 * the private 10.77.0.0/24 network without giving the root namespace an address there. Blocking clients
 * only (pgjdbc, HttpURLConnection): their sockets are created by the calling thread.
 */
final class NsThread implements AutoCloseable {

    private static final int CLONE_NEWNET = 0x40000000;
    private static final int O_RDONLY_CLOEXEC = 0x80000;
    private static volatile NsLibC libc;

    private final String ns;
    private final ExecutorService executor;

    NsThread(String ns) {
        this.ns = ns;
        this.executor = Executors.newSingleThreadExecutor(r -> {
            Thread t = new Thread(r, "netns-" + ns);
            t.setDaemon(true);
            return t;
        });
        try {
            executor.submit(() -> {
                enter(ns);
                return null;
            }).get(30, TimeUnit.SECONDS);
        } catch (InterruptedException | ExecutionException | TimeoutException e) {
            executor.shutdownNow();
            throw new IllegalStateException("cannot enter network namespace " + ns, e);
        }
    }

    /** Moves the calling thread into network namespace {@code ns} (for a thread the caller owns). */
    static void enter(String ns) {
        NsLibC c = libc();
        int fd = c.open("/run/netns/" + ns, O_RDONLY_CLOEXEC);
        if (fd < 0) {
            throw new IllegalStateException("open /run/netns/" + ns + " failed");
        }
        try {
            if (c.setns(fd, CLONE_NEWNET) != 0) {
                throw new IllegalStateException("setns into " + ns + " failed");
            }
        } finally {
            c.close(fd);
        }
    }

    private static NsLibC libc() {
        if (libc == null) {
            synchronized (NsThread.class) {
                if (libc == null) {
                    libc = LibraryLoader.create(NsLibC.class).load("c");
                }
            }
        }
        return libc;
    }

    /** Runs {@code task} in the namespace and returns its result (exceptions are rethrown unwrapped). */
    <T> T call(Callable<T> task) throws Exception {
        Future<T> f = executor.submit(task);
        try {
            return f.get(120, TimeUnit.SECONDS);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof Exception ex) {
                throw ex;
            }
            throw e;
        }
    }

    String namespace() {
        return ns;
    }

    @Override
    public void close() {
        executor.shutdownNow();
    }
}
