package io.has.watchdog;

import io.has.util.Libc;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import jnr.ffi.LastError;
import jnr.ffi.Memory;
import jnr.ffi.Pointer;
import jnr.ffi.Runtime;

/**
 * The Linux watchdog API ({@code <linux/watchdog.h>}) through jnr-ffi: open O_WRONLY|O_CLOEXEC (children
 * such as pg_ctl must not inherit the descriptor), WDIOC_GETSUPPORT for the capabilities,
 * WDIOC_SETTIMEOUT / WDIOC_GETTIMEOUT, WDIOC_KEEPALIVE (or a write of '1' when the device has no
 * keepalive ioctl), and 'V' before close. The ioctl numbers are those of x86_64 and arm64.
 */
public final class LinuxWatchdogDevice implements WatchdogDevice {

    static final long WDIOC_GETSUPPORT = 0x80285700L;
    static final long WDIOC_KEEPALIVE = 0x80045705L;
    static final long WDIOC_SETTIMEOUT = 0xC0045706L;
    static final long WDIOC_GETTIMEOUT = 0x80045707L;
    private static final int O_WRONLY = 1;
    private static final int O_CLOEXEC = 0x80000;
    private static final int ENOTTY = 25;

    private static volatile LibC libc;

    private final String path;
    private int fd = -1;
    private int options;
    private String identity = "";

    /** @param path the device, normally {@code /dev/watchdog} */
    public LinuxWatchdogDevice(String path) {
        this.path = path;
        if (!Files.exists(Path.of(path))) {
            return; // most hosts have none: no binding (jnr-ffi's first costs ~70 ms of start-up CPU)
        }
        try {
            libc(); // bind at start-up: binding costs 30-60 ms, better not on the first promotion
        } catch (RuntimeException | LinkageError e) {
            // open() binds again and reports the failure, where the watchdog mode decides what it means
        }
    }

    private static LibC libc() {
        if (libc == null) {
            synchronized (LinuxWatchdogDevice.class) {
                if (libc == null) {
                    libc = Libc.bind(LibC.class);
                }
            }
        }
        return libc;
    }

    @Override
    public String path() {
        return path;
    }

    @Override
    public void open() throws IOException {
        if (fd >= 0) {
            return;
        }
        if (!Files.exists(Path.of(path))) {
            // most hosts have no watchdog: say so without loading jnr-ffi (about 4 MiB of generated classes)
            throw new IOException("open " + path + ": No such file or directory (errno 2)");
        }
        LibC c = libc();
        int f = c.open(path, O_WRONLY | O_CLOEXEC);
        if (f < 0) {
            throw error("open " + path);
        }
        fd = f;
        Pointer info = Memory.allocateDirect(Runtime.getRuntime(c), 40);
        if (c.ioctl(fd, WDIOC_GETSUPPORT, info) == 0) {
            options = info.getInt(0);
            byte[] id = new byte[32];
            info.get(8, id, 0, 32);
            int n = 0;
            while (n < id.length && id[n] != 0) {
                n++;
            }
            identity = new String(id, 0, n, StandardCharsets.US_ASCII);
        } else {
            options = 0; // no ioctls (ENOTTY): keepalive by write, no timeout control
            identity = "";
        }
    }

    @Override
    public boolean isOpen() {
        return fd >= 0;
    }

    @Override
    public int options() {
        return options;
    }

    @Override
    public String identity() {
        return identity;
    }

    @Override
    public void setTimeout(int seconds) throws IOException {
        if (intIoctl(WDIOC_SETTIMEOUT, seconds) == Integer.MIN_VALUE) {
            throw error("WDIOC_SETTIMEOUT " + seconds + " on " + path);
        }
    }

    @Override
    public int getTimeout() throws IOException {
        int v = intIoctl(WDIOC_GETTIMEOUT, 0);
        if (v == Integer.MIN_VALUE) {
            if (lastErrno() == ENOTTY) {
                return -1;
            }
            throw error("WDIOC_GETTIMEOUT on " + path);
        }
        return v;
    }

    @Override
    public void keepalive() throws IOException {
        requireOpen();
        if ((options & WDIOF_KEEPALIVEPING) != 0) {
            if (intIoctl(WDIOC_KEEPALIVE, 0) != Integer.MIN_VALUE) {
                return;
            }
            if (lastErrno() != ENOTTY) {
                throw error("WDIOC_KEEPALIVE on " + path);
            }
        }
        write("1");
    }

    @Override
    public void close(boolean magic) throws IOException {
        if (fd < 0) {
            return;
        }
        try {
            if (magic) {
                write("V");
            }
        } finally {
            int f = fd;
            fd = -1;
            if (libc().close(f) != 0) {
                throw error("close " + path);
            }
        }
    }

    @Override
    public boolean isUsable() {
        Path p = Path.of(path);
        return Files.exists(p) && Files.isWritable(p);
    }

    /** Runs an int-argument ioctl; returns the int written back, or Integer.MIN_VALUE on failure. */
    private int intIoctl(long request, int value) throws IOException {
        requireOpen();
        LibC c = libc();
        Pointer arg = Memory.allocateDirect(Runtime.getRuntime(c), 4);
        arg.putInt(0, value);
        return c.ioctl(fd, request, arg) == 0 ? arg.getInt(0) : Integer.MIN_VALUE;
    }

    private void write(String s) throws IOException {
        requireOpen();
        byte[] b = s.getBytes(StandardCharsets.US_ASCII);
        if (libc().write(fd, b, b.length) != b.length) {
            throw error("write to " + path);
        }
    }

    private void requireOpen() throws IOException {
        if (fd < 0) {
            throw new IOException(path + " is not open");
        }
    }

    private static int lastErrno() {
        return LastError.getLastError(Runtime.getRuntime(libc()));
    }

    private static IOException error(String what) {
        int errno = lastErrno();
        return new IOException(what + ": " + libc().strerror(errno) + " (errno " + errno + ")");
    }
}
