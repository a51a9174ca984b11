package io.has.watchdog;

import jnr.ffi.Pointer;
import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;

/**
 * The few libc calls the Linux watchdog driver needs, bound through jnr-ffi. Must be public: jnr-ffi
 * generates the implementation in its own class loader.
 */
public interface LibC {

    /** open(2). */
    @SaveError
    int open(@In CharSequence path, int flags);

    /** ioctl(2) with a pointer argument; {@code request} is an unsigned long (0x8004… does not fit an int). */
    @SaveError
    int ioctl(int fd, long request, Pointer arg);

    /** write(2). */
    @SaveError
    long write(int fd, @In byte[] buf, long count);

    /** close(2). */
    @SaveError
    int close(int fd);

    /** strerror(3). */
    String strerror(int errnum);
}
