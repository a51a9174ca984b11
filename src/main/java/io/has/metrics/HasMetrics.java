package io.has.metrics;

import io.has.ha.DecisionLog;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * HAS's own metrics, appended to Patroni's in {@code GET /metrics} (Prometheus text format 0.0.4, same
 * {@code scope}/{@code name} labels). Values the daemon does not publish yet are reported as 0 and say so
 * in their HELP text; the names are stable so dashboards can be built now.
 */
public final class HasMetrics {

    /**
     * What the daemon knows at scrape time.
     *
     * @param decisions        the retained decision log (oldest first)
     * @param dcsConnected     the ZooKeeper client believes its session is usable
     * @param loopDurationSec  duration of the last HA cycle, or null when not measured
     * @param dcsLatencySec    duration of the last DCS read, or null when not measured
     * @param vipHeld          this node holds the virtual IP, or null when there is no VIP manager
     * @param watchdogArmed    the watchdog is armed, or null when there is no watchdog
     */
    public record Inputs(List<DecisionLog.Entry> decisions, boolean dcsConnected, Double loopDurationSec,
                         Double dcsLatencySec, Boolean vipHeld, Boolean watchdogArmed) {
    }

    private HasMetrics() {
    }

    /**
     * @param labelPairs label pairs without braces, e.g. {@code scope="batman",name="pg1"}
     */
    public static String write(Inputs in, String labelPairs) {
        StringBuilder b = new StringBuilder(1024);
        Map<String, Integer> byKind = new TreeMap<>();
        for (DecisionLog.Entry e : in.decisions()) {
            byKind.merge(e.kind(), e.repeats() + 1, Integer::sum);
        }
        b.append("# HELP has_decisions Cycles that ended in a decision of this kind, counted over the retained"
                + " decision log (the last 100 distinct decisions; repeats included).\n");
        b.append("# TYPE has_decisions gauge\n");
        for (Map.Entry<String, Integer> e : byKind.entrySet()) {
            b.append("has_decisions{").append(labelPairs).append(",kind=\"").append(escape(e.getKey())).append("\"} ")
                    .append(e.getValue()).append('\n');
        }
        gauge(b, "has_dcs_connected", "Value is 1 if the ZooKeeper session is usable, 0 otherwise.", labelPairs,
                in.dcsConnected() ? "1" : "0");
        gauge(b, "has_loop_duration_seconds", "Duration of the last HA cycle in seconds (0 until measured).",
                labelPairs, number(in.loopDurationSec()));
        gauge(b, "has_dcs_latency_seconds", "Duration of the last ZooKeeper read of the cluster in seconds"
                + " (0 until measured).", labelPairs, number(in.dcsLatencySec()));
        gauge(b, "has_vip_held", "Value is 1 if this node holds the virtual IP, 0 otherwise.", labelPairs,
                Boolean.TRUE.equals(in.vipHeld()) ? "1" : "0");
        gauge(b, "has_watchdog_armed", "Value is 1 if the watchdog is armed, 0 otherwise.", labelPairs,
                Boolean.TRUE.equals(in.watchdogArmed()) ? "1" : "0");
        return b.toString();
    }

    private static void gauge(StringBuilder b, String name, String help, String labels, String value) {
        b.append("# HELP ").append(name).append(' ').append(help).append('\n');
        b.append("# TYPE ").append(name).append(" gauge\n");
        b.append(name).append('{').append(labels).append("} ").append(value).append('\n');
    }

    private static String number(Double v) {
        return v == null ? "0" : Double.toString(v);
    }

    /** Prometheus label-value escaping: backslash, double quote and newline. */
    public static String escape(String v) {
        return v == null ? "" : v.replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }
}
