package io.has.it.appliance;

import jnr.ffi.annotations.In;
import jnr.ffi.annotations.SaveError;

/** The libc calls {@link NsThread} needs to enter a network namespace (public: jnr-ffi implements it). */
public interface NsLibC {

    /** open(2). */
    @SaveError
    int open(@In CharSequence path, int flags);

    /** setns(2). */
    @SaveError
    int setns(int fd, int nstype);

    /** close(2). */
    @SaveError
    int close(int fd);
}
