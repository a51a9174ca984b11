package io.has.ha;

import io.has.cluster.Member;
import io.has.cluster.PgState;
import io.has.cluster.SyncState;
import io.has.db.ReplicationInfo;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Synchronous replication on the leader (reference/patroni.md §4.7), as a pure plan the executor
 * carries out in order: (1) narrow the {@code sync} key to standbys that stay synchronous, (2) set
 * {@code synchronous_standby_names}, (3) widen the key to the standbys PostgreSQL confirms as sync.
 * So the key never names a standby that might lack acknowledged commits (invariant 4).
 */
public final class SyncPlanner {

    private SyncPlanner() {
    }

    /**
     * @param keyBefore write the sync key to this first (null: no write)
     * @param names     synchronous_standby_names members (null: {@code *}, empty: asynchronous)
     * @param count     how many of them must acknowledge
     * @param keyAfter  then write the sync key to this (null: no write)
     * @param awaiting  picked standbys PostgreSQL does not report as sync yet: look again soon
     */
    public record Plan(SyncState keyBefore, List<String> names, int count, SyncState keyAfter, boolean awaiting) {
    }

    static Plan plan(ClusterView v) {
        SyncState key = v.cluster().sync();
        if (!v.config().synchronousMode()) {
            // mode off: drop the key, stop waiting for standbys
            SyncState before = key.leader() != null || !key.syncStandby().isEmpty() ? SyncState.EMPTY : null;
            return new Plan(before, List.of(), 0, null, false);
        }
        Set<String> current = v.me().equals(key.leader()) ? new TreeSet<>(key.syncStandby()) : new TreeSet<>();
        List<String> picked = pick(v);
        Set<String> confirmed = new TreeSet<>();
        for (ReplicationInfo r : v.local().replication()) {
            if (picked.contains(r.applicationName()) && "sync".equals(r.syncState())) {
                confirmed.add(r.applicationName());
            }
        }
        Set<String> common = new TreeSet<>(current);
        common.retainAll(confirmed);
        SyncState before = null;
        if (!common.equals(current) || !v.me().equals(key.leader())) {
            before = new SyncState(v.me(), List.copyOf(common), key.version());
        }
        List<String> names = picked.isEmpty() && v.config().synchronousModeStrict() ? null : picked;
        SyncState after = null;
        if (!confirmed.isEmpty() && !confirmed.equals(common)) {
            after = new SyncState(v.me(), List.copyOf(confirmed), key.version());
        }
        return new Plan(before, names, v.config().synchronousNodeCount(), after, !confirmed.containsAll(picked));
    }

    /**
     * Candidates: streaming WAL senders whose application_name is a running member without
     * {@code nosync}, already-synchronous ones first, then by flush position; members without
     * {@code nofailover} preferred; {@code synchronous_node_count} of them.
     */
    static List<String> pick(ClusterView v) {
        List<ReplicationInfo> rows = new ArrayList<>();
        for (ReplicationInfo r : v.local().replication()) {
            Member m = v.cluster().member(r.applicationName()).orElse(null);
            if (m == null || m.name().equals(v.me()) || !"streaming".equals(r.state())
                    || m.data().state() != PgState.RUNNING || m.data().tagTrue("nosync")) {
                continue;
            }
            rows.add(r);
        }
        rows.sort(Comparator.comparing((ReplicationInfo r) -> v.cluster().member(r.applicationName())
                        .map(m -> m.data().noFailover()).orElse(true))
                .thenComparing(r -> !"sync".equals(r.syncState()))
                .thenComparing(r -> -(r.flushLsn() == null ? 0 : r.flushLsn())));
        Set<String> out = new LinkedHashSet<>();
        for (ReplicationInfo r : rows) {
            if (out.size() < v.config().synchronousNodeCount()) {
                out.add(r.applicationName());
            }
        }
        return new ArrayList<>(new TreeSet<>(out));
    }
}
