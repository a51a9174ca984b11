package io.has.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.cluster.PgState;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A standby that is not streaming takes its timeline from its newest WAL segment files. */
class StandbyTimelineTest {

    @TempDir
    Path wal;

    private static LocalState standby(int timeline, boolean streaming) {
        return new LocalState(PgState.RUNNING, false, "1", true, false, 100L, 100L, 100L, null, timeline, 150000,
                "s1", List.of(), null, streaming, null);
    }

    private void files(String... names) throws IOException {
        for (String n : names) {
            Files.createFile(wal.resolve(n));
        }
        Files.createDirectory(wal.resolve("archive_status"));
    }

    @Test
    void aStandbyThatSwitchedTimelinesSinceItsLastRestartpointReportsTheNewOne() throws IOException {
        // switched to timeline 2 and lost its upstream before any probe saw it streaming: the restartpoint says 1
        files("000000010000000000000004", "000000020000000000000004", "000000020000000000000005", "00000002.history");
        LocalState s = StandbyTimeline.settle(standby(1, false), () -> wal);
        assertEquals(2, s.timeline());
        assertTrue(s.timelineExact());
    }

    @Test
    void aStandbyStuckOnItsTimelineKeepsIt() throws IOException {
        // diverged: it fetched the leader's history file but never wrote a segment of timeline 2
        files("000000010000000000000004", "000000010000000000000005", "00000002.history",
                "000000010000000000000003.partial");
        LocalState s = StandbyTimeline.settle(standby(1, false), () -> wal);
        assertEquals(1, s.timeline());
        assertTrue(s.timelineExact());
    }

    @Test
    void anUnreadableWalDirectoryLeavesTheRestartpointTimelineNotExact() {
        LocalState s = StandbyTimeline.settle(standby(1, false), () -> wal.resolve("missing"));
        assertEquals(1, s.timeline());
        assertFalse(s.timelineExact());
        assertFalse(StandbyTimeline.settle(standby(1, false), () -> null).timelineExact());
    }

    @Test
    void aStreamingStandbyAndAPrimaryAreReportedAsTheyAre() throws IOException {
        files("000000030000000000000004");
        LocalState streaming = standby(2, true);
        assertSame(streaming, StandbyTimeline.settle(streaming, () -> wal));
        assertTrue(streaming.timelineExact());
        LocalState primary = new LocalState(PgState.RUNNING, false, "1", false, false, 100L, null, null, null, 5,
                150000, "s1", List.of(), null, false, null);
        assertSame(primary, StandbyTimeline.settle(primary, () -> wal));
    }

    @Test
    void onlySegmentNamesCount() throws IOException {
        files("0000000A.history", "00000009000000000000000G", "garbage");
        assertNull(StandbyTimeline.highestSegmentTimeline(wal));
    }
}
