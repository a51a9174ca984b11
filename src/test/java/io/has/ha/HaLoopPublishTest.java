package io.has.ha;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/**
 * When the status goes out before the cycle acts: a change of PostgreSQL's state (a crashed primary
 * about to give up the lock) must be visible to peers woken by that act, not only at the cycle's end.
 */
class HaLoopPublishTest {

    @Test
    void aCrashedPrimaryIsAChange() {
        assertTrue(HaLoop.postgresChanged(Views.runningPrimary(100, 1), Views.stopped(true, 1)));
    }

    @Test
    void aPromotionIsAChange() {
        assertTrue(HaLoop.postgresChanged(Views.runningReplica(100, 1, Views.pgAddress(2)), Views.runningPrimary(100, 1)));
    }

    @Test
    void movingWalIsNot() {
        assertFalse(HaLoop.postgresChanged(Views.runningPrimary(100, 1), Views.runningPrimary(200, 1)));
    }
}
