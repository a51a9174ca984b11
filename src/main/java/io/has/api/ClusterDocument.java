package io.has.api;

import io.has.cluster.Cluster;
import io.has.cluster.Failover;
import io.has.cluster.HistoryEntry;
import io.has.cluster.HostPort;
import io.has.cluster.Member;
import io.has.cluster.MemberData;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The DCS-derived documents: {@code GET /cluster} (Patroni's {@code cluster_as_json}) and
 * {@code GET /history}. Pure functions of the cached {@link Cluster}; nothing is read from ZooKeeper.
 */
public final class ClusterDocument {

    private ClusterDocument() {
    }

    /**
     * {@code {"members": [...], "pause"?: true, "scheduled_switchover"?: {...}}}, members sorted by name.
     * Roles: {@code leader} (or {@code standby_leader} in a standby cluster) for the lock holder,
     * {@code sync_standby} for members of the {@code sync} key, else {@code replica}. Non-leaders carry
     * {@code lag} = status optime − xlog_location (0 if negative, {@code "unknown"} if not published).
     *
     * @param cluster the cached cluster (non-null)
     * @param paused  the dynamic config in force says pause
     */
    public static Map<String, Object> cluster(Cluster cluster, boolean paused) {
        String leaderName = cluster.leader() == null ? null : cluster.leader().name();
        String leaderRole = NodeStatus.isStandbyCluster(cluster) ? "standby_leader" : "leader";
        long clusterLsn = cluster.status().optime();

        List<Member> sorted = new ArrayList<>(cluster.members());
        sorted.sort(Comparator.comparing(Member::name));
        List<Map<String, Object>> members = new ArrayList<>(sorted.size());
        for (Member m : sorted) {
            MemberData d = m.data();
            Map<String, Object> out = new LinkedHashMap<>();
            out.put("name", m.name());
            boolean isLeader = m.name().equals(leaderName);
            if (isLeader) {
                out.put("role", leaderRole);
            } else if (cluster.sync().syncStandby().contains(m.name())) {
                out.put("role", "sync_standby");
            } else {
                out.put("role", "replica");
            }
            out.put("state", d.state().wire());
            out.put("api_url", d.apiUrl());
            HostPort pg = m.pgAddress();
            if (pg != null && !pg.host().isEmpty()) {
                out.put("host", pg.host());
                if (pg.port() > 0) {
                    out.put("port", pg.port());
                }
            }
            if (d.timeline() != null) {
                out.put("timeline", d.timeline());
            }
            if (!d.tags().isEmpty()) {
                out.put("tags", new LinkedHashMap<>(d.tags()));
            }
            if (!isLeader) {
                Long lsn = d.xlogLocation();
                out.put("lag", lsn == null ? "unknown" : Math.max(0, clusterLsn - lsn));
            }
            members.add(out);
        }
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("members", members);
        if (paused) {
            doc.put("pause", true);
        }
        Failover f = cluster.failover();
        if (f != null && f.scheduledAt() != null) {
            Map<String, Object> sw = new LinkedHashMap<>();
            sw.put("at", PyFormat.isoformat(f.scheduledAt()));
            if (f.leader() != null && !f.leader().isEmpty()) {
                sw.put("from", f.leader());
            }
            if (f.candidate() != null && !f.candidate().isEmpty()) {
                sw.put("to", f.candidate());
            }
            doc.put("scheduled_switchover", sw);
        }
        return doc;
    }

    /**
     * The {@code history} key as Patroni stores it: {@code [[tl, lsn, reason, timestamp, leader], ...]};
     * entries from old writers without timestamp/leader keep their shorter form. {@code []} when absent.
     */
    public static List<List<Object>> history(Cluster cluster) {
        List<List<Object>> out = new ArrayList<>();
        if (cluster == null || cluster.history() == null) {
            return out;
        }
        for (HistoryEntry e : cluster.history()) {
            List<Object> line = new ArrayList<>(5);
            line.add(e.timeline());
            line.add(e.lsn());
            line.add(e.reason());
            if (e.timestamp() != null || e.newLeader() != null) {
                line.add(e.timestamp());
            }
            if (e.newLeader() != null) {
                line.add(e.newLeader());
            }
            out.add(line);
        }
        return out;
    }
}
