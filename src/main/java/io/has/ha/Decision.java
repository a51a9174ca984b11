package io.has.ha;

import io.has.cluster.HistoryEntry;
import io.has.db.Upstream;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * What one HA cycle decided, as data. Each decision carries the one sentence that explains it
 * ({@link #describe()}), in Patroni's words where Patroni has words for it. The executor performs
 * the decision; tests assert on the record.
 */
public sealed interface Decision {

    /** The human sentence logged once when the decision changes and shown in the decision log. */
    String describe();

    /** A stable short name for counting and deduplication. */
    default String kind() {
        return getClass().getSimpleName();
    }

    /** How soon a decision that waits on a matter of milliseconds is looked at again. */
    long BRIEF_POLL_MS = 10;

    /** The next cycle should come soon: the decision waits on something no watch reports. */
    default boolean pollSoon() {
        return false;
    }

    /** With {@link #pollSoon()}: the next cycle comes within this many milliseconds. */
    default long pollSoonMs() {
        return HaLoop.POLL_SOON_MS;
    }

    /** Whether acting on it changes the local database or the lock (the loop then re-runs at once). */
    default boolean changesState() {
        return true;
    }

    /**
     * Nothing to do. With {@code pollSoon}, the wait depends on something no watch reports — another
     * member's data (member data changes are not watched, as in Patroni) or the end of our server's
     * start: look again shortly instead of sleeping a whole {@code loop_wait}.
     */
    record NoAction(String reason, boolean pollSoon) implements Decision {
        public NoAction(String reason) {
            this(reason, false);
        }

        /** A wait on another member's data. */
        static NoAction waitingFor(String reason) {
            return new NoAction(reason, true);
        }

        @Override
        public String describe() {
            return reason;
        }

        @Override
        public boolean changesState() {
            return false;
        }
    }

    /** A long action is running; the lock (held in the ZooKeeper session) stays ours meanwhile. */
    record WaitLongAction(String action, boolean holdsLock) implements Decision {
        @Override
        public String describe() {
            return holdsLock ? "updated leader lock during " + action : action + " in progress";
        }

        @Override
        public boolean changesState() {
            return false;
        }
    }

    /** Race for {@code initialize}; the winner runs initdb and takes the lock. */
    record BootstrapCluster() implements Decision {
        @Override
        public String describe() {
            return "trying to bootstrap a new cluster";
        }
    }

    /** Clone an empty data directory from a running member and start it as a standby. */
    record CloneReplica(Upstream source) implements Decision {
        @Override
        public String describe() {
            return "trying to bootstrap from leader '" + source.memberName() + "'";
        }
    }

    /** Data exists but {@code initialize} is missing from an unlocked cluster: publish our system id. */
    record WriteInitialize(String systemId) implements Decision {
        @Override
        public String describe() {
            return "initialize key missing: writing system identifier " + systemId;
        }
    }

    /** Start the stopped server, as a standby of {@code upstream} (or of nobody) or as a primary. */
    record StartPostgres(boolean standby, Upstream upstream, String reason) implements Decision {
        @Override
        public String describe() {
            return reason;
        }
    }

    /** Rewind a former primary against the leader, then start it as a standby. */
    record Rewind(Upstream source) implements Decision {
        @Override
        public String describe() {
            return "running pg_rewind from " + source.memberName();
        }
    }

    /** Wipe the data directory, clone it again from the leader and start it as a standby. */
    record Reinitialize(Upstream source, String reason) implements Decision {
        @Override
        public String describe() {
            return reason;
        }
    }

    /**
     * Take the leader lock as the healthiest member; promote when running as a standby.
     *
     * @param promote      the local server is a standby and must be promoted after the lock is ours
     * @param clearFailover the {@code failover} key must be cleared after taking the lock
     * @param sync          synchronous mode: claim the sync key before promoting (null otherwise)
     */
    record AcquireLock(boolean promote, boolean clearFailover, PromoteSync sync, String reason) implements Decision {
        @Override
        public String describe() {
            return reason;
        }
    }

    /**
     * Synchronous mode before a promotion: write the sync key {@code {leader: me, sync_standby: null}}
     * (compare-and-set on {@code version}; a lost race postpones the promotion), then make the server
     * wait for any standby ({@code strict}) or none.
     */
    record PromoteSync(int version, boolean strict) {
    }

    /** We hold the lock but the server is a standby: promote it. */
    record Promote(PromoteSync sync, String reason) implements Decision {
        @Override
        public String describe() {
            return reason;
        }
    }

    /**
     * We hold the lock and run as primary: keep leading and do the leader's housekeeping.
     *
     * @param slots           physical slots the primary must have (null: leave slots alone)
     * @param writeInitialize system id to write to a missing or invalid {@code initialize}, or null
     * @param writeConfig     config to write to a missing {@code config} key, or null
     * @param history         history to write when the key is missing, or null
     * @param sync            synchronous replication steps, or null when there is nothing to manage
     * @param writeFailsafe   the {@code failsafe} key to write (failsafe mode, when it changed), or null
     */
    record Lead(Set<String> slots, String writeInitialize, Map<String, Object> writeConfig,
            List<HistoryEntry> history, SyncPlanner.Plan sync, Map<String, String> writeFailsafe, String reason)
            implements Decision {
        @Override
        public String describe() {
            return reason;
        }

        @Override
        public boolean pollSoon() {
            return sync != null && sync.awaiting();
        }

        @Override
        public boolean changesState() {
            return false;
        }
    }

    /** How to demote: which stop mode, and whether the lock is given up. */
    enum DemoteMode {
        /** Switchover: clean (fast) shutdown so the candidate receives all WAL, then release the lock. */
        GRACEFUL,
        /** DCS unreachable: stop fast, keep no lock, restart as a standby of nobody. */
        OFFLINE,
        /** Another member holds the lock: stop at once, the lock is not ours. */
        IMMEDIATE_NOLOCK,
        /** We hold the lock but must give it up (crash without restart): stop at once and release. */
        IMMEDIATE
    }

    /**
     * Stop accepting writes: stop the server; a later cycle rewinds or restarts it as a standby.
     *
     * @param killAfterSeconds kill the postmaster when the stop takes longer (0: never)
     */
    record Demote(DemoteMode mode, int killAfterSeconds, String reason) implements Decision {
        public Demote(DemoteMode mode, String reason) {
            this(mode, 0, reason);
        }

        @Override
        public String describe() {
            return reason;
        }
    }

    /**
     * Clear the {@code failover} key (compare-and-set on its version): it was acted on, is stale, or
     * cannot be honoured.
     */
    record ClearFailover(int version, String reason) implements Decision {
        @Override
        public String describe() {
            return reason;
        }

        @Override
        public boolean changesState() {
            return false;
        }
    }

    /**
     * The DCS is unreachable but every member listed in the {@code failsafe} key acknowledged us:
     * keep running as primary (failsafe mode, reference/patroni.md §4.9).
     */
    record FailsafeLead(String reason) implements Decision {
        @Override
        public String describe() {
            return reason;
        }

        @Override
        public boolean changesState() {
            return false;
        }
    }

    /**
     * A wait on something that takes milliseconds and that no watch reports: nothing is done, and the
     * next cycle comes after {@link #BRIEF_POLL_MS}.
     */
    sealed interface BriefWait extends Decision {
        String reason();

        @Override
        default String describe() {
            return reason();
        }

        @Override
        default boolean pollSoon() {
            return true;
        }

        @Override
        default long pollSoonMs() {
            return BRIEF_POLL_MS;
        }

        @Override
        default boolean changesState() {
            return false;
        }
    }

    /**
     * Holding the lock, our postmaster has died but some of its server's processes still run: they can
     * still commit and send WAL. Releasing the lock or restarting waits until they have exited (they do
     * within milliseconds when they notice), so that the members racing for the lock compare their final
     * positions.
     */
    record AwaitServerExit(int processes, String reason) implements BriefWait {
    }

    /**
     * Nobody holds the lock and this member would win the race, but a WAL receiver (its own or a
     * candidate peer's) still streams: WAL the old primary sent just before it went away may not be
     * written yet, so the positions compared are not final.
     */
    record AwaitReceivers(String reason) implements BriefWait {
    }

    /** Give up the leader lock without touching the server. */
    record ReleaseLock(String reason) implements Decision {
        @Override
        public String describe() {
            return reason;
        }
    }

    /** A running standby streams from the wrong place: point it at {@code upstream}. */
    record Follow(Upstream upstream, String reason) implements Decision {
        @Override
        public String describe() {
            return reason;
        }
    }
}
