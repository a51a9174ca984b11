package io.has.db.postgres;

import io.has.db.LocalServerSettings;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server parameters HAS controls on PostgreSQL and the precedence between defaults, the
 * cluster-wide (dynamic) parameters and the member's local parameters, following Patroni
 * (reference/patroni.md §6.1):
 *
 * <ol>
 *   <li>defaults for the controlled parameters (and HAS's unix socket directory);
 *   <li>dynamic parameters: a controlled parameter is taken only if it passes its rule (else the
 *       default stays), {@code hot_standby} and {@code wal_log_hints} are always on;
 *   <li>local parameters override dynamic ones, except that local values for controlled parameters
 *       are ignored;
 *   <li>{@code listen_addresses}, {@code port} and {@code cluster_name} always come from the local
 *       configuration.
 * </ol>
 *
 * The defaults are the seed's (§2.3: max_connections 100, max_locks_per_transaction 64,
 * max_worker_processes 8, max_prepared_transactions 0, wal_level hot_standby/replica, wal_log_hints
 * on, track_commit_timestamp off) plus Patroni's replication settings, filtered per product: openGauss
 * has no {@code max_worker_processes}, {@code track_commit_timestamp}, {@code wal_keep_size},
 * {@code cluster_name} or {@code unix_socket_directories} (it has {@code unix_socket_directory}) and
 * no {@code wal_level=replica}. Verified against PostgreSQL 9.6 to 17 ({@code wal_keep_segments} up
 * to 12, {@code wal_keep_size} from 13); the openGauss profile follows reference/opengauss.md §2.3
 * (source-read, not run).
 */
public final class PostgresParameters {

