package io.has.ha;

import io.has.cluster.Cluster;
import io.has.cluster.HistoryEntry;
import io.has.cluster.Member;
import io.has.config.DynamicConfig;
import io.has.db.LocalState;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Everything one HA cycle decides on, observed once at the start of the cycle. Immutable.
 *
 * @param me             this member's name
 * @param cluster        the DCS snapshot, or null when the DCS could not be read
 * @param dcsError       why the DCS could not be read, or null
 * @param mySession      our ZooKeeper session id (0 when not connected)
 * @param local          the local database probe
 * @param config         dynamic config in force (from the DCS, else {@code bootstrap.dcs})
 * @param peers          peers' status, fetched only while the cluster has no leader (else empty)
 * @param longAction     the long-action runner's state
 * @param tags           this member's tags
 * @param bootstrapDcs   {@code bootstrap.dcs}, written to the {@code config} key by a leader that finds it empty
 * @param nowMs          wall-clock time of the observation (epoch ms)
 * @param localHistory   the local server's timeline history file, read only when the leader's
 *                       {@code history} key lacks its latest fork (else null)
 * @param watchdogUsable false when the watchdog is {@code required} but cannot be armed: then this
 *                       member must never take the lock
 * @param rewindAvailable a rewind tool matching the server is installed (else a diverged node is re-cloned)
 * @param failsafe       failsafe mode facts: the last {@code failsafe} key read, and which of its members
 *                       acknowledged our {@code POST /failsafe} this cycle (asked only while the DCS is down)
 */
public record ClusterView(
        String me,
        Cluster cluster,
        String dcsError,
        long mySession,
        LocalState local,
        DynamicConfig config,
        Map<String, PeerStatus> peers,
        LongActionStatus longAction,
        Map<String, Object> tags,
        Map<String, Object> bootstrapDcs,
        long nowMs,
        List<HistoryEntry> localHistory,
        boolean watchdogUsable,
        boolean rewindAvailable,
        Failsafe failsafe) {

    /**
     * @param members last known {@code failsafe} key (member → api_url)
     * @param acks    member → acknowledged, for the members asked this cycle (empty when nobody was asked)
     */
    public record Failsafe(Map<String, String> members, Map<String, Boolean> acks) {
        public static final Failsafe NONE = new Failsafe(Map.of(), Map.of());

        public Failsafe {
            members = members == null ? Map.of() : Map.copyOf(members);
            acks = acks == null ? Map.of() : Map.copyOf(acks);
        }
    }


    public ClusterView {
        peers = peers == null ? Map.of() : Map.copyOf(peers);
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        bootstrapDcs = bootstrapDcs == null ? Map.of() : bootstrapDcs;
        localHistory = localHistory == null ? null : List.copyOf(localHistory);
        failsafe = failsafe == null ? Failsafe.NONE : failsafe;
    }

    public boolean dcsOk() {
        return cluster != null;
    }

    /** Our session owns the leader znode and it carries our name. */
    public boolean holdsLock() {
        return cluster != null && cluster.leader() != null && cluster.leader().name().equals(me)
                && mySession != 0 && cluster.leader().session() == mySession;
    }

    /** The lock holder's member key, when the holder is someone else. */
    public Optional<Member> otherLeader() {
        if (cluster == null || cluster.leader() == null || cluster.leader().name().equals(me)) {
            return Optional.empty();
        }
        return cluster.leaderMember();
    }

    public boolean noFailover() {
        Object v = tags.get("nofailover");
        return v instanceof Boolean b ? b : v != null && "true".equalsIgnoreCase(String.valueOf(v));
    }

    /** {@code failover_priority} tag (default 1; 0 means never a candidate). */
    public int failoverPriority() {
        Object v = tags.get("failover_priority");
        if (v instanceof Number n) {
            return n.intValue();
        }
        try {
            return v == null ? 1 : Integer.parseInt(String.valueOf(v));
        } catch (NumberFormatException e) {
            return 1;
        }
    }

    /** The facts a decision rests on, for the decision log: small, stable keys. */
    public Map<String, Object> facts() {
        Map<String, Object> f = new java.util.LinkedHashMap<>();
        f.put("dcs", dcsOk() ? "ok" : "unreachable: " + dcsError);
        if (cluster != null) {
            f.put("leader", cluster.leader() == null ? null : cluster.leader().name());
            f.put("holds_lock", holdsLock());
            if (!cluster.failover().isEmpty()) {
                f.put("failover", (cluster.failover().leader() == null ? "" : cluster.failover().leader()) + " -> "
                        + (cluster.failover().candidate() == null ? "any" : cluster.failover().candidate()));
            }
            if (cluster.sync().leader() != null) {
                f.put("sync", cluster.sync().syncStandby());
            }
            f.put("leader_optime", cluster.status().optime());
        }
        f.put("postgres", local.state().wire() + (local.isRunning() ? (local.inRecovery() ? "/replica" : "/primary") : ""));
        f.put("wal", local.walPosition());
        f.put("timeline", local.timeline());
        if (!peers.isEmpty()) {
            Map<String, Object> p = new java.util.TreeMap<>();
            peers.values().forEach(s -> p.put(s.name(), !s.reachable() ? "unreachable"
                    : (s.inRecovery() ? "replica" : "primary") + " wal " + s.walPosition()));
            f.put("peers", p);
        }
        if (longAction.isRunning()) {
            f.put("long_action", longAction.running());
        }
        if (config.pause()) {
            f.put("paused", true);
        }
        return f;
    }
}
