package io.has.db;

/**
 * A System V shared memory segment as a server's lock file names it: its key and its id. Both must
 * match the kernel's table, so that a segment removed behind the server's back (say by systemd's
 * {@code RemoveIPC}) whose id was given to another segment is not taken for the server's.
 */
public record SharedMemorySegment(long key, long id) {
}
