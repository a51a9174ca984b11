package io.has.db;

import io.has.cluster.HostPort;
import io.has.cluster.PgState;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Observes a running server over one JDBC connection kept open between probes (reopened once when it
 * has broken). Each probe is one query (two on a primary, which also lists its WAL senders), bounded
 * by the connector's timeouts. Both are prepared statements kept with the connection: the driver
 * parses their text once, and from the fifth run on the server runs its own prepared statement
 * (pgjdbc's {@code prepareThreshold}) instead of parsing and planning the query every HA cycle.
 * Thread-safe.
 */
final class ServerProbe implements AutoCloseable {

    private final Dialect dialect;
    private final LocalConnector connector;
    private Connection connection; // guarded by this
    private PreparedStatement probe; // guarded by this; of connection
    private PreparedStatement replication; // guarded by this; of connection

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

    /** Work done over the kept connection. */
    interface SqlCall<T> {
        T apply(Connection c) throws SQLException;
    }

    /**
     * Runs {@code call} over the kept connection, opening it when there is none, between two probes:
     * a quick statement that must not wait for a new connection (and its authentication). A failure
     * closes the connection (the next probe opens another).
     */
    synchronized <T> T call(SqlCall<T> call) throws SQLException {
        try {
            return call.apply(connection());
        } catch (SQLException | RuntimeException e) {
            closeQuietly();
            throw e;
        }
    }

    private Connection connection() throws SQLException {
        if (connection == null || probe == null || connection.isClosed()) {
            closeQuietly();
            connection = connector.openProbe(); // closed again by the caller if preparing fails
            probe = connection.prepareStatement(dialect.sql("probe"));
            replication = connection.prepareStatement(dialect.sql("replication"));
        }
        return connection;
    }

    private LocalState query(HostPort configuredUpstream) throws SQLException {
        connection();
        try {
            Map<String, String> row;
            try (ResultSet rs = probe.executeQuery()) {
                if (!rs.next()) {
                    throw new SQLException("probe query returned no row");
                }
                row = ProbeRows.row(rs);
            }
            boolean inRecovery = ProbeRows.bool(row.get("in_recovery"));
            List<ReplicationInfo> senders = inRecovery ? List.of() : replication();
            return ProbeRows.localState(row, dialect, configuredUpstream, senders);
        } catch (IllegalArgumentException e) {
            throw new SQLException("cannot parse the probe result: " + e.getMessage(), e);
        }
    }

    private List<ReplicationInfo> replication() throws SQLException {
        List<ReplicationInfo> out = new ArrayList<>();
        try (ResultSet rs = replication.executeQuery()) {
            while (rs.next()) {
                out.add(ProbeRows.replication(ProbeRows.row(rs), dialect));
            }
        }
        return out;
    }

    private void closeQuietly() {
        probe = null; // closed with their connection
        replication = null;
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
