package io.has.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.cluster.PgState;
import java.util.List;
import org.junit.jupiter.api.Test;

/** A standby's timeline stays at the highest one its WAL receiver reported, for one postmaster. */
class ReceivedTimelineTest {

    private static LocalState standby(int timeline, boolean streaming, String started) {
        return new LocalState(PgState.RUNNING, false, "1", true, false, 100L, 100L, 100L, null, timeline, 150000,
                started, List.of(), null, streaming, null);
    }

    @Test
    void aStandbyWhoseUpstreamDiedKeepsTheTimelineItStreamed() {
        ReceivedTimeline t = new ReceivedTimeline();
        assertEquals(8, t.apply(standby(8, true, "s1")).timeline());
        // upstream killed: the probe falls back to the restartpoint's timeline 7
        LocalState gone = t.apply(standby(7, false, "s1"));
        assertEquals(8, gone.timeline());
        assertTrue(gone.timelineExact());
    }

    @Test
    void aRestartpointTimelineNoReceiverConfirmedIsNotExact() {
        ReceivedTimeline t = new ReceivedTimeline();
        assertFalse(t.apply(standby(7, false, "s1")).timelineExact());
        assertTrue(t.apply(standby(7, true, "s1")).timelineExact());
        assertTrue(t.apply(standby(7, false, "s1")).timelineExact());
    }

    @Test
    void aRestartedServerStartsOverAndAHigherReportedTimelineWins() {
        ReceivedTimeline t = new ReceivedTimeline();
        t.apply(standby(8, true, "s1"));
        LocalState restarted = t.apply(standby(7, false, "s2"));
        assertEquals(7, restarted.timeline());
        assertFalse(restarted.timelineExact());
        assertEquals(9, t.apply(standby(9, false, "s2")).timeline());
    }

    @Test
    void aPrimaryIsReportedAsIs() {
        ReceivedTimeline t = new ReceivedTimeline();
        t.apply(standby(8, true, "s1"));
        LocalState primary = new LocalState(PgState.RUNNING, false, "1", false, false, 100L, null, null, null, 5,
                150000, "s1", List.of(), null, false, null);
        assertEquals(5, t.apply(primary).timeline());
        assertEquals(7, t.apply(standby(7, false, "s1")).timeline());
    }
}
