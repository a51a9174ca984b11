package io.has.api;

import io.has.db.LocalState;
import io.has.metrics.HasMetrics;
import java.util.List;
import java.util.Map;

/**
 * Patroni's {@code GET /metrics} in Prometheus text format 0.0.4: the metric names, HELP and TYPE lines
 * of Patroni 3.0.2 (golden dump), with v4 labels {@code {scope="..",name=".."}} and v4 vocabulary
 * ({@code patroni_primary} only, no {@code patroni_master}; no stray space before the labels of
 * {@code patroni_postgres_server_version}). Pure function of the snapshot.
 */
public final class MetricsWriter {

    /** The Content-Type Prometheus expects for this format. */
    public static final String CONTENT_TYPE = "text/plain; version=0.0.4; charset=utf-8";

    private MetricsWriter() {
    }

    /**
     * Renders all metrics; before the first HA cycle (null snapshot) every value is 0 and the labels
     * are empty.
     */
    public static String write(StatusSnapshot s) {
        return write(s, null);
    }

    /**
     * Patroni's metrics followed by HAS's own ({@link HasMetrics}); {@code control} may be null (no
     * decision log or DCS state yet: those values are 0).
     */
    public static String write(StatusSnapshot s, NodeControl control) {
        NodeStatus node = NodeStatus.of(s);
        Map<String, Object> doc = StatusDocument.build(s);
        LocalState local = s == null || s.local() == null ? LocalState.unknown() : s.local();
        boolean q = node.queryable();
        boolean primary = q && !local.inRecovery();
        boolean replica = q && local.inRecovery();
        String labels = "{scope=\"" + escape(s == null ? "" : s.scope()) + "\",name=\""
                + escape(s == null ? "" : s.name()) + "\"}";

        StringBuilder b = new StringBuilder(4096);
        Out out = new Out(b, labels);
        out.metric("patroni_version", "Patroni semver without periods.", "gauge",
                s == null ? "0" : PyFormat.paddedSemver(s.version()));
        out.metric("patroni_postgres_running", "Value is 1 if Postgres is running, 0 otherwise.", "gauge",
                flag(node.running()));
        out.metric("patroni_postmaster_start_time", "Epoch seconds since Postgres started.", "gauge",
                q ? PyFormat.epochSeconds(PyFormat.parseTimestamp(local.postmasterStartTime())) : "0");
        out.metric("patroni_primary", "Value is 1 if this node is the leader, 0 otherwise.", "gauge",
                flag(NodeStatus.PRIMARY.equals(node.role())));
        out.metric("patroni_xlog_location",
                "Current location of the Postgres transaction log, 0 if this node is not the leader.", "counter",
                num(primary ? local.walPosition() : null));
        out.metric("patroni_standby_leader", "Value is 1 if this node is the standby_leader, 0 otherwise.", "gauge",
                flag(NodeStatus.STANDBY_LEADER.equals(node.role())));
        out.metric("patroni_replica", "Value is 1 if this node is a replica, 0 otherwise.", "gauge",
                flag(NodeStatus.REPLICA.equals(node.role())));
        out.metric("patroni_sync_standby", "Value is 1 if this node is a sync standby replica, 0 otherwise.",
                "gauge", flag(node.syncStandby()));
        Long received = local.receivedLsn() != null ? local.receivedLsn() : local.replayedLsn();
        out.metric("patroni_xlog_received_location", "Current location of the received Postgres transaction log,"
                + " 0 if this node is not a replica.", "counter", num(replica ? received : null));
        out.metric("patroni_xlog_replayed_location", "Current location of the replayed Postgres transaction log,"
                + " 0 if this node is not a replica.", "counter", num(replica ? local.replayedLsn() : null));
        out.metric("patroni_xlog_replayed_timestamp",
                "Current timestamp of the replayed Postgres transaction log, 0 if null.", "gauge",
                replica ? PyFormat.epochSeconds(PyFormat.parseTimestamp(local.replayedTimestamp())) : "0");
        out.metric("patroni_xlog_paused", "Value is 1 if the Postgres xlog is paused, 0 otherwise.", "gauge", "0");
        out.metric("patroni_postgres_server_version", "Version of Postgres (if running), 0 otherwise.", "gauge",
                String.valueOf(q ? local.serverVersion() : 0));
        out.metric("patroni_cluster_unlocked", "Value is 1 if the cluster is unlocked, 0 if locked.", "gauge",
                flag(Boolean.TRUE.equals(doc.get("cluster_unlocked"))));
        // HELP text copied from Patroni as is (including its copy-paste wording) for dashboard parity.
        out.metric("patroni_failsafe_mode_is_active", "Value is 1 if the cluster is unlocked, 0 if locked.",
                "gauge", flag(s != null && s.stats().failsafeActive()));
        out.metric("patroni_postgres_timeline", "Postgres timeline of this node (if running), 0 otherwise.",
                "counter", q && local.timeline() != null ? String.valueOf(local.timeline()) : "0");
        out.metric("patroni_dcs_last_seen", "Epoch timestamp when DCS was last contacted successfully by Patroni.",
                "gauge", String.valueOf(s == null ? 0 : s.dcsLastSeenMs() / 1000));
        out.metric("patroni_pending_restart", "Value is 1 if the node needs a restart, 0 otherwise.", "gauge", "0");
        out.metric("patroni_is_paused", "Value is 1 if auto failover is disabled, 0 otherwise.", "gauge",
                flag(s != null && s.config() != null && s.paused()));
        String pairs = labels.substring(1, labels.length() - 1);
        StatusSnapshot.LoopStats st = s == null ? StatusSnapshot.LoopStats.NONE : s.stats();
        HasMetrics.Inputs in = new HasMetrics.Inputs(control == null ? List.of() : control.decisions(),
                control != null && control.dcs() != null && control.dcs().isConnected(), st.loopDurationSec(),
                st.dcsLatencySec(), st.vipHeld(), st.watchdogArmed());
        b.append(HasMetrics.write(in, pairs));
        return b.toString();
    }

    private record Out(StringBuilder b, String labels) {
        void metric(String name, String help, String type, String value) {
            b.append("# HELP ").append(name).append(' ').append(help).append('\n');
            b.append("# TYPE ").append(name).append(' ').append(type).append('\n');
            b.append(name).append(labels).append(' ').append(value).append('\n');
        }
    }

    private static String flag(boolean v) {
        return v ? "1" : "0";
    }

    private static String num(Long v) {
        return v == null ? "0" : String.valueOf(v);
    }

    /** Prometheus label-value escaping: backslash, double quote and newline. */
    static String escape(String v) {
        if (v == null) {
            return "";
        }
        return v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
