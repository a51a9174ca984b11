package io.has.db;

import jnr.ffi.annotations.SaveError;

/**
 * The libc calls {@link FileSystemSync} needs, bound through jnr-ffi. Must be public: jnr-ffi
 * generates the implementation in its own class loader.
 */
public interface SyncLibC {

    /** open(2). */
    @SaveError
    int open(String path, int flags);

    /** syncfs(2): writes back everything of the file system holding {@code fd} (Linux 2.6.39+). */
    @SaveError
    int syncfs(int fd);

    /** close(2). */
    @SaveError
    int close(int fd);

    /** strerror(3). */
    String strerror(int errnum);
}
