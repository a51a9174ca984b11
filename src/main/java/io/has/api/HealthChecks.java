package io.has.api;

import io.has.config.DynamicConfig;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Patroni's health-check decisions (reference/patroni.md §3.4) as pure functions of a snapshot, a
 * path, the query parameters and the wall clock. No I/O: safe to call on an Undertow IO thread.
 *
 * <p>One deliberate difference from Patroni: the primary-type paths ({@code /}, {@code /primary},
 * {@code /master}, {@code /read-write}) answer 200 only when the node holds the lock <em>and</em> its
 * database reports role {@code primary}. Patroni answers 200 on lock alone, so a lock holder that is
 * still promoting (or whose server is down) attracts writes there.
 */
public final class HealthChecks {

    static final int OK = 200;
    static final int UNAVAILABLE = 503;

    private static final Pattern SIZE = Pattern.compile("\\s*(-?\\d+(?:\\.\\d*)?)\\s*(B|kB|MB|GB|TB)?\\s*");

    private HealthChecks() {
    }

    /**
     * The status code of the generic health handler, used for every GET path without a dedicated
     * handler and for HEAD/OPTIONS on any path.
     *
     * @param s     latest snapshot, or null before the first HA cycle (always 503)
     * @param path  request path without the query string
     * @param query query parameters, first non-blank value per key (Python {@code parse_qs} semantics)
     * @param nowMs wall clock, epoch ms
     */
    public static int statusCode(StatusSnapshot s, String path, Map<String, String> query, long nowMs) {
        if (s == null) {
            return UNAVAILABLE;
        }
        String p = path == null || path.isEmpty() || path.equals("/") ? "/primary" : path;
        NodeStatus node = NodeStatus.of(s);
        String role = node.role();
        boolean clusterCached = s.cluster() != null;

        long leaderOptime = clusterCached ? s.cluster().status().optime() : 0;
        Long lag = parseLag(query.get("lag"));
        long maxLag = lag == null ? Long.MAX_VALUE : lag;
        boolean lagging = leaderOptime > 0 && leaderOptime - node.replayed() > maxLag;
        int replica = !tagTrue(s, "noloadbalance") && !lagging && NodeStatus.REPLICA.equals(role) && node.running()
                ? OK : UNAVAILABLE;

        int leader;
        int primary;
        int standbyLeader;
        if (!clusterCached && s.config() != null && s.paused()) {
            leader = NodeStatus.PRIMARY.equals(role) || NodeStatus.STANDBY_LEADER.equals(role) ? OK : UNAVAILABLE;
            primary = NodeStatus.PRIMARY.equals(role) ? OK : UNAVAILABLE;
            standbyLeader = NodeStatus.STANDBY_LEADER.equals(role) ? OK : UNAVAILABLE;
        } else if (s.isLeader(nowMs)) {
            leader = OK;
            if (node.standbyCluster()) {
                primary = UNAVAILABLE;
                replica = UNAVAILABLE;
                standbyLeader = NodeStatus.REPLICA.equals(role) || NodeStatus.STANDBY_LEADER.equals(role)
                        ? OK : UNAVAILABLE;
            } else {
                primary = NodeStatus.PRIMARY.equals(role) ? OK : UNAVAILABLE;
                standbyLeader = UNAVAILABLE;
            }
        } else {
            leader = UNAVAILABLE;
            primary = UNAVAILABLE;
            standbyLeader = UNAVAILABLE;
        }
        boolean writable = primary == OK || standbyLeader == OK;

        int code = UNAVAILABLE;
        boolean ignoreTags = false;
        if (p.contains("standby_leader") || p.contains("standby-leader")) {
            code = standbyLeader;
            ignoreTags = true;
        } else if (p.contains("leader")) {
            code = leader;
            ignoreTags = true;
        } else if (p.contains("master") || p.contains("primary") || p.contains("read-write")) {
            code = primary;
            ignoreTags = true;
        } else if (p.contains("replica")) {
            code = replica;
        } else if (p.contains("read-only") && !p.contains("sync")) {
            code = writable ? OK : replica;
        } else if (p.contains("health")) {
            code = node.running() ? OK : UNAVAILABLE;
        } else if (clusterCached) {
            boolean sync = node.syncStandby();
            if ((p.equals("/sync") || p.equals("/synchronous")) && sync) {
                code = replica;
            } else if ((p.equals("/async") || p.equals("/asynchronous")) && !sync) {
                code = replica;
            } else if (p.equals("/read-only-sync") || p.equals("/read-only-synchronous")) {
                if (writable) {
                    code = OK;
                } else if (sync) {
                    code = replica;
                }
            }
        }
        if (!ignoreTags && code == OK && !tagsMatch(s.tags(), query)) {
            code = UNAVAILABLE;
        }
        return code;
    }

