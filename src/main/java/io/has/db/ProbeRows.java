package io.has.db;

import io.has.cluster.HostPort;
import io.has.cluster.PgState;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the rows of a dialect's {@code probe} and {@code replication} queries into {@link LocalState}
 * and {@link ReplicationInfo}. Rows are column label to text (as the JDBC driver renders it; booleans
 * {@code t}/{@code f} or {@code true}/{@code false}), so the same parsing serves every product and can
 * be tested with captured rows. Vocabulary is normalised here: state and sync state lower-cased
 * (openGauss prints {@code Streaming}, {@code Sync}), member names extracted by the dialect.
 */
public final class ProbeRows {

    private ProbeRows() {
    }

    /** The current row of {@code rs} as label to text. */
    public static Map<String, String> row(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        Map<String, String> row = new LinkedHashMap<>();
        for (int i = 1; i <= md.getColumnCount(); i++) {
            row.put(md.getColumnLabel(i).toLowerCase(Locale.ROOT), rs.getString(i));
        }
        return row;
    }

    /**
     * The state described by one row of the {@code probe} query.
     *
     * @param configuredUpstream the upstream HAS configured, or null (then the WAL receiver's sender)
     * @param senders            the WAL senders (primary), already parsed
     */
    public static LocalState localState(Map<String, String> row, Dialect dialect, HostPort configuredUpstream,
            List<ReplicationInfo> senders) {
        boolean inRecovery = bool(row.get("in_recovery"));
        Long received = lsn(dialect, row.get("receive_lsn"));
        Long replayed = lsn(dialect, row.get("replay_lsn"));
        Long wal = inRecovery ? max(received, replayed) : lsn(dialect, row.get("current_lsn"));
        HostPort upstream = configuredUpstream;
        String senderHost = row.get("sender_host");
        int senderPort = integer(row.get("sender_port"), 0);
        if (upstream == null && senderHost != null && senderPort > 0) {
            upstream = new HostPort(senderHost, senderPort);
        }
        String tl = row.get("timeline");
        return new LocalState(PgState.RUNNING, false, row.get("system_id"), inRecovery, false, wal, received, replayed,
                utc(row.get("replay_timestamp")), tl == null ? null : Integer.valueOf(tl.trim()),
                integer(row.get("server_version"), 0), utc(row.get("postmaster_start_time")),
                inRecovery ? List.of() : senders, inRecovery ? upstream : null, bool(row.get("streaming")), null);
    }

    /** One row of the {@code replication} query. */
    public static ReplicationInfo replication(Map<String, String> row, Dialect dialect) {
        String app = row.get("application_name");
        return new ReplicationInfo(row.get("usename"), app == null ? null : dialect.memberNameFromApplicationName(app),
                row.get("client_addr"), lower(row.get("state")), lower(row.get("sync_state")),
                integer(row.get("sync_priority"), 0), lsn(dialect, row.get("flush_lsn")),
                lsn(dialect, row.get("replay_lsn")));
    }

    static boolean bool(String v) {
        return v != null && (v.equalsIgnoreCase("t") || v.equalsIgnoreCase("true") || v.equals("1"));
    }

    private static int integer(String v, int dflt) {
        if (v == null || v.isBlank()) {
            return dflt;
        }
        return Integer.parseInt(v.trim());
    }

    private static String lower(String v) {
        return v == null ? null : v.toLowerCase(Locale.ROOT);
    }

    private static Long lsn(Dialect dialect, String text) {
        return text == null || text.isBlank() ? null : dialect.parseLsn(text.trim());
    }

    private static Long max(Long a, Long b) {
        if (a == null) {
            return b;
        }
        return b == null ? a : Math.max(a, b);
    }

    private static String utc(String text) {
        return text == null ? null : text + "+00:00";
    }
}
