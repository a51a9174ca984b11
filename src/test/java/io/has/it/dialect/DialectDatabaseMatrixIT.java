package io.has.it.dialect;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.has.cluster.HostPort;
import io.has.cluster.PgState;
import io.has.cluster.SlotNames;
import io.has.config.DynamicConfig;
import io.has.config.HasConfig;
import io.has.db.DbException;
import io.has.db.Dialect;
import io.has.db.DialectResolver;
import io.has.db.LocalState;
import io.has.db.ManagedFiles;
import io.has.db.PostgresDatabase;
import io.has.db.StopMode;
import io.has.db.Upstream;
import io.has.process.ProcessRunner;
import java.io.IOException;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The database layer on every PostgreSQL major of the matrix (9.6 to 17), through the dialect the
 * resolver picks from the binaries: bootstrap, clone (Debian's pg_basebackup 15 up to 15; the SQL
 * clone method for 16 and 17, whose pg_basebackup is not installed here), streaming, a write,
 * kill -9 of the primary's postmaster, promotion (pg_ctl promote up to 11, pg_promote() from 12), and
 * the old primary back as a replica (pg_rewind on 15 where a same-major pg_rewind exists, re-clone
 * elsewhere). The control file is read directly where no pg_controldata of the major exists.
 *
 * <p>Tagged {@code slow}: {@link HasClusterMatrixIT} runs the same story on every major through real
 * daemons, so {@code -Dhas.excludedGroups=slow} may skip this one (about 2.5 minutes).
 */
@Tag("slow")
class DialectDatabaseMatrixIT {

    private static final String RUN_AS = "postgres";
    private static final String PASSWORD = "super'secret";
    private static final Duration DEADLINE = Duration.ofSeconds(60);
    static final List<PgBinaries.Major> MATRIX = PgBinaries.MATRIX;

    private Path root;
    private final List<PostgresDatabase> databases = new ArrayList<>();

    @BeforeEach
    void createRoot() throws IOException {
        assumeTrue(Files.isExecutable(PgBinaries.DEBIAN_15.resolve("pg_basebackup")),
                "Debian's PostgreSQL 15 client tools not found in " + PgBinaries.DEBIAN_15);
        root = Files.createTempDirectory(Path.of("/tmp"), "has-dialect-");
        new ProcessRunner(RUN_AS, Map.of()).chown(root);
    }