    /**
     * {@code GET /liveness}: 200 while paused, or while the HA loop is not overdue by more than ttl
     * (running primary) or 2·ttl (anything else).
     *
     * @param s           latest snapshot, or null before the first cycle
     * @param nowMs       wall clock, epoch ms
     * @param startedMs   when the REST server started; stands in for the first cycle's due time while
     *                    no snapshot exists (Patroni initialises {@code next_run} at startup the same way)
     */
    public static int liveness(StatusSnapshot s, long nowMs, long startedMs) {
        if (s == null) {
            return startedMs + 2L * DynamicConfig.DEFAULT_TTL * 1000 > nowMs ? OK : UNAVAILABLE;
        }
        DynamicConfig config = s.config() == null ? DynamicConfig.DEFAULT : s.config();
        if (config.pause()) {
            return OK;
        }
        boolean runningPrimary = s.local() != null && s.local().isRunningPrimary();
        long thresholdMs = config.ttl() * 1000L * (runningPrimary ? 1 : 2);
        return s.nextRunMs() + thresholdMs > nowMs ? OK : UNAVAILABLE;
    }

    /** {@code GET /readiness} (Patroni v3): 200 if leader, or if the server runs and a cluster is cached. */
    public static int readiness(StatusSnapshot s, long nowMs) {
        if (s == null) {
            return UNAVAILABLE;
        }
        if (s.isLeader(nowMs)) {
            return OK;
        }
        return s.local() != null && s.local().isRunning() && s.cluster() != null ? OK : UNAVAILABLE;
    }

    /**
     * Patroni's {@code parse_int(value, 'B')}: plain bytes or a number with unit B, kB, MB, GB, TB
     * (powers of 1024, case-sensitive as in PostgreSQL). Null when absent or unparsable.
     */
    static Long parseLag(String value) {
        if (value == null) {
            return null;
        }
        Matcher m = SIZE.matcher(value);
        if (!m.matches()) {
            return null;
        }
        long multiplier = switch (m.group(2) == null ? "B" : m.group(2)) {
            case "kB" -> 1L << 10;
            case "MB" -> 1L << 20;
            case "GB" -> 1L << 30;
            case "TB" -> 1L << 40;
            default -> 1L;
        };
        try {
            return new BigDecimal(m.group(1)).multiply(BigDecimal.valueOf(multiplier))
                    .setScale(0, RoundingMode.HALF_EVEN).longValueExact();
        } catch (ArithmeticException e) {
            return null;
        }
    }

    /** Every {@code tag_<k>=<v>} parameter names an existing tag with that value (non-strings lower-cased). */
    static boolean tagsMatch(Map<String, Object> tags, Map<String, String> query) {
        for (Map.Entry<String, String> q : query.entrySet()) {
            if (!q.getKey().startsWith("tag_")) {
                continue;
            }
            Object actual = tags.get(q.getKey().substring(4));
            if (actual == null) {
                return false;
            }
            String text = actual instanceof String str ? str : String.valueOf(actual).toLowerCase();
            if (!text.equals(q.getValue())) {
                return false;
            }
        }
        return true;
    }

    private static boolean tagTrue(StatusSnapshot s, String tag) {
        Object v = s.tags().get(tag);
        return v instanceof Boolean b ? b : v != null && "true".equalsIgnoreCase(String.valueOf(v));
    }
}
