package io.has.ha;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.action.Outcome;
import org.junit.jupiter.api.Test;

/** Whether a stopping daemon must release the leader key (pure: the last cycle's facts). */
class HaLoopLockTest {

    private static final Decision NOTHING = new Decision.NoAction("no action", false);
    private static final Decision TAKE = new Decision.AcquireLock(true, false, null, "take");
    private static final Outcome FAILED = Outcome.failed("timed out");

    @Test
    void theHolderReleases() {
        assertTrue(HaLoop.mayHoldLockAfter(false, true, true, NOTHING, Outcome.DONE));
    }

    @Test
    void aReplicaThatSawTheDcsDoesNot() {
        assertFalse(HaLoop.mayHoldLockAfter(true, true, false, NOTHING, Outcome.DONE));
    }

    @Test
    void aLockAttemptWithAnUnknownResultMayHaveTakenIt() {
        assertTrue(HaLoop.mayHoldLockAfter(false, true, false, TAKE, FAILED));
        assertTrue(HaLoop.mayHoldLockAfter(false, false, false, new Decision.FailsafeLead("failsafe"), FAILED));
    }

    @Test
    void withoutTheDcsWhatWasKnownBeforeStands() {
        // a replica whose ZooKeeper went away skips the release (it would wait retry_timeout for nothing)
        assertFalse(HaLoop.mayHoldLockAfter(false, false, false, NOTHING, Outcome.DONE));
        // a leader cut off from ZooKeeper may still own the key
        assertTrue(HaLoop.mayHoldLockAfter(true, false, false, NOTHING, Outcome.DONE));
    }
}
