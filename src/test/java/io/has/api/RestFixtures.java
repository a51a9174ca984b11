package io.has.api;

import io.has.cluster.Cluster;
import io.has.cluster.ClusterStatus;
import io.has.cluster.Failover;
import io.has.cluster.HistoryEntry;
import io.has.cluster.Leader;
import io.has.cluster.Member;
import io.has.cluster.MemberData;
import io.has.cluster.PgState;
import io.has.cluster.Role;
import io.has.cluster.SyncState;
import io.has.config.DynamicConfig;
import io.has.db.LocalState;
import io.has.db.ReplicationInfo;
import java.util.List;
import java.util.Map;

/**
 * Snapshots named after situations, modelled on the golden Patroni 3.0.2 cluster "batman": pg1 is the
 * leader, pg2 and pg3 stream from it, all at LSN 67108960 on timeline 1.
 */
public final class RestFixtures {

    /** The wall clock every fixture and test server agrees on (the golden dump's time). */
    public static final long NOW = 1_795_287_610_000L;
    static final String SCOPE = "batman";
    public static final String SYSID = "7710701428579163618";
    public static final long LSN = 67_108_960L;
    public static final String VERSION = "0.1.0";

    private RestFixtures() {
    }

    public static Map<String, Object> goldenConfig() {
        return Map.of(
                "loop_wait", 10,
                "maximum_lag_on_failover", 1048576,
                "postgresql", Map.of(
                        "parameters", Map.of(
                                "hot_standby", "on",
                                "max_connections", 100,
                                "max_replication_slots", 10,
                                "max_wal_senders", 10,
                                "wal_keep_size", "128MB",
                                "wal_level", "replica",
                                "wal_log_hints", "on"),
                        "use_pg_rewind", true,
                        "use_slots", true),
                "retry_timeout", 10,
                "ttl", 30);
    }

    static Member member(String name, Role role, int pgPort, int apiPort, Long xlog, Map<String, Object> tags) {
        return new Member(name, new MemberData("postgres://127.0.0.1:" + pgPort + "/postgres",
                "http://127.0.0.1:" + apiPort + "/patroni", PgState.RUNNING, role, VERSION, tags, xlog, 1, false),
                1000 + pgPort, 0);
    }

    /** pg1 holds the lock; sync key and failover as given; status optime as given. */
    static Cluster cluster(long optime, SyncState sync, Failover failover, List<HistoryEntry> history) {
        return new Cluster(SYSID, new Cluster.ConfigKey(goldenConfig(), 0, 5), new Leader("pg1", 1005432, 0),
                List.of(member("pg1", Role.PRIMARY, 5432, 8008, LSN, Map.of()),
                        member("pg2", Role.REPLICA, 5433, 8009, LSN, Map.of()),
                        member("pg3", Role.REPLICA, 5434, 8010, LSN, Map.of())),
                failover, sync, history, new ClusterStatus(optime, Map.of()));
    }

    static Cluster goldenCluster() {
        return cluster(LSN, SyncState.EMPTY, Failover.NONE, List.of());
    }

    static LocalState runningPrimary() {
        return new LocalState(PgState.RUNNING, false, SYSID, false, false, LSN, null, null, null, 1, 150018,
                "2026-11-21 18:59:37.815812+00:00",
                List.of(new ReplicationInfo("replicator", "pg3", "127.0.0.1", "streaming", "async", 0, LSN, LSN),
                        new ReplicationInfo("replicator", "pg2", "127.0.0.1", "streaming", "async", 0, LSN, LSN)),
                null, false, null);
    }

    static LocalState runningReplica(long replayed) {
        return new LocalState(PgState.RUNNING, false, SYSID, true, false, replayed, replayed, replayed, null, 1,
                150018, "2026-11-21 18:59:50.306090+00", List.of(), null, true, null);
    }

    static LocalState stopped() {
        return new LocalState(PgState.STOPPED, false, SYSID, false, false, null, null, null, null, 1, 0, null,
                List.of(), null, false, null);
    }

    static StatusSnapshot snapshot(String name, LocalState local, boolean holdsLock, Cluster cluster,
                                   DynamicConfig config, Map<String, Object> tags, long nextRunMs) {
        return new StatusSnapshot(SCOPE, name, VERSION, local, holdsLock, NOW + 20_000, cluster,
                cluster == null ? 0 : NOW - 9_000, config, tags, SYSID, nextRunMs, NOW - 1_000);
    }

    static DynamicConfig config() {
        return DynamicConfig.fromMap(goldenConfig());
    }

    static DynamicConfig config(Map<String, Object> overrides) {
        Map<String, Object> m = new java.util.HashMap<>(goldenConfig());
        m.putAll(overrides);
        return DynamicConfig.fromMap(m);
    }

    /** pg1: running primary holding the lock, cycle due in 10 s. */
    public static StatusSnapshot leaderSnapshot() {
        return snapshot("pg1", runningPrimary(), true, goldenCluster(), config(), Map.of(), NOW + 10_000);
    }

    /** pg2: streaming replica, fully caught up. */
    static StatusSnapshot replicaSnapshot() {
        return replicaSnapshot(goldenCluster(), config(), Map.of());
    }

    static StatusSnapshot replicaSnapshot(Cluster cluster, DynamicConfig config, Map<String, Object> tags) {
        return snapshot("pg2", runningReplica(LSN), false, cluster, config, tags, NOW + 10_000);
    }

    /** pg2 with its database stopped (it published role replica before). */
    static StatusSnapshot stoppedSnapshot() {
        return snapshot("pg2", stopped(), false, goldenCluster(), config(), Map.of(), NOW + 10_000);
    }

    /** pg1 leading a paused cluster. */
    static StatusSnapshot pausedSnapshot() {
        return snapshot("pg1", runningPrimary(), true, goldenCluster(), config(Map.of("pause", true)), Map.of(),
                NOW + 10_000);
    }

    /** pg2 running as a replica, but the DCS has never been read. */
    static StatusSnapshot noClusterYet() {
        return snapshot("pg2", runningReplica(LSN), false, null, DynamicConfig.DEFAULT, Map.of(), NOW + 10_000);
    }
}
