package io.has.db;

import io.has.util.Libc;
import io.has.util.Threads;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;
import java.util.function.LongConsumer;
import jnr.ffi.LastError;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a listener the moment a watched process exits, whatever the reason: a Linux pidfd
 * (pidfd_open(2), kernel 5.3 or later) polled by one daemon thread that sleeps in poll(2) with no
 * timeout. Besides the pidfd it polls an eventfd, written only to switch to another process or to
 * close, so the thread costs no CPU while it waits.
 *
 * <p>It only reports that the process is gone; what that means (a crash leaves the lock file, a
 * planned stop removes it) is for the probe to say. Where pidfds cannot be used (an older kernel, a
 * seccomp filter, no libc binding) it logs that once and watches nothing: exits are then noticed by
 * the next probe.
 *
 * <p>Thread-safe. The thread starts with the first {@link #watch} after {@link #listen}, owns every
 * pidfd, and ends with {@link #close}.
 */
final class PostmasterWatch implements AutoCloseable {

    /** pidfd_open(2): one number on every architecture since Linux 5.3 (alpha excepted). */
    static final long SYS_PIDFD_OPEN = 434;
    private static final int EFD_CLOEXEC = 0x80000;
    private static final int EFD_NONBLOCK = 0x800;
    private static final short POLLIN = 0x1;
    private static final int ESRCH = 3;
    private static final int EINTR = 4;

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String who;
    private final long pidfdOpen;
    private LongConsumer listener; // guarded by this
    private ProcessHandle wanted; // guarded by this
    private String wantedKind; // guarded by this: what the log calls the wanted process (kind())
    private ProcessHandle lastExited; // guarded by this
    private ProcessHandle armed; // guarded by this: polled through an open pidfd, no exit seen yet
    private boolean closed; // guarded by this
    private Thread thread; // guarded by this
    private PidfdLibC lib; // guarded by this (written once, before the thread starts)
    private int eventFd = -1; // guarded by this
    private String unavailable; // guarded by this: why the watch does not work here, once known

    /** @param who the log prefix of the owning database */
    PostmasterWatch(String who) {
        this(who, SYS_PIDFD_OPEN);
    }

    /** With another syscall number for pidfd_open: tests use one the kernel does not know (ENOSYS). */
    PostmasterWatch(String who, long pidfdOpenSyscall) {
        this.who = who;
        this.pidfdOpen = pidfdOpenSyscall;
    }

    /**
     * Sets who is told of an exit, with the pid; it is called on the watch thread and must not block.
     * Until a listener is set, {@link #watch} does nothing (no thread, no descriptors).
     */
    synchronized void listen(LongConsumer onExit) {
        this.listener = onExit;
    }

    /**
     * Watches {@code process} from now on instead of any earlier one. Does nothing when it is already
     * watched, when it already exited while watched (a probe that still sees it as a zombie must not
     * make it fire again), without a listener, after {@link #close} and where the watch is unavailable.
     * A process that is gone by the time the watch thread opens it is reported at once.
     */
    synchronized void watch(ProcessHandle process) {
        if (listener == null || closed || unavailable != null || process.equals(wanted)
                || process.equals(lastExited)) {
            return;
        }
        if (thread == null && !start()) {
            return;
        }
        wanted = process;
        wantedKind = kind(process);
        signal();
    }

    /**
     * What the log calls {@code process}: the lock file also names a single-user or bootstrap backend
     * ({@code --single}, {@code --boot}: {@code initdb} runs both), which counts as a running server as
     * for pg_ctl, but is not a postmaster. Its arguments are readable when it runs as our user.
     */
    static String kind(ProcessHandle process) {
        String[] args = process.info().arguments().orElse(new String[0]);
        for (String a : args) {
            if (a.equals("--single") || a.equals("--boot")) {
                return "single-user backend";
            }
        }
        return "postmaster";
    }

    /**
     * True while the watch thread holds a pidfd of {@code process} and has not seen it exit: the
     * process is alive (a pidfd names one process, never a later one with a reused pid). False before
     * the thread has opened it, after its exit, after {@link #close} and where the watch is unavailable.
     */
    synchronized boolean armedOn(ProcessHandle process) {
        return !closed && process.equals(armed);
    }

    /** Null while the watch works (or has not been needed yet), else why it cannot work here. */
    synchronized String unavailable() {
        return unavailable;
    }

    /** The watch thread, or null before the first {@link #watch} (for tests). */
    synchronized Thread thread() {
        return thread;
    }

    /** Stops watching and ends the thread; no listener call follows. */
    @Override
    public void close() {
        Thread t;
        synchronized (this) {
            if (closed) {
                return;
            }
            closed = true;
            t = thread;
            if (t != null) {
                signal();
            } else {
                closeEventFd();
            }
        }
        if (t != null && t != Thread.currentThread()) {
            try {
                t.join(5000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
    }

    /**
     * True when {@code pid} names a process that has exited but was not reaped yet (state Z in
     * /proc). Java's ProcessHandle counts such a zombie as alive; the postmaster is reparented to init,
     * which in a container may reap it only after a while. False when /proc cannot tell.
     */
    static boolean isZombie(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"), StandardCharsets.US_ASCII);
            int end = stat.lastIndexOf(')'); // the command name in parentheses may hold anything
            return end > 0 && end + 2 < stat.length() && stat.charAt(end + 2) == 'Z';
        } catch (IOException | RuntimeException e) {
            return false;
        }
    }

    // ------------------------------------------------------------------------------------- private

    /** Binds libc, makes the eventfd and checks that pidfd_open works; false (logged once) if not. */
    private boolean start() {
        try {
            lib = Libc.bind(PidfdLibC.class);
        } catch (RuntimeException | LinkageError e) {
            return giveUp("libc cannot be bound: " + e);
        }
        long probe = lib.syscall(pidfdOpen, ProcessHandle.current().pid(), 0);
        if (probe < 0) {
            return giveUp("pidfd_open: " + lib.strerror(errno()));
        }
        lib.close((int) probe);
        eventFd = lib.eventfd(0, EFD_CLOEXEC | EFD_NONBLOCK);
        if (eventFd < 0) {
            return giveUp("eventfd: " + lib.strerror(errno()));
        }
        thread = Threads.factory("postmaster-watch").newThread(this::run);
        thread.start();
        return true;
    }

    private boolean giveUp(String why) {
        unavailable = why;
        log.info("{} postmaster exit watch unavailable ({}); a crash is noticed at the next HA cycle", who, why);
        return false;
    }

    /** Ends the thread's poll(2). */
    private void signal() {
        if (eventFd >= 0) {
            lib.write(eventFd, new byte[] {1, 0, 0, 0, 0, 0, 0, 0}, 8); // any non-zero counter value
        }
    }

    private void closeEventFd() {
        if (eventFd >= 0) {
            lib.close(eventFd);
            eventFd = -1;
        }
    }

    private int errno() {
        return LastError.getLastError(Runtime.getRuntime(lib));
    }

    /** The watch thread: open the wanted process's pidfd, sleep in poll(2), report, repeat. */
    private void run() {
        Pointer fds = Memory.allocateDirect(Runtime.getRuntime(lib), 16); // two struct pollfd
        byte[] drain = new byte[8];
        int pidfd = -1;
        ProcessHandle watching = null;
        int efd;
        synchronized (this) {
            efd = eventFd;
        }
        try {
            while (true) {
                ProcessHandle want;
                synchronized (this) {
                    if (closed) {
                        return;
                    }
                    want = wanted;
                }
                if (!Objects.equals(want, watching)) {
                    disarm();
                    pidfd = closeFd(pidfd);
                    watching = want;
                    if (want != null) {
                        long fd = lib.syscall(pidfdOpen, want.pid(), 0);
                        if (fd < 0 && errno() != ESRCH) {
                            fail("pidfd_open(" + want.pid() + "): " + lib.strerror(errno()));
                            return;
                        }
                        pidfd = (int) Math.max(fd, -1);
                        // ESRCH, or the pid was reused after it exited: ProcessHandle compares start times
                        if (pidfd < 0 || !want.isAlive()) {
                            pidfd = closeFd(pidfd);
                            exited(want);
                            continue;
                        }
                        synchronized (this) {
                            armed = want;
                        }
                    }
                }
                fds.putInt(0, efd);
                fds.putShort(4, POLLIN);
                fds.putShort(6, (short) 0);
                fds.putInt(8, pidfd);
                fds.putShort(12, POLLIN);
                fds.putShort(14, (short) 0);
                if (lib.poll(fds, pidfd >= 0 ? 2 : 1, -1) < 0) {
                    if (errno() == EINTR) {
                        continue;
                    }
                    fail("poll: " + lib.strerror(errno()));
                    return;
                }
                if ((fds.getShort(6) & POLLIN) != 0) {
                    lib.read(efd, drain, 8); // resets the counter
                }
                if (pidfd >= 0 && fds.getShort(14) != 0) {
                    pidfd = closeFd(pidfd);
                    exited(watching);
                }
            }
        } catch (RuntimeException e) {
            log.error("{} postmaster exit watch failed", who, e);
            fail(e.toString());
        } finally {
            closeFd(pidfd);
            synchronized (this) {
                closeEventFd();
            }
        }
    }

    private synchronized void disarm() {
        armed = null;
    }

    private synchronized void fail(String why) {
        armed = null;
        unavailable = why;
        wanted = null;
        log.warn("{} postmaster exit watch stopped ({}); a crash is noticed at the next HA cycle", who, why);
    }

    private void exited(ProcessHandle process) {
        LongConsumer l;
        String kind;
        synchronized (this) {
            armed = null;
            lastExited = process;
            // watch() may have switched to another process while this one's exit was in flight: the
            // poll then wakes for both, and the process no longer wanted is not reported
            if (closed || !process.equals(wanted)) {
                return;
            }
            wanted = null;
            kind = wantedKind;
            l = listener;
        }
        log.info("{} the {} (pid {}) exited", who, kind, process.pid());
        try {
            l.accept(process.pid());
        } catch (RuntimeException e) {
            log.warn("{} postmaster exit listener failed", who, e);
        }
    }

    private int closeFd(int fd) {
        if (fd >= 0) {
            lib.close(fd);
        }
        return -1;
    }
}
