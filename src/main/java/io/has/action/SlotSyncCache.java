package io.has.action;

import java.util.Objects;
import java.util.Set;

/**
 * The replication slots the leader (or, for its promotion, a standby) has made sure of, and in which run
 * of PostgreSQL. Slots live in
 * the data directory of the server that holds them: a crash with the lock released, a rewind (pg_rewind
 * empties {@code pg_replslot}) or a re-clone between two terms as leader loses them. So the set counts
 * as done only for the postmaster that was running when it was synced (its start time); a server
 * started since is checked again, and so is a set that could not be completed (a slot still in use
 * that must be dropped later). Before, the set alone was kept until a demotion: a leader whose
 * postmaster crashed (primary_start_timeout 0), was rewound without a demotion step and led again
 * with the same members skipped the slots, and its standbys could not stream ("replication slot does
 * not exist").
 */
final class SlotSyncCache {

    private String postmasterStart;
    private Set<String> slots;

    /** Whether {@code wanted} is known to be in place on the server started at {@code postmasterStart}. */
    boolean upToDate(String postmasterStartTime, Set<String> wanted) {
        return postmasterStartTime != null && postmasterStartTime.equals(postmasterStart)
                && Objects.equals(wanted, slots);
    }

    /** Records the outcome of a sync of {@code wanted}; only a complete one is remembered. */
    void synced(String postmasterStartTime, Set<String> wanted, boolean complete) {
        if (complete && postmasterStartTime != null) {
            postmasterStart = postmasterStartTime;
            slots = Set.copyOf(wanted);
        } else {
            clear();
        }
    }

    void clear() {
        postmasterStart = null;
        slots = null;
    }
}
