package io.has.api;

import io.has.cluster.PgState;
import io.has.db.LocalState;
import io.has.db.ReplicationInfo;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Builds Patroni's status document (reference/patroni.md §3.3): the body of {@code GET /patroni} and of
 * every health-check GET. Field names and JSON types match Patroni; the role vocabulary is v4
 * ({@code primary}, not {@code master}) and {@code patroni.name} is included as in v4. Pure function of
 * the snapshot.
 */
public final class StatusDocument {

    private StatusDocument() {
    }

    /**
     * The status document as an ordered map ready for JSON serialisation.
     *
     * @param s the latest snapshot, or null before the first HA cycle
     */
    public static Map<String, Object> build(StatusSnapshot s) {
        return build(s, null);
    }

    /**
     * The status document with the node's scheduled restart, if any, as Patroni shows it:
     * {@code scheduled_restart: {"schedule": <isoformat>, <the request's filters>}} (without
     * {@code postmaster_start_time}).
     *
     * @param s         the latest snapshot, or null before the first HA cycle
     * @param scheduled the restart waiting for its time, or null
     */
    public static Map<String, Object> build(StatusSnapshot s, NodeControl.ScheduledRestart scheduled) {
        NodeStatus node = NodeStatus.of(s);
        Map<String, Object> doc = new LinkedHashMap<>();
        if (s == null) {
            doc.put("state", PgState.UNKNOWN.wire());
            doc.put("cluster_unlocked", true);
            doc.put("dcs_last_seen", 0);
            return doc;
        }
        LocalState local = s.local() == null ? LocalState.unknown() : s.local();
        doc.put("state", node.state());
        if (node.queryable()) {
            if (local.postmasterStartTime() != null) {
                doc.put("postmaster_start_time", PyFormat.normaliseTimestamp(local.postmasterStartTime()));
            }
            doc.put("role", node.role());
            doc.put("server_version", local.serverVersion());
            doc.put("xlog", xlog(local));
            if (node.syncStandby()) {
                doc.put("sync_standby", true);
            }
            if (local.timeline() != null) {
                doc.put("timeline", local.timeline());
            }
            if (local.inRecovery()) {
                // Patroni 4's field; members racing for the lock wait for receivers that still stream
                doc.put("replication_state", local.streaming() ? "streaming" : "in archive recovery");
            }
            if (!local.inRecovery() && !local.replication().isEmpty()) {
                doc.put("replication", replication(local.replication()));
            }
        } else if (node.role() != null) {
            doc.put("role", node.role());
        }
        if (s.cluster() == null || s.cluster().isUnlocked()) {
            doc.put("cluster_unlocked", true);
        }
        doc.put("dcs_last_seen", s.dcsLastSeenMs() / 1000);
        if (!s.tags().isEmpty()) {
            doc.put("tags", new LinkedHashMap<>(s.tags()));
        }
        String sysid = s.systemId() != null ? s.systemId() : local.systemId();
        if (sysid != null) {
            doc.put("database_system_identifier", sysid);
        }
        Map<String, Object> patroni = new LinkedHashMap<>();
        patroni.put("version", s.version());
        patroni.put("scope", s.scope());
        patroni.put("name", s.name());
        doc.put("patroni", patroni);
        if (s.stats().failsafeActive()) {
            doc.put("failsafe_mode_is_active", true);
        }
        if (scheduled != null) {
            doc.put("scheduled_restart", scheduledRestart(scheduled));
        }
        if (s.stats().watchdogFailed()) {
            // peers read this: a member whose required watchdog is unusable is not a failover candidate
            doc.put("watchdog_failed", true);
        }
        if (s.config() != null && s.paused()) {
            doc.put("pause", true);
        }
        return doc;
    }

    /** {@code {"schedule": <isoformat>, <the request's filters>}}, as Patroni shows a scheduled restart. */
    public static Map<String, Object> scheduledRestart(NodeControl.ScheduledRestart scheduled) {
        Map<String, Object> out = new LinkedHashMap<>();
        out.put("schedule", PyFormat.isoformat(scheduled.at()));
        NodeControl.RestartRequest r = scheduled.request();
        if (r != null && r.role() != null) {
            out.put("role", r.role());
        }
        if (r != null && r.postgresVersion() != null) {
            out.put("postgres_version", r.postgresVersion());
        }
        if (r != null && r.restartPending() != null) {
            out.put("restart_pending", r.restartPending());
        }
        if (r != null && r.timeoutSeconds() != null) {
            out.put("timeout", r.timeoutSeconds());
        }
        return out;
    }

    private static Map<String, Object> xlog(LocalState local) {
        Map<String, Object> x = new LinkedHashMap<>();
        if (local.inRecovery()) {
            Long replayed = local.replayedLsn();
            x.put("received_location", local.receivedLsn() != null ? local.receivedLsn() : replayed);
            x.put("replayed_location", replayed);
            x.put("replayed_timestamp", local.replayedTimestamp() == null
                    ? null : PyFormat.normaliseTimestamp(local.replayedTimestamp()));
            // LocalState does not probe pg_is_wal_replay_paused(); HAS never pauses replay itself.
            x.put("paused", false);
        } else {
            x.put("location", local.walPosition());
        }
        return x;
    }

    private static List<Map<String, Object>> replication(List<ReplicationInfo> senders) {
        List<Map<String, Object>> rows = new ArrayList<>(senders.size());
        for (ReplicationInfo r : senders) {
            Map<String, Object> row = new LinkedHashMap<>();
            row.put("usename", r.usename());
            row.put("application_name", r.applicationName());
            row.put("client_addr", r.clientAddr());
            row.put("state", r.state());
            row.put("sync_state", r.syncState());
            row.put("sync_priority", r.syncPriority());
            rows.add(row);
        }
        return rows;
    }
}
