package io.has.api;

import io.has.cluster.Cluster;
import io.has.cluster.Member;
import io.has.cluster.PgState;
import io.has.cluster.Role;
import io.has.db.LocalState;
import java.util.Map;
import java.util.Optional;

/**
 * The facts about this node that the status document, the health checks and the metrics all derive
 * from one snapshot, computed in one place so the three can never disagree (a GET of {@code /replica}
 * answers 200 exactly when its own body says {@code role: replica, state: running}).
 *
 * @param state          wire state reported in {@code state} ({@code unknown} when a running server
 *                       could not be probed)
 * @param role           reported role ({@code primary}, {@code replica}, {@code standby_leader}, or the
 *                       last published role when the server cannot be queried), or null when unknown
 * @param queryable      the local probe succeeded, so the full document (xlog, timeline, ...) is known
 * @param replayed       replayed WAL position of a replica (0 when unknown or primary)
 * @param syncStandby    this node is listed in the {@code sync} key while synchronous mode is on
 * @param standbyCluster the dynamic config describes a standby cluster
 */
record NodeStatus(String state, String role, boolean queryable, long replayed, boolean syncStandby,
                  boolean standbyCluster) {

    static final String PRIMARY = Role.PRIMARY.wire();
    static final String REPLICA = Role.REPLICA.wire();
    static final String STANDBY_LEADER = Role.STANDBY_LEADER.wire();

    /** Derives the node facts; a null snapshot (before the first HA cycle) gives an unknown node. */
    static NodeStatus of(StatusSnapshot s) {
        if (s == null) {
            return new NodeStatus(PgState.UNKNOWN.wire(), null, false, 0, false, false);
        }
        LocalState local = s.local() == null ? LocalState.unknown() : s.local();
        boolean standby = isStandbyCluster(s.config() == null ? null : s.config().raw());
        Optional<Member> self = s.cluster() == null ? Optional.empty() : s.cluster().member(s.name());
        boolean queryable = local.error() == null
                && (local.state() == PgState.RUNNING || local.state() == PgState.STARTING
                        || local.state() == PgState.RESTARTING);
        String role;
        String state;
        if (queryable) {
            state = local.state().wire();
            if (!local.inRecovery()) {
                role = PRIMARY;
            } else if (standby && self.map(m -> m.data().role() == Role.STANDBY_LEADER).orElse(false)) {
                role = STANDBY_LEADER;
            } else {
                role = REPLICA;
            }
        } else {
            // Patroni: a running server that cannot be queried reports "unknown" plus its cached role.
            state = local.state() == PgState.RUNNING ? PgState.UNKNOWN.wire() : local.state().wire();
            role = self.map(m -> m.data().role().wire()).orElse(null);
        }
        long replayed = queryable && local.inRecovery() && local.replayedLsn() != null ? local.replayedLsn() : 0;
        boolean sync = queryable && local.inRecovery() && s.config() != null && s.config().synchronousMode()
                && s.cluster() != null && s.cluster().sync().syncStandby().contains(s.name());
        return new NodeStatus(state, role, queryable, replayed, sync, standby);
    }

    boolean running() {
        return PgState.RUNNING.wire().equals(state);
    }

    /**
     * Patroni's {@code is_standby_cluster}: the {@code standby_cluster} section exists and names a
     * host, a port or a restore_command.
     */
    static boolean isStandbyCluster(Map<String, Object> config) {
        if (config == null || !(config.get("standby_cluster") instanceof Map<?, ?> sc)) {
            return false;
        }
        return truthy(sc.get("host")) || truthy(sc.get("port")) || truthy(sc.get("restore_command"));
    }

    /** Standby-cluster test against the {@code config} key of a cluster (what {@code /cluster} looks at). */
    static boolean isStandbyCluster(Cluster cluster) {
        return cluster != null && cluster.config() != null && isStandbyCluster(cluster.config().value());
    }

    private static boolean truthy(Object o) {
        if (o == null) {
            return false;
        }
        if (o instanceof Boolean b) {
            return b;
        }
        if (o instanceof Number n) {
            return n.doubleValue() != 0;
        }
        return !String.valueOf(o).isEmpty();
    }
}
