package io.has.ha;

/**
 * The few facts that must survive from one cycle to the next, kept explicit and immutable so the
 * decider stays a pure function of (view, memory).
 *
 * @param crashedSinceMs      when we, holding the lock, first saw our primary not running (0 = not crashed)
 * @param lastLeader          name of the last leader seen in the DCS (Patroni's old_cluster), or null
 * @param switchoverDemoteMs  when we demoted ourselves for a switchover (0 = not recently): until the
 *                            candidate takes the lock, the old primary stays down instead of restarting
 * @param needsRewind         our WAL went past the leader's fork point: once stopped, rewind or re-clone
 *                            (the control file of a stopped standby no longer says so)
 * @param primaryDataTimeline we started a standby without upstream from a former primary's data on this
 *                            timeline (null otherwise): before following a leader, check it did not diverge
 * @param rewindFailedMs      when a failed pg_rewind was first seen (0 = none), to pace retries
 * @param rewindFailedLeader  the leader that rewind ran against
 * @param startingSinceMs     when our server was first seen starting, not yet accepting connections (0 = not)
 * @param unlockedSinceMs     when the DCS was first seen without a leader key (0 = there is one, or the DCS
 *                            could not be read)
 */
public record LoopMemory(long crashedSinceMs, String lastLeader, long switchoverDemoteMs, boolean needsRewind,
        Integer primaryDataTimeline, long rewindFailedMs, String rewindFailedLeader, long startingSinceMs,
        long unlockedSinceMs) {

    public static final LoopMemory INITIAL = new LoopMemory(0, null, 0, false, null, 0, null, 0, 0);

    public LoopMemory withCrashedSince(long ms) {
        return new LoopMemory(ms, lastLeader, switchoverDemoteMs, needsRewind, primaryDataTimeline, rewindFailedMs,
                rewindFailedLeader, startingSinceMs, unlockedSinceMs);
    }

    public LoopMemory withLastLeader(String name) {
        return new LoopMemory(crashedSinceMs, name, switchoverDemoteMs, needsRewind, primaryDataTimeline,
                rewindFailedMs, rewindFailedLeader, startingSinceMs, unlockedSinceMs);
    }

    public LoopMemory withNeedsRewind(boolean value) {
        return new LoopMemory(crashedSinceMs, lastLeader, switchoverDemoteMs, value, primaryDataTimeline,
                rewindFailedMs, rewindFailedLeader, startingSinceMs, unlockedSinceMs);
    }

    public LoopMemory withSwitchoverDemote(long ms) {
        return new LoopMemory(crashedSinceMs, lastLeader, ms, needsRewind, primaryDataTimeline, rewindFailedMs,
                rewindFailedLeader, startingSinceMs, unlockedSinceMs);
    }

    public LoopMemory withPrimaryDataTimeline(Integer timeline) {
        return new LoopMemory(crashedSinceMs, lastLeader, switchoverDemoteMs, needsRewind, timeline, rewindFailedMs,
                rewindFailedLeader, startingSinceMs, unlockedSinceMs);
    }

    public LoopMemory withRewindFailed(long ms, String leader) {
        return new LoopMemory(crashedSinceMs, lastLeader, switchoverDemoteMs, needsRewind, primaryDataTimeline, ms,
                leader, startingSinceMs, unlockedSinceMs);
    }

    public LoopMemory withStartingSince(long ms) {
        return new LoopMemory(crashedSinceMs, lastLeader, switchoverDemoteMs, needsRewind, primaryDataTimeline,
                rewindFailedMs, rewindFailedLeader, ms, unlockedSinceMs);
    }

    public LoopMemory withUnlockedSince(long ms) {
        return new LoopMemory(crashedSinceMs, lastLeader, switchoverDemoteMs, needsRewind, primaryDataTimeline,
                rewindFailedMs, rewindFailedLeader, startingSinceMs, ms);
    }
}
