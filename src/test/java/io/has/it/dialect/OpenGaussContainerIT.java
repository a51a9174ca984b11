package io.has.it.dialect;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.cluster.HostPort;
import io.has.db.Binaries;
import io.has.db.Dialect;
import io.has.db.DialectResolver;
import io.has.db.LocalState;
import io.has.db.ProbeRows;
import io.has.db.ReplicationInfo;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.testcontainers.containers.GenericContainer;
import org.testcontainers.containers.wait.strategy.Wait;
import org.testcontainers.junit.jupiter.Container;
import org.testcontainers.junit.jupiter.Testcontainers;
import org.testcontainers.utility.DockerImageName;

/**
 * The openGauss dialect against a real openGauss server in a container: detection from
 * {@code version()} (server_version_num is 90204), the probe and replication queries of
 * {@code sql/opengauss/} and the parsing of their rows, through the openGauss JDBC driver.
 * Skipped, with the reason in the test report, where no Docker engine exists (as on the development
 * machine this was written on, so it has never run there).
 */
@Testcontainers(disabledWithoutDocker = true)
class OpenGaussContainerIT {

    private static final String PASSWORD = "Has@12345";

    @Container
    @SuppressWarnings("resource")
    static final GenericContainer<?> OPENGAUSS = new GenericContainer<>(DockerImageName.parse("opengauss/opengauss:5.0.0"))
            .withEnv("GS_PASSWORD", PASSWORD)
            .withPrivilegedMode(true)
            .withExposedPorts(5432)
            .waitingFor(Wait.forLogMessage(".*database system is ready to accept connections.*", 1)
                    .withStartupTimeout(Duration.ofMinutes(3)));

    @Test
    void probeAndReplicationQueriesRunAndParse() throws Exception {
        HostPort addr = new HostPort(OPENGAUSS.getHost(), OPENGAUSS.getMappedPort(5432));
        String version;
        int versionNum;
        try (Connection c = connect(addr, "jdbc:opengauss://"); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery("SELECT version(), current_setting('server_version_num')::int")) {
            assertTrue(rs.next());
            version = rs.getString(1);
            versionNum = rs.getInt(2);
        }
        assertEquals(90204, versionNum);
        Dialect d = DialectResolver.fromServer(version, versionNum, Binaries.in(null), "m", addr);
        assertEquals("openGauss", d.name(), version);
        try (Connection c = connect(addr, "jdbc:opengauss://"); Statement st = c.createStatement()) {
            LocalState s;
            try (ResultSet rs = st.executeQuery(d.sql("probe"))) {
                assertTrue(rs.next());
                s = ProbeRows.localState(ProbeRows.row(rs), d, null, List.of());
            }
            assertFalse(s.inRecovery());
            assertTrue(s.walPosition() > 0);
            assertEquals(90204, s.serverVersion());
            List<ReplicationInfo> senders = new ArrayList<>();
            try (ResultSet rs = st.executeQuery(d.sql("replication"))) {
                while (rs.next()) {
                    senders.add(ProbeRows.replication(ProbeRows.row(rs), d));
                }
            }
            assertTrue(senders.isEmpty(), "a single node has no WAL senders: " + senders);
            for (String q : List.of("is_in_recovery", "slots")) {
                try (ResultSet rs = st.executeQuery(d.sql(q))) {
                    rs.next();
                }
            }
        }
    }

    private static Connection connect(HostPort addr, String prefix) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "gaussdb");
        p.setProperty("password", PASSWORD);
        return DriverManager.getConnection(prefix + addr.host() + ":" + addr.port() + "/postgres", p);
    }
}
