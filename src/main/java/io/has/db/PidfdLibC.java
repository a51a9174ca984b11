package io.has.db;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.Out;
import jnr.ffi.annotations.SaveError;

/**
 * The libc calls {@link PostmasterWatch} needs, bound through jnr-ffi. Must be public: jnr-ffi
 * generates the implementation in its own class loader.
 */
public interface PidfdLibC {

    /**
     * syscall(2), used for pidfd_open(2): glibc has a wrapper only since 2.36. The arguments are
     * passed as longs, as the kernel reads them.
     */
    @SaveError
    long syscall(long number, long arg1, long arg2);

    /** eventfd(2). */
    @SaveError
    int eventfd(int initval, int flags);

    /** poll(2) on an array of {@code struct pollfd} (int fd, short events, short revents). */
    @SaveError
    int poll(Pointer fds, long nfds, int timeout);

    /** read(2). */
    @SaveError
    long read(int fd, @Out byte[] buf, long count);

    /** write(2). */
    @SaveError
    long write(int fd, @In byte[] buf, long count);

    /** close(2). */
    @SaveError
    int close(int fd);

    /** strerror(3). */
    String strerror(int errnum);
}
