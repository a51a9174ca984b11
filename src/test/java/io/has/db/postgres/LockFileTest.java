package io.has.db.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import io.has.db.SharedMemorySegment;
import java.util.List;
import java.util.Optional;
import java.util.OptionalLong;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LockFileTest {

    /** postmaster.pid of a PostgreSQL 15 primary that finished starting (started at epoch 1763780000). */
    private static List<String> pg15(String pid, String started, String status) {
        return List.of(pid, "/var/lib/pg/data", started, "5432", "/var/run/postgresql", "127.0.0.1",
                "  5432001  32769", status);
    }

    @Test
    void theSharedMemorySegmentIsKeyAndIdOnLineSeven() {
        assertEquals(Optional.of(new SharedMemorySegment(5432001, 32769)),
                LockFile.sharedMemory(pg15("4242", "1763780000", "ready   ")));
        assertEquals(Optional.empty(), LockFile.sharedMemory(List.of("4242", "/data", "1763780000")), "not written yet");
        assertEquals(Optional.empty(), LockFile.sharedMemory(List.of("4242", "/data", "1763780000", "5432", "/tmp", "*",
                "  5432001")), "half written");
        assertEquals(Optional.empty(), LockFile.sharedMemory(List.of("4242", "/data", "1763780000", "5432", "/tmp", "*",
                "  5432001  3276x")), "garbage");
    }

    @Test
    void readyOrStandbyOfANewPostmasterMeansStarted() {
        assertTrue(LockFile.startedUp(pg15("4242", "1763780000", "ready   "), 1763780000, 0));
        assertTrue(LockFile.startedUp(pg15("4242", "1763780000", "standby "), 1763780000, 0));
    }

    @Test
    void notStartedWhileStartingOrStopping() {
        assertFalse(LockFile.startedUp(pg15("4242", "1763780000", "starting"), 1763780000, 0));
        assertFalse(LockFile.startedUp(pg15("4242", "1763780000", "stopping"), 1763780000, 0));
    }

    @Test
    void aLockFileLeftByACrashedServerIsNotTheNewServer() {
        // the crashed postmaster's pid, or a start time older than pg_ctl's 2 s allowance
        assertFalse(LockFile.startedUp(pg15("4242", "1763780000", "ready   "), 1763780000, 4242));
        assertFalse(LockFile.startedUp(pg15("4243", "1763779997", "ready   "), 1763780000, 4242));
        assertTrue(LockFile.startedUp(pg15("4243", "1763779998", "ready   "), 1763780000, 4242));
    }

    @Test
    void noStatusLineOrASingleUserBackendOrAHalfWrittenFileTellsNothing() {
        assertFalse(LockFile.startedUp(pg15("4242", "1763780000", "ready").subList(0, 7), 1763780000, 0)); // 9.6
        assertFalse(LockFile.startedUp(pg15("-4242", "1763780000", "ready   "), 1763780000, 0));
        assertFalse(LockFile.startedUp(pg15("", "1763780000", "ready   "), 1763780000, 0));
        assertFalse(LockFile.startedUp(List.of("4242"), 1763780000, 0));
    }

    @Test
    void readsThePidAndTheStatusFromTheFile(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("postmaster.pid");
        assertEquals(OptionalLong.empty(), LockFile.pid(f));
        assertFalse(LockFile.startedUp(f, 1763780000, 0));
        Files.write(f, pg15("-4242", "1763780000", "ready   "));
        assertEquals(OptionalLong.of(4242), LockFile.pid(f));
        Files.write(f, pg15("4243", "1763780000", "ready   "));
        assertTrue(LockFile.startedUp(f, 1763780000, 4242));
    }
}
