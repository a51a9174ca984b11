package io.has.ha;

import io.has.api.StatusSnapshot;
import io.has.db.LocalDatabase;
import io.has.db.LocalState;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.LongSupplier;

/**
 * A running standby's WAL positions and WAL receiver state for {@code GET /patroni}, read again when the
 * published ones are older than {@link #FRESH_MS}. The HA loop publishes its status once a cycle, so
 * between cycles it is up to {@code loop_wait} old. Members racing for the leader lock compare their own
 * position, read just now, with their peers' from this document: a stale one made a peer that had
 * received more WAL look behind, and the member with less could win the race. Patroni queries
 * PostgreSQL on every request. Here one request at a time reads (those waiting meanwhile are answered
 * from its result), at most every {@link #FRESH_MS}, and only for a running standby; the loop's own
 * publication, which follows a fuller probe, wins over a refresh made meanwhile.
 */
final class StatusFreshener {

    /** Positions read within this many milliseconds are answered as they are. */
    static final long FRESH_MS = 10;

    private final AtomicReference<StatusSnapshot> snapshot;
    private final LocalDatabase db;
    private final LongSupplier clockMs;
    private volatile long lastAttemptMs;

    StatusFreshener(AtomicReference<StatusSnapshot> snapshot, LocalDatabase db, LongSupplier clockMs) {
        this.snapshot = snapshot;
        this.db = db;
        this.clockMs = clockMs;
    }

    /** Whether {@link #refresh} would read PostgreSQL for {@code s} at {@code nowMs}. */
    boolean stale(StatusSnapshot s, long nowMs) {
        return s != null && s.local().isRunningReplica()
                && nowMs - Math.max(s.createdMs(), lastAttemptMs) >= FRESH_MS;
    }

    /** The published status, with the WAL positions read again first when they are stale. */
    synchronized StatusSnapshot refresh() {
        StatusSnapshot s = snapshot.get();
        long now = clockMs.getAsLong();
        if (!stale(s, now)) {
            return s;
        }
        lastAttemptMs = now;
        LocalState later = db.probeRunning(s.local().upstream());
        LocalState merged = s.local().withWalOf(later);
        if (merged != s.local()) {
            snapshot.compareAndSet(s, s.withLocal(merged, now));
        }
        return snapshot.get();
    }
}
