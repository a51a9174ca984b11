package io.has.ha;

import io.has.cluster.Cluster;
import io.has.cluster.ClusterStatus;
import io.has.cluster.Failover;
import io.has.cluster.HistoryEntry;
import io.has.cluster.HostPort;
import io.has.cluster.Leader;
import io.has.cluster.Member;
import io.has.cluster.MemberData;
import io.has.cluster.PgState;
import io.has.cluster.Role;
import io.has.cluster.SyncState;
import io.has.config.DynamicConfig;
import io.has.db.LocalState;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Fixture builders for decider tests, named after the situations they describe. */
final class Views {

    static final String SYSID = "7710701428579163618";
    static final long MY_SESSION = 0x1001;
    static final long NOW = 1_795_287_600_000L;

    private Views() {
    }

    // ---- local database states -------------------------------------------------------------

    static LocalState emptyDataDir() {
        return new LocalState(PgState.STOPPED, true, null, false, false, null, null, null, null, null, 0, null,
                List.of(), null, false, null);
    }

    static LocalState runningPrimary(long lsn, int timeline) {
        return new LocalState(PgState.RUNNING, false, SYSID, false, false, lsn, null, null, null, timeline, 150018,
                "2026-11-21 18:59:37.815812+00:00", List.of(), null, false, null);
    }

    /** A primary with WAL senders: each entry is {name, sync_state}. */
    static LocalState runningPrimaryWithStandbys(long lsn, String... nameAndSyncState) {
        List<io.has.db.ReplicationInfo> rows = new ArrayList<>();
        for (int i = 0; i < nameAndSyncState.length; i += 2) {
            rows.add(new io.has.db.ReplicationInfo("replicator", nameAndSyncState[i], "127.0.0.1", "streaming",
                    nameAndSyncState[i + 1], 0, lsn, lsn));
        }
        return new LocalState(PgState.RUNNING, false, SYSID, false, false, lsn, null, null, null, 1, 150018,
                "2026-11-21 18:59:37.815812+00:00", rows, null, false, null);
    }

    static Cluster withSync(Cluster c, String leader, String... standbys) {
        return new Cluster(c.initialize(), c.config(), c.leader(), c.members(), c.failover(),
                new SyncState(leader, List.of(standbys), 5), c.history(), c.status());
    }

    static LocalState runningReplica(long lsn, int timeline, HostPort upstream) {
        return new LocalState(PgState.RUNNING, false, SYSID, true, false, lsn, lsn, lsn, null, timeline, 150018,
                "2026-11-21 18:59:50.306090+00:00", List.of(), upstream, upstream != null, null);
    }

    /**
     * A standby whose WAL receiver is gone (not streaming) configured to follow {@code upstream}: its timeline
     * is exact when a receiver reported it since the postmaster started, else it is the restartpoint's.
     */
    static LocalState standbyNotStreaming(long lsn, int timeline, HostPort upstream, boolean timelineExact) {
        return new LocalState(PgState.RUNNING, false, SYSID, true, false, lsn, lsn, lsn, null, timeline, 150018,
                "2026-11-21 18:59:50.306090+00:00", List.of(), upstream, false, null, null, timelineExact, 0);
    }

    static LocalState stopped(boolean wasPrimary, int timeline) {
        return new LocalState(wasPrimary ? PgState.CRASHED : PgState.STOPPED, false, SYSID, false, wasPrimary, null,
                null, null, null, timeline, 0, null, List.of(), null, false, null);
    }

    /** A former primary stopped cleanly (fast shutdown) with its shutdown checkpoint at {@code checkpoint}. */
    static LocalState cleanlyStoppedPrimary(int timeline, long checkpoint) {
        return new LocalState(PgState.STOPPED, false, SYSID, false, true, null, null, null, null, timeline, 0, null,
                List.of(), null, false, null,
                new io.has.db.ControlData(SYSID, "shut down", true, true, timeline, checkpoint, true), true, 0);
    }

    /**
     * A crashed former primary whose postmaster is gone while {@code leftover} of its server's processes
     * (backends, WAL senders) still run.
     */
    static LocalState crashedWithLeftovers(int timeline, int leftover) {
        return new LocalState(PgState.CRASHED, false, SYSID, false, true, null, null, null, null, timeline, 0, null,
                List.of(), null, false, null, null, true, leftover);
    }

    static LocalState starting() {
        return new LocalState(PgState.STARTING, false, SYSID, true, false, null, null, null, null, null, 0, null,
                List.of(), null, false, null);
    }

    // ---- cluster keys ----------------------------------------------------------------------

    static Member member(String name, int n, Role role, long lsn, int timeline, Map<String, Object> tags) {
        MemberData d = new MemberData("postgres://127.0.0.1:" + (5431 + n) + "/postgres",
                "http://127.0.0.1:" + (8007 + n) + "/patroni", PgState.RUNNING, role, "0.1.0", tags, lsn, timeline,
                false);
        return new Member(name, d, 0x1000 + n, 0);
    }

    static HostPort pgAddress(int n) {
        return new HostPort("127.0.0.1", 5431 + n);
    }

    static Cluster emptyCluster() {
        return Cluster.EMPTY;
    }

