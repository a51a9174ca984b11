package io.has.db;

import io.has.config.HasConfig;
import io.has.util.Threads;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.text.Normalizer;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Opens JDBC connections to the local server as the superuser, over TCP to the local listen address.
 * Every connection has a connect timeout, a socket timeout and a statement timeout.
 */
final class LocalConnector {

    private static final Logger log = LoggerFactory.getLogger(LocalConnector.class);

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
        Properties props = properties(connectTimeout, socketTimeout, statementTimeoutMillis);
        props.setProperty("user", superuser.username());
        if (superuser.password() != null) {
            props.setProperty("password", superuser.password());
        }
        Connection c = DriverManager.getConnection(url, props);
        c.setAutoCommit(true);
        return c;
    }

    private Properties properties(int connectTimeout, int socketTimeout, int statementTimeoutMillis) {
        Properties props = new Properties();
        for (Map.Entry<String, String> e : dialect.jdbcOptions(connectTimeout, socketTimeout, statementTimeoutMillis)
                .entrySet()) {
            props.setProperty(e.getKey(), e.getValue());
        }
        if (superuser.sslmode() != null) {
            props.setProperty("sslmode", superuser.sslmode());
        }
        return props;
    }

    /**
     * Runs, on a thread of its own, the code that makes the first connection of a fresh daemon slow besides
     * its round trips (~140 ms instead of ~15 on an idle machine): the driver's own, up to its startup
     * message, and the JDK's HMAC, digests, random source and Unicode normalisation, which password
     * authentication uses. The driver connects to a loopback socket of this thread's own that reads the
     * startup message and closes: no server and no password are involved. Called while initdb runs, where
     * the daemon only waits: the bootstrap's first connection, which creates the roles the other members
     * clone with before the leader key goes out, then takes ~60 ms. Failures only cost the warm-up.
     *
     * @return completed when the warm-up ends, with the number of bytes the driver sent to the socket (-1 when
     *         the warm-up failed before)
     */
    CompletableFuture<Integer> warmUpInBackground() {
        CompletableFuture<Integer> done = new CompletableFuture<>();
        Threads.factory("jdbc-warm-up").newThread(() -> {
            int sent = -1;
            try {
                sent = warmUpDriver();
                if (superuser.password() != null) {
                    warmUpAuthentication();
                }
            } catch (IOException | GeneralSecurityException | RuntimeException e) {
                log.debug("warming up the database driver failed: {}", e.toString());
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                done.complete(sent);
            }
        }).start();
        return done;
    }

    /** The driver's connection attempt against a socket that reads its first message and closes. */
    private int warmUpDriver() throws IOException, InterruptedException {
        AtomicInteger received = new AtomicInteger(-1);
        try (ServerSocket server = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            Thread peer = Threads.factory("jdbc-warm-up-peer").newThread(() -> {
                try (Socket s = server.accept(); InputStream in = s.getInputStream()) {
                    s.setSoTimeout(2000);
                    // the startup (or SSL) request; closing then answers it with end-of-file
                    received.set(in.read(new byte[8192]));
                } catch (IOException e) {
                    // the warm-up closed the server socket first
                }
            });
            peer.start();
            Properties props = properties(2, 2, 2000);
            props.setProperty("user", "has-warm-up");
            String target = dialect.jdbcUrl(server.getInetAddress().getHostAddress(), server.getLocalPort(), "postgres");
            try {
                DriverManager.getConnection(target, props).close();
                log.debug("warming up the database driver: {} answered", target);
            } catch (SQLException expected) {
                // the peer closed without answering
            }
            peer.join(2000);
        }
        return received.get();
    }

    private static void warmUpAuthentication() throws GeneralSecurityException {
        Mac mac = Mac.getInstance("HmacSHA256");
        mac.init(new SecretKeySpec(new byte[32], "HmacSHA256"));
        mac.doFinal(new byte[32]);
        MessageDigest.getInstance("SHA-256").digest(new byte[32]);
        MessageDigest.getInstance("MD5").digest(new byte[32]);
        new SecureRandom().nextBytes(new byte[18]);
        Normalizer.normalize("has", Normalizer.Form.NFKC);
    }
}
