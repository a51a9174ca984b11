package io.has.db.postgres;

import io.has.db.ControlData;
import java.util.HashMap;
import java.util.Map;
import java.util.Set;

/**
 * Reads {@code pg_controldata} output (run with {@code LC_MESSAGES=C}) into {@link ControlData}.
 * Labels verified against PostgreSQL 15; they have been stable since 9.6.
 */
final class ControlDataParser {

    /** Cluster states in which the server last ran as a primary (it may have diverged from a new one). */
    private static final Set<String> PRIMARY_STATES =
            Set.of("in production", "shut down", "shutting down", "in crash recovery");
    private static final Set<String> CLEAN_STATES = Set.of("shut down", "shut down in recovery");

    private ControlDataParser() {
    }

    static Map<String, String> fields(String output) {
        Map<String, String> m = new HashMap<>();
        for (String line : output.split("\n")) {
            int colon = line.indexOf(':');
            if (colon > 0) {
                m.put(line.substring(0, colon).trim(), line.substring(colon + 1).trim());
            }
        }
        return m;
    }

    static ControlData parse(String output, PostgresDialect dialect) {
        Map<String, String> f = fields(output);
        String state = f.get("Database cluster state");
        Integer timeline = null;
        try {
            String tli = f.get("Latest checkpoint's TimeLineID");
            timeline = tli == null ? null : Integer.valueOf(tli);
        } catch (NumberFormatException e) {
            // leave null
        }
        Long checkpoint = null;
        try {
            String loc = f.get("Latest checkpoint location");
            checkpoint = loc == null ? null : dialect.parseLsn(loc);
        } catch (IllegalArgumentException e) {
            // leave null
        }
        boolean hints = "on".equals(f.get("wal_log_hints setting"));
        String checksums = f.get("Data page checksum version");
        boolean rewindable = hints || (checksums != null && !checksums.equals("0"));
        return new ControlData(
                f.get("Database system identifier"),
                state,
                state != null && PRIMARY_STATES.contains(state),
                state != null && CLEAN_STATES.contains(state),
                timeline,
                checkpoint,
                rewindable);
    }
}
