package io.has.db;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * Attachment counts of System V shared memory segments, from the kernel's table
 * ({@code /proc/sysvipc/shm}: a header line, then one line per segment with {@code key shmid perms
 * size cpid lpid nattch ...}). A PostgreSQL server's processes stay attached to the segment its lock
 * file names until they exit, even after the postmaster has died.
 */
final class SysvSharedMemory {

    static final Path TABLE = Path.of("/proc/sysvipc/shm");

    private SysvSharedMemory() {
    }

    /** How many processes are attached to {@code segment}: 0 when it is gone or the table unreadable. */
    static int attachments(Path table, SharedMemorySegment segment) {
        try {
            return attachments(Files.readAllLines(table, StandardCharsets.US_ASCII), segment);
        } catch (IOException e) {
            return 0;
        }
    }

    static int attachments(List<String> table, SharedMemorySegment segment) {
        String key = Long.toString(segment.key());
        String id = Long.toString(segment.id());
        for (String line : table) {
            String[] f = line.trim().split("\\s+");
            if (f.length < 7 || !f[0].equals(key) || !f[1].equals(id)) {
                continue;
            }
            try {
                return Integer.parseInt(f[6]);
            } catch (NumberFormatException e) {
                return 0;
            }
        }
        return 0;
    }
}
