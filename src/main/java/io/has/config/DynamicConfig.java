package io.has.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The cluster-wide ("dynamic") settings from the DCS {@code config} key, seeded from
 * {@code bootstrap.dcs}. Immutable; a new instance arrives with every cycle's view. Bad values never
 * throw: they fall back to the default and are reported in {@link #warnings()}, so garbage written to
 * ZooKeeper by hand cannot crash the daemon.
 */
public record DynamicConfig(
        int ttl,
        int loopWait,
        int retryTimeout,
        long maximumLagOnFailover,
        int primaryStartTimeout,
        int primaryStopTimeout,
        boolean synchronousMode,
        boolean synchronousModeStrict,
        int synchronousNodeCount,
        int maxTimelinesHistory,
        boolean checkTimeline,
        boolean failsafeMode,
        boolean pause,
        boolean usePgRewind,
        boolean useSlots,
        boolean removeDataDirectoryOnRewindFailure,
        Map<String, Object> pgParameters,
        List<Object> pgHba,
        Map<String, Object> raw,
        List<String> warnings) {

    public static final int DEFAULT_TTL = 30;
    public static final int DEFAULT_LOOP_WAIT = 10;
    public static final int DEFAULT_RETRY_TIMEOUT = 10;

    public static final DynamicConfig DEFAULT = fromMap(Map.of());

    public DynamicConfig {
        pgParameters = Collections.unmodifiableMap(new LinkedHashMap<>(pgParameters));
        pgHba = pgHba == null ? null : List.copyOf(pgHba);
        raw = Collections.unmodifiableMap(new LinkedHashMap<>(raw));
        warnings = List.copyOf(warnings);
    }

    /** Local {@code postgresql} settings Patroni lets override the dynamic ones. */
    private static final List<String> LOCAL_POSTGRESQL_OVERRIDES =
            List.of("remove_data_directory_on_rewind_failure", "use_pg_rewind");

    /**
     * Decodes the {@code config} key with the local {@code postgresql} section's overrides applied
     * (local settings win for the keys Patroni allows locally).
     *
     * @param localPostgresql the local YAML's {@code postgresql} section (any type; ignored unless a map)
     */
    @SuppressWarnings("unchecked")
    public static DynamicConfig fromMap(Map<String, Object> map, Object localPostgresql) {
        if (!(localPostgresql instanceof Map<?, ?> lp) || LOCAL_POSTGRESQL_OVERRIDES.stream().noneMatch(lp::containsKey)) {
            return fromMap(map);
        }
        Map<String, Object> merged = new LinkedHashMap<>(map == null ? Map.of() : map);
        Map<String, Object> pg = merged.get("postgresql") instanceof Map<?, ?> m
                ? new LinkedHashMap<>((Map<String, Object>) m) : new LinkedHashMap<>();
        for (String k : LOCAL_POSTGRESQL_OVERRIDES) {
            if (lp.containsKey(k)) {
                pg.put(k, lp.get(k));
            }
        }
        merged.put("postgresql", pg);
        return fromMap(merged);
    }

    /** Decodes the JSON object of the {@code config} key (or {@code bootstrap.dcs}). */
    @SuppressWarnings("unchecked")
    public static DynamicConfig fromMap(Map<String, Object> map) {
        Map<String, Object> m = map == null ? Map.of() : map;
        List<String> warnings = new ArrayList<>();
        Reader r = new Reader(m, "config", warnings);
        Map<String, Object> pg = r.map("postgresql");
        Reader p = new Reader(pg, "config.postgresql", warnings);
        Map<String, Object> params = p.map("parameters");
        List<Object> hba = pg.get("pg_hba") instanceof List<?> l ? (List<Object>) l : null;

        int ttl = r.intValue("ttl", DEFAULT_TTL, 4);
        int loopWait = r.intValue("loop_wait", DEFAULT_LOOP_WAIT, 1);
        int retryTimeout = r.intValue("retry_timeout", DEFAULT_RETRY_TIMEOUT, 1);
        // Invariant 1 (DESIGN §2): loop_wait + 2 x retry_timeout <= ttl, else a leader could keep
        // writing after its session expired. Clamp ttl up instead of refusing a cluster-wide setting.
        if (loopWait + 2 * retryTimeout > ttl) {
            warnings.add("config: loop_wait (" + loopWait + ") + 2 x retry_timeout (" + retryTimeout
                    + ") exceeds ttl (" + ttl + "); using ttl " + (loopWait + 2 * retryTimeout));
            ttl = loopWait + 2 * retryTimeout;
        }
        int startTimeout = m.containsKey("primary_start_timeout")
                ? r.intValue("primary_start_timeout", 300, 0)
                : r.intValue("master_start_timeout", 300, 0);
        int stopTimeout = m.containsKey("primary_stop_timeout")
                ? r.intValue("primary_stop_timeout", 0, 0)
                : r.intValue("master_stop_timeout", 0, 0);
        return new DynamicConfig(
                ttl,
                loopWait,
                retryTimeout,
                r.longValue("maximum_lag_on_failover", 1048576L),
                startTimeout,
                stopTimeout,
                r.bool("synchronous_mode", false),
                r.bool("synchronous_mode_strict", false),
                r.intValue("synchronous_node_count", 1, 1),
                r.intValue("max_timelines_history", 0, 0),
                r.bool("check_timeline", false),
                r.bool("failsafe_mode", false),
                r.bool("pause", false),
                p.bool("use_pg_rewind", false),
                p.bool("use_slots", true),
                p.bool("remove_data_directory_on_rewind_failure", false),
                params,
                hba,
                m,
                warnings);
    }

    /** Lenient typed access to a JSON object, recording a warning per bad value. */
    private record Reader(Map<String, Object> m, String path, List<String> warnings) {

        int intValue(String key, int def, int min) {
            long v = longValue(key, def);
            if (v < min || v > Integer.MAX_VALUE) {
                warnings.add(path + "." + key + ": " + v + " is out of range (minimum " + min + "); using " + def);
                return def;
            }
            return (int) v;
        }

        long longValue(String key, long def) {
            Object v = m.get(key);
            if (v == null) {
                return def;
            }
            if (v instanceof Number n) {
                return n.longValue();
            }
            try {
                return Long.parseLong(String.valueOf(v).trim());
            } catch (NumberFormatException e) {
                warnings.add(path + "." + key + ": expected an integer, got '" + v + "'; using " + def);
                return def;
            }
        }

        boolean bool(String key, boolean def) {
            Object v = m.get(key);
            if (v == null) {
                return def;
            }
            if (v instanceof Boolean b) {
                return b;
            }
            String s = String.valueOf(v).trim().toLowerCase();
            switch (s) {
                case "true", "on", "yes", "1":
                    return true;
                case "false", "off", "no", "0":
                    return false;
                default:
                    warnings.add(path + "." + key + ": expected a boolean, got '" + v + "'; using " + def);
                    return def;
            }
        }

        @SuppressWarnings("unchecked")
        Map<String, Object> map(String key) {
            Object v = m.get(key);
            if (v == null) {
                return Map.of();
            }
            if (v instanceof Map<?, ?> mm) {
                return (Map<String, Object>) mm;
            }
            warnings.add(path + "." + key + ": expected an object, got '" + v + "'; ignored");
            return Map.of();
        }
    }
}