    static Cluster bootstrapInProgress() {
        return new Cluster("", null, null, List.of(), Failover.NONE, SyncState.EMPTY, null, ClusterStatus.EMPTY);
    }

    /** pg1 leads (session 0x1001 is ours when we are pg1); pg2 and pg3 are replicas. */
    static Cluster ledBy(String leader, long optime, int timeline) {
        List<Member> members = new ArrayList<>();
        for (int i = 1; i <= 3; i++) {
            String n = "pg" + i;
            members.add(member(n, i, n.equals(leader) ? Role.PRIMARY : Role.REPLICA, optime, timeline, Map.of()));
        }
        int idx = Integer.parseInt(leader.substring(2));
        return new Cluster(SYSID, configKey(Map.of("ttl", 30)), new Leader(leader, 0x1000 + idx, 0), members,
                Failover.NONE, SyncState.EMPTY, List.of(), new ClusterStatus(optime, Map.of()));
    }

    /** The leader key is gone (its session expired); pg1..pg3 are still listed. */
    static Cluster unlocked(long optime, int timeline) {
        Cluster c = ledBy("pg1", optime, timeline);
        return new Cluster(c.initialize(), c.config(), null, c.members(), c.failover(), c.sync(), c.history(),
                c.status());
    }

    static Cluster withHistory(Cluster c, List<HistoryEntry> h) {
        return new Cluster(c.initialize(), c.config(), c.leader(), c.members(), c.failover(), c.sync(), h, c.status());
    }

    static Cluster withInitialize(Cluster c, String init) {
        return new Cluster(init, c.config(), c.leader(), c.members(), c.failover(), c.sync(), c.history(), c.status());
    }

    static Cluster withFailover(Cluster c, String leader, String candidate, java.time.OffsetDateTime at) {
        return new Cluster(c.initialize(), c.config(), c.leader(), c.members(), new Failover(leader, candidate, at, 3),
                c.sync(), c.history(), c.status());
    }

    static Cluster.ConfigKey configKey(Map<String, Object> m) {
        return new Cluster.ConfigKey(new LinkedHashMap<>(m), 0, 1);
    }

    // ---- the view --------------------------------------------------------------------------

    static Builder view(String me, Cluster cluster, LocalState local) {
        return new Builder(me, cluster, local);
    }

    static final class Builder {
        final String me;
        final Cluster cluster;
        final LocalState local;
        final Map<String, PeerStatus> peers = new HashMap<>();
        final Map<String, Object> tags = new HashMap<>();
        final Map<String, Object> dcs = new HashMap<>(Map.of("ttl", 30, "loop_wait", 10, "retry_timeout", 10));
        final Map<String, Object> pg = new HashMap<>(Map.of("use_slots", true, "use_pg_rewind", true));
        LongActionStatus longAction = LongActionStatus.IDLE;
        String dcsError;
        List<io.has.cluster.HistoryEntry> localHistory;
        boolean watchdogUsable = true;
        boolean rewindAvailable = true;
        ClusterView.Failsafe failsafe = ClusterView.Failsafe.NONE;

        Builder(String me, Cluster cluster, LocalState local) {
            this.me = me;
            this.cluster = cluster;
            this.local = local;
        }

        Builder peer(String name, boolean inRecovery, long wal) {
            peers.put(name, new PeerStatus(name, true, inRecovery, wal, false, false, 1, false, null));
            return this;
        }

        /** A standby peer whose WAL receiver still streams. */
        Builder streamingPeer(String name, long wal) {
            peers.put(name, new PeerStatus(name, true, true, wal, false, false, 1, true, null));
            return this;
        }

        Builder unreachablePeer(String name) {
            peers.put(name, PeerStatus.unreachable(name, "connection refused"));
            return this;
        }

        Builder tag(String k, Object v) {
            tags.put(k, v);
            return this;
        }

        Builder dcs(String k, Object v) {
            dcs.put(k, v);
            return this;
        }

        Builder pg(String k, Object v) {
            pg.put(k, v);
            return this;
        }

        Builder longAction(LongActionStatus s) {
            longAction = s;
            return this;
        }

        Builder localHistory(List<io.has.cluster.HistoryEntry> h) {
            localHistory = h;
            return this;
        }

        Builder failsafe(Map<String, String> members, Map<String, Boolean> acks) {
            failsafe = new ClusterView.Failsafe(members, acks);
            return this;
        }

        Builder noRewindTool() {
            rewindAvailable = false;
            return this;
        }

        Builder watchdogUnusable() {
            watchdogUsable = false;
            return this;
        }

        Builder dcsDown() {
            dcsError = "ZooKeeper unreachable";
            return this;
        }

        ClusterView build() {
            Map<String, Object> cfg = new HashMap<>(dcs);
            cfg.put("postgresql", pg);
            return new ClusterView(me, dcsError == null ? cluster : null, dcsError, MY_SESSION, local,
                    DynamicConfig.fromMap(cfg), peers, longAction, tags, Map.of("ttl", 30), NOW, localHistory, watchdogUsable, rewindAvailable, failsafe);
        }

        Decision decide() {
            return HaDecider.decide(build(), LoopMemory.INITIAL).decision();
        }
    }
}