    private static final Logger log = LoggerFactory.getLogger(PostgresParameters.class);
    private static final Pattern NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_.]*");
    private static final Pattern SIZE = Pattern.compile("\\s*(\\d+)\\s*(kB|MB|GB|TB)?\\s*");
    private static final int WAL_SEGMENT_MB = 16;

    /** Parameters whose value HAS always controls: name to the rule a dynamic value must pass. */
    private final Map<String, Predicate<String>> rules = new LinkedHashMap<>();
    private final Map<String, String> defaults = new LinkedHashMap<>();
    private final Set<String> forcedOn = Set.of("hot_standby", "wal_log_hints");
    private final Set<String> localOnly;
    private final boolean walKeepSize;
    private final String socketParameter;
    /** Parameters the product does not know (a server refuses to start on unknown parameters). */
    private final Set<String> unsupported;
    /** Warnings already logged: the same configuration is rendered on every start and reload. */
    private final Set<String> warned = ConcurrentHashMap.newKeySet();

    /** PostgreSQL of this major version (9 for 9.6). */
    public static PostgresParameters postgres(int majorVersion) {
        return new PostgresParameters(majorVersion, false);
    }

    /** openGauss and Vastbase (their server reports 9.2.4 but has its own parameter set). */
    public static PostgresParameters openGauss() {
        return new PostgresParameters(9, true);
    }

    PostgresParameters(int majorVersion) {
        this(majorVersion, false);
    }

    private PostgresParameters(int majorVersion, boolean openGauss) {
        this.walKeepSize = !openGauss && majorVersion >= 13;
        this.localOnly = openGauss ? Set.of("listen_addresses", "port") : Set.of("listen_addresses", "port",
                "cluster_name");
        this.socketParameter = openGauss ? "unix_socket_directory" : "unix_socket_directories";
        this.unsupported = openGauss ? Set.of("wal_keep_size", "max_worker_processes", "track_commit_timestamp",
                "cluster_name", "password_encryption", "unix_socket_directories", "primary_conninfo",
                "primary_slot_name", "restore_command", "recovery_target_timeline") : Set.of();
        control("max_connections", "100", atLeast(25));
        control("max_wal_senders", "10", atLeast(3));
        if (walKeepSize) {
            control("wal_keep_size", "128MB", v -> megabytes(v) >= 16);
        } else {
            control("wal_keep_segments", "8", atLeast(1));
        }
        control("max_prepared_transactions", "0", atLeast(0));
        control("max_locks_per_transaction", "64", atLeast(32));
        if (!openGauss) {
            control("track_commit_timestamp", "off", PostgresParameters::isBoolean);
        }
        control("max_replication_slots", "10", atLeast(4));
        if (openGauss) {
            control("wal_level", "hot_standby", v -> Set.of("hot_standby", "logical").contains(v.toLowerCase()));
        } else {
            control("max_worker_processes", "8", atLeast(2));
            control("wal_level", "replica", v -> Set.of("hot_standby", "replica", "logical")
                    .contains(v.toLowerCase()));
        }
        control("hot_standby", "on", v -> false);
        control("wal_log_hints", "on", v -> false);
    }

    private void control(String name, String def, Predicate<String> rule) {
        rules.put(name, rule);
        defaults.put(name, def);
    }

    /** The effective parameters in file order (see the class comment for precedence). */
    Map<String, String> effective(Map<String, Object> dynamic, Map<String, Object> local, LocalServerSettings fixed) {
        Map<String, String> out = new LinkedHashMap<>();
        out.put("listen_addresses", fixed.listenAddresses());
        out.put("port", Integer.toString(fixed.port()));
        if (localOnly.contains("cluster_name")) {
            out.put("cluster_name", fixed.clusterName());
        }
        out.putAll(defaults);
        if (fixed.socketDir() != null) {
            out.put(socketParameter, fixed.socketDir().toString());
        }
        Map<String, String> dyn = normalise(dynamic, "dynamic");
        translateWalKeepSegments(dyn);
        for (Map.Entry<String, String> e : dyn.entrySet()) {
            String name = e.getKey();
            if (unsupported.contains(name)) {
                warnOnce("ignoring dynamic parameter " + name + ": this server does not have it");
            } else if (localOnly.contains(name) || name.equals(socketParameter)) {
                warnOnce("ignoring dynamic parameter " + name + ": it is set from the local configuration only");
            } else if (rules.containsKey(name)) {
                if (forcedOn.contains(name)) {
                    continue;
                }
                if (rules.get(name).test(e.getValue())) {
                    out.put(name, e.getValue());
                } else {
                    warnOnce("ignoring dynamic parameter " + name + "=" + e.getValue()
                            + ": HAS requires a different value; keeping " + out.get(name));
                }
            } else {
                out.put(name, e.getValue());
            }
        }
        for (Map.Entry<String, String> e : normalise(local, "local").entrySet()) {
            String name = e.getKey();
            if (unsupported.contains(name)) {
                warnOnce("ignoring local parameter " + name + ": this server does not have it");
            } else if (rules.containsKey(name) || localOnly.contains(name) || isWalKeepAlias(name)) {
                warnOnce("ignoring local parameter " + name + ": HAS controls it (set it in the dynamic"
                        + " configuration, or use postgresql.listen / scope)");
            } else {
                out.put(name, e.getValue());
            }
        }
        return out;
    }

    private void warnOnce(String message) {
        if (warned.add(message)) {
            log.warn(message);
        }
    }

    /** Patroni's translation: wal_keep_segments in the dynamic configuration becomes wal_keep_size on 13+. */
    private void translateWalKeepSegments(Map<String, String> dyn) {
        String segments = dyn.remove(walKeepSize ? "wal_keep_segments" : "wal_keep_size");
        if (segments == null || !walKeepSize) {
            return;
        }
        if (!dyn.containsKey("wal_keep_size") && atLeast(1).test(segments)) {
            dyn.put("wal_keep_size", (Long.parseLong(segments.trim()) * WAL_SEGMENT_MB) + "MB");
        }
    }

    private boolean isWalKeepAlias(String name) {
        return name.equals("wal_keep_segments") || name.equals("wal_keep_size");
    }

    private static Map<String, String> normalise(Map<String, Object> params, String source) {
        Map<String, String> out = new LinkedHashMap<>();
        if (params == null) {
            return out;
        }
        for (Map.Entry<String, Object> e : params.entrySet()) {
            if (e.getKey() == null || !NAME.matcher(e.getKey()).matches() || e.getValue() == null) {
                log.warn("ignoring {} parameter '{}': not a valid parameter name or no value", source, e.getKey());
                continue;
            }
            out.put(e.getKey().toLowerCase(Locale.ROOT), valueText(e.getValue()));
        }
        return out;
    }

    /** A YAML/JSON value as postgresql.conf text: booleans become on/off. */
    static String valueText(Object v) {
        if (v instanceof Boolean b) {
            return b ? "on" : "off";
        }
        return String.valueOf(v);
    }

    /** Renders {@code name = 'value'} lines; values are quoted for the configuration-file lexer. */
    static String render(Map<String, String> params) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            b.append(e.getKey()).append(" = ").append(quote(e.getValue())).append('\n');
        }
        return b.toString();
    }

    /** Quotes a value for postgresql.conf: single quotes doubled, backslashes escaped. */
    static String quote(String value) {
        return "'" + value.replace("\\", "\\\\").replace("'", "''").replace("\n", " ") + "'";
    }

    private static Predicate<String> atLeast(long min) {
        return v -> {
            try {
                return Long.parseLong(v.trim()) >= min;
            } catch (NumberFormatException e) {
                return false;
            }
        };
    }

    private static boolean isBoolean(String v) {
        return Set.of("on", "off", "true", "false", "yes", "no", "1", "0").contains(v.trim().toLowerCase());
    }

    /** A size in megabytes (a bare number means MB, as for wal_keep_size); -1 when unparsable. */
    static long megabytes(String v) {
        Matcher m = SIZE.matcher(v);
        if (!m.matches()) {
            return -1;
        }
        long n = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "MB" : m.group(2);
        return switch (unit) {
            case "kB" -> n / 1024;
            case "GB" -> n * 1024;
            case "TB" -> n * 1024 * 1024;
            default -> n;
        };
    }
}
