package io.has.db;

import io.has.cluster.HostPort;
import io.has.cluster.PgState;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;

/**
 * Observes a running server over one JDBC connection kept open between probes (reopened once when it
 * has broken). Each probe is one query (two on a primary, which also lists its WAL senders), bounded
 * by the connector's timeouts. Thread-safe.
 */
final class ServerProbe implements AutoCloseable {

    private final Dialect dialect;
    private final LocalConnector connector;
    private Connection connection; // guarded by this

    ServerProbe(Dialect dialect, LocalConnector connector) {
        this.dialect = dialect;
        this.connector = connector;
    }

    /**
     * Probes a server whose postmaster is alive. Never throws: a refused or failed connection gives
     * {@code STARTING}/{@code STOPPING} when the server says so, else {@code UNKNOWN} with the error.
     *
     * @param configuredUpstream the upstream HAS configured, or null (then the WAL receiver's sender)
     */
    synchronized LocalState probe(HostPort configuredUpstream) {
        boolean reused = connection != null;
        try {
            return query(configuredUpstream);
        } catch (SQLException first) {
            closeQuietly();
            PgState refused = dialect.stateFromConnectError(first);
            if (refused != null || !reused) {
                return stateOnly(refused != null ? refused : PgState.UNKNOWN, first);
            }
            try {
                return query(configuredUpstream); // the kept connection may have broken (server restarted)
            } catch (SQLException e) {
                closeQuietly();
                PgState s = dialect.stateFromConnectError(e);
                return stateOnly(s != null ? s : PgState.UNKNOWN, e);
            }
        }
    }

    private static LocalState stateOnly(PgState state, SQLException e) {
        return new LocalState(state, false, null, false, false, null, null, null, null, null, 0, null, List.of(), null,
                false, e.getMessage());
    }

    private LocalState query(HostPort configuredUpstream) throws SQLException {
        if (connection == null || connection.isClosed()) {
            connection = connector.openProbe();
        }
        try (Statement st = connection.createStatement(); ResultSet rs = st.executeQuery(dialect.sql("probe"))) {
            if (!rs.next()) {
                throw new SQLException("probe query returned no row");
            }
            boolean inRecovery = rs.getBoolean("in_recovery");
            Long current = lsn(rs.getString("current_lsn"));
            Long received = lsn(rs.getString("receive_lsn"));
            Long replayed = lsn(rs.getString("replay_lsn"));
            Long wal = inRecovery ? max(received, replayed) : current;
            int timeline = rs.getInt("timeline");
            Integer tli = rs.wasNull() ? null : timeline;
            String replayTs = utc(rs.getString("replay_timestamp"));
            int version = rs.getInt("server_version");
            String started = utc(rs.getString("postmaster_start_time"));
            String systemId = rs.getString("system_id");
            boolean streaming = rs.getBoolean("streaming");
            String senderHost = rs.getString("sender_host");
            int senderPort = rs.getInt("sender_port");
            HostPort upstream = configuredUpstream;
            if (upstream == null && senderHost != null && senderPort > 0) {
                upstream = new HostPort(senderHost, senderPort);
            }
            List<ReplicationInfo> senders = inRecovery ? List.of() : replication(st);
            return new LocalState(PgState.RUNNING, false, systemId, inRecovery, false, wal, received, replayed,
                    replayTs, tli, version, started, senders, inRecovery ? upstream : null, streaming, null);
        }
    }

    private List<ReplicationInfo> replication(Statement st) throws SQLException {
        List<ReplicationInfo> out = new ArrayList<>();
        try (ResultSet rs = st.executeQuery(dialect.sql("replication"))) {
            while (rs.next()) {
                out.add(new ReplicationInfo(rs.getString("usename"), rs.getString("application_name"),
                        rs.getString("client_addr"), rs.getString("state"), rs.getString("sync_state"),
                        rs.getInt("sync_priority"), lsn(rs.getString("flush_lsn")), lsn(rs.getString("replay_lsn"))));
            }
        }
        return out;
    }

    private Long lsn(String text) {
        return text == null ? null : dialect.parseLsn(text);
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

    private void closeQuietly() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException e) {
                // already broken
            }
            connection = null;
        }
    }

    /** Closes the kept connection (the next probe reopens it). */
    @Override
    public synchronized void close() {
        closeQuietly();
    }
}
