package io.has.action;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;

/** When the leader may skip its replication slot sync: same slots, same run of PostgreSQL, complete. */
class SlotSyncCacheTest {

    private static final String T1 = "2026-11-22 11:29:08.301000+00:00";
    private static final String T2 = "2026-11-22 11:29:16.911000+00:00";

    @Test
    void aCompleteSyncHoldsForTheSameServerAndSlots() {
        SlotSyncCache c = new SlotSyncCache();
        assertFalse(c.upToDate(T1, Set.of("pg1", "pg3")));
        c.synced(T1, Set.of("pg1", "pg3"), true);
        assertTrue(c.upToDate(T1, Set.of("pg3", "pg1")));
        assertFalse(c.upToDate(T1, Set.of("pg1")), "another set of members");
    }

    @Test
    void aServerStartedSinceIsCheckedAgain() {
        // the bench's case: led with these slots, crashed, rewound (slots gone), promoted again, same members
        SlotSyncCache c = new SlotSyncCache();
        c.synced(T1, Set.of("pg1", "pg3"), true);
        assertFalse(c.upToDate(T2, Set.of("pg1", "pg3")));
    }

    @Test
    void anIncompleteSyncOrAnUnknownStartIsNotRemembered() {
        SlotSyncCache c = new SlotSyncCache();
        c.synced(T1, Set.of("pg1"), false); // an unwanted slot was still in use
        assertFalse(c.upToDate(T1, Set.of("pg1")));
        c.synced(null, Set.of("pg1"), true);
        assertFalse(c.upToDate(null, Set.of("pg1")));
        c.synced(T1, Set.of("pg1"), true);
        c.clear(); // demoted
        assertFalse(c.upToDate(T1, Set.of("pg1")));
    }
}
