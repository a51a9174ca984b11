package io.has.db;

import io.has.config.HasConfig;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.util.Map;
import java.util.Properties;

/**
 * Opens JDBC connections to the local server as the superuser, over TCP to the local listen address.
 * Every connection has a connect timeout, a socket timeout and a statement timeout.
 */
final class LocalConnector {

    private final Dialect dialect;
    private final String url;
    private final HasConfig.Credentials superuser;

    LocalConnector(Dialect dialect, HasConfig.Postgresql pg) {
        this.dialect = dialect;
        this.url = dialect.jdbcUrl(localHost(pg.listenAddresses()), pg.port(), pg.database());
        this.superuser = pg.superuser();
    }

    /**
     * The address to reach a server listening on {@code listenAddresses} from this host: the first
     * listed address, with wildcards mapped to loopback.
     */
    static String localHost(String listenAddresses) {
        String first = listenAddresses == null ? "" : listenAddresses.split(",")[0].trim();
        return switch (first) {
            case "", "*", "0.0.0.0" -> "127.0.0.1";
            case "::" -> "::1";
            default -> first;
        };
    }

    String url() {
        return url;
    }

    /** A connection for one probe: connect 2 s, socket 3 s, statements 2 s. */
    Connection openProbe() throws SQLException {
        return open(2, 3, 2000);
    }

    /** A connection for an action whose statements may take up to {@code seconds}. */
    Connection openAction(int seconds) throws SQLException {
        return open(2, seconds + 5, seconds * 1000);
    }

    private Connection open(int connectTimeout, int socketTimeout, int statementTimeoutMillis) throws SQLException {
        Properties props = new Properties();
        for (Map.Entry<String, String> e : dialect.jdbcOptions(connectTimeout, socketTimeout, statementTimeoutMillis)
                .entrySet()) {
            props.setProperty(e.getKey(), e.getValue());
        }
        props.setProperty("user", superuser.username());
        if (superuser.password() != null) {
            props.setProperty("password", superuser.password());
        }
        if (superuser.sslmode() != null) {
            props.setProperty("sslmode", superuser.sslmode());
        }
        Connection c = DriverManager.getConnection(url, props);
        c.setAutoCommit(true);
        return c;
    }
}