    @AfterEach
    void stopEverything() throws IOException {
        for (PostgresDatabase db : databases) {
            try {
                db.stop(StopMode.IMMEDIATE);
            } catch (DbException e) {
                System.err.println("cleanup: " + e.getMessage());
            }
            db.close();
        }
        databases.clear();
        if (root != null) {
            ManagedFiles.deleteTree(root);
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("MATRIX")
    void bootstrapCloneFailoverAndRejoin(PgBinaries.Major major) throws Exception {
        Path bin = PgBinaries.binDir(major);
        int portA = freePort();
        int portB = freePort();
        PostgresDatabase a = database("pg-a", portA, major, bin);
        PostgresDatabase b = database("pg-b", portB, major, bin);
        Dialect dialect = a.dialect();
        assertEquals(major.toString(), dialect.name());
        assertEquals(major.major() == 15, dialect.canRewind(), "a same-major pg_rewind exists only for 15 here");
        Upstream upA = new Upstream("pg-a", new HostPort("127.0.0.1", portA));
        Upstream upB = new Upstream("pg-b", new HostPort("127.0.0.1", portB));
        DynamicConfig dynamic = DynamicConfig.fromMap(Map.of("postgresql", Map.of("use_slots", true)));
        a.applyDynamicConfig(dynamic);
        b.applyDynamicConfig(dynamic);

        a.bootstrap();
        LocalState pa = a.probe();
        assertEquals(PgState.RUNNING, pa.state(), pa.error());
        assertFalse(pa.inRecovery());
        assertEquals(1, pa.timeline());
        assertEquals(major.major(), pa.serverVersion() / 10000);
        assertEquals("on", query(portA, "SHOW wal_log_hints"));

        a.syncReplicationSlots(Set.of(SlotNames.forMember("pg-b")));
        b.createReplica(upA);
        b.start(true, upA);
        await().atMost(DEADLINE).until(() -> {
            LocalState s = b.probe();
            return s.isRunningReplica() && s.streaming();
        });
        execute(portA, "CREATE TABLE t (id int primary key, note text)", "INSERT INTO t VALUES (1, 'on pg-a')");
        await().atMost(DEADLINE).until(() -> "on pg-a".equals(queryOrNull(portB, "SELECT note FROM t WHERE id = 1")));
        await().atMost(DEADLINE).until(() -> a.probe().replication().stream()
                .anyMatch(r -> "pg-b".equals(r.applicationName()) && "streaming".equals(r.state())
                        && r.flushLsn() != null));

        long pid = dialect.postmasterPid(a.paths().dataDir()).orElseThrow();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        await().atMost(DEADLINE).until(() -> a.probe().state() == PgState.CRASHED);
        LocalState crashed = a.probe();
        assertTrue(crashed.wasPrimary(), "control file says it ran as primary");
        assertEquals(pa.systemId(), crashed.systemId());
        assertEquals(1, crashed.timeline());

        b.promote();
        LocalState promoted = b.probe();
        assertFalse(promoted.inRecovery());
        assertEquals(2, promoted.timeline());
        b.syncReplicationSlots(Set.of(SlotNames.forMember("pg-a")));
        execute(portB, "INSERT INTO t VALUES (2, 'on pg-b')");

        a.rewind(upB); // pg_rewind where possible, else a re-clone
        a.start(true, upB);
        await().atMost(DEADLINE).until(() -> {
            LocalState s = a.probe();
            return s.isRunningReplica() && s.streaming() && Integer.valueOf(2).equals(s.timeline());
        });
        await().atMost(DEADLINE).until(() -> "on pg-b".equals(queryOrNull(portA, "SELECT note FROM t WHERE id = 2")));
    }

    private PostgresDatabase database(String name, int port, PgBinaries.Major major, Path bin) throws DbException {
        HasConfig.Credentials su = new HasConfig.Credentials("postgres", PASSWORD, null);
        HasConfig.Credentials repl = new HasConfig.Credentials("replicator", "repl:pass", null);
        List<String> methods = major.major() >= 16 ? List.of("sqlclone", "basebackup") : List.of("basebackup");
        HasConfig.Postgresql pg = new HasConfig.Postgresql("127.0.0.1", port, new HostPort("127.0.0.1", port),
                root.resolve(name), bin, null, 60, "postgres", su, repl, null,
                Map.of("shared_buffers", "16MB", "fsync", "off"), List.of(), false, methods, List.of());
        Map<String, Object> pgRaw = new LinkedHashMap<>();
        if (major.zonkyVersion() != null) {
            // the bundles hold initdb, pg_ctl and postgres only; Debian's 15 pg_basebackup clones 9.6-15
            pgRaw.put("bin_name", Map.of("pg_basebackup", PgBinaries.DEBIAN_15.resolve("pg_basebackup").toString()));
        }
        pgRaw.put("sqlclone", Map.of("command", SqlCloneCommand.command(), "user", "postgres"));
        HasConfig.Bootstrap bootstrap = new HasConfig.Bootstrap(Map.of(), List.of("--encoding=UTF8", "--locale=C"),
                List.of(), Map.of());
        HasConfig config = new HasConfig("matrix", "/service", name, null, null, bootstrap, pg, Map.of(), null,
                Map.of("postgresql", pgRaw));
        PostgresDatabase db = new PostgresDatabase(config, DialectResolver.forConfig(config), RUN_AS);
        databases.add(db);
        return db;
    }

    static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Connection connect(int port) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?connectTimeout=2"
                + "&socketTimeout=5", "postgres", PASSWORD);
    }

    private static void execute(int port, String... sql) throws SQLException {
        try (Connection c = connect(port); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private static String query(int port, String sql) throws SQLException {
        try (Connection c = connect(port); Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String queryOrNull(int port, String sql) {
        try {
            return query(port, sql);
        } catch (SQLException e) {
            return null;
        }
    }
}
