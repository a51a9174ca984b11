package io.has.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SysvSharedMemoryTest {

    private static final String HEADER = "       key      shmid perms                  size  cpid  lpid nattch   uid   gid"
            + "  cuid  cgid      atime      dtime      ctime                   rss                  swap";

    @Test
    void countsTheProcessesAttachedToTheSegment() {
        List<String> table = List.of(HEADER,
                "   5432001      32769   600                    56 41000 41077      3   999   999   999   999"
                        + " 1763780000 1763780000 1763780000                  4096                     0",
                "   5433001      32770   600                    56 42000 42000      0   999   999   999   999"
                        + " 1763780000 1763780000 1763780000                  4096                     0");
        assertEquals(3, SysvSharedMemory.attachments(table, new SharedMemorySegment(5432001, 32769)));
        assertEquals(0, SysvSharedMemory.attachments(table, new SharedMemorySegment(5433001, 32770)),
                "every process has exited");
        assertEquals(0, SysvSharedMemory.attachments(table, new SharedMemorySegment(5432001, 3276)),
                "no such segment (removed)");
        assertEquals(0, SysvSharedMemory.attachments(table, new SharedMemorySegment(5434001, 32769)),
                "the id was given to another segment after the server's was removed");
        assertEquals(0, SysvSharedMemory.attachments(List.of(HEADER, "   5432001      32769   600   56 x"),
                new SharedMemorySegment(5432001, 32769)), "a line cut short");
    }

    @Test
    void anUnreadableTableCountsNoProcess(@TempDir Path dir) {
        assertEquals(0, SysvSharedMemory.attachments(dir.resolve("shm"), new SharedMemorySegment(5432001, 32769)));
    }

    @Test
    void theKernelsTableHasTheColumnsRead() throws Exception {
        assumeTrue(Files.isReadable(SysvSharedMemory.TABLE), "no " + SysvSharedMemory.TABLE + " here");
        String header = Files.readAllLines(SysvSharedMemory.TABLE, StandardCharsets.US_ASCII).get(0).trim();
        String[] columns = header.split("\\s+");
        assertEquals("key", columns[0], header);
        assertEquals("shmid", columns[1], header);
        assertEquals("nattch", columns[6], header);
    }
}
