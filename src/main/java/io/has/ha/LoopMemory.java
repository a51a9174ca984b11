package io.has.ha;

/**
 * The few facts that must survive from one cycle to the next, kept explicit and immutable so the
 * decider stays a pure function of (view, memory).
 *
 * @param crashedSinceMs     when we, holding the lock, first saw our primary not running (0 = not crashed)
 * @param lastLeader         name of the last leader seen in the DCS (Patroni's old_cluster), or null
 * @param switchoverDemoteMs when we demoted ourselves for a switchover (0 = not recently): until the
 *                           candidate takes the lock, the old primary stays down instead of restarting
 * @param needsRewind        our WAL went past the leader's fork point: once stopped, rewind or re-clone
 *                           (the control file of a stopped standby no longer says so)
 */
public record LoopMemory(long crashedSinceMs, String lastLeader, long switchoverDemoteMs, boolean needsRewind) {

    public static final LoopMemory INITIAL = new LoopMemory(0, null, 0, false);

    public LoopMemory withCrashedSince(long ms) {
        return new LoopMemory(ms, lastLeader, switchoverDemoteMs, needsRewind);
    }

    public LoopMemory withLastLeader(String name) {
        return new LoopMemory(crashedSinceMs, name, switchoverDemoteMs, needsRewind);
    }

    public LoopMemory withNeedsRewind(boolean value) {
        return new LoopMemory(crashedSinceMs, lastLeader, switchoverDemoteMs, value);
    }

    public LoopMemory withSwitchoverDemote(long ms) {
        return new LoopMemory(crashedSinceMs, lastLeader, ms, needsRewind);
    }
}
