package io.has.ha;

/**
 * The few facts that must survive from one cycle to the next, kept explicit and immutable so the
 * decider stays a pure function of (view, memory).
 *
 * @param crashedSinceMs   when we, holding the lock, first saw our primary not running (0 = not crashed)
 * @param lastLeader       name of the last leader seen in the DCS (Patroni's old_cluster), or null
 */
public record LoopMemory(long crashedSinceMs, String lastLeader) {

    public static final LoopMemory INITIAL = new LoopMemory(0, null);

    public LoopMemory withCrashedSince(long ms) {
        return new LoopMemory(ms, lastLeader);
    }

    public LoopMemory withLastLeader(String name) {
        return new LoopMemory(crashedSinceMs, name);
    }
}
