package io.has.db;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.has.cluster.HostPort;
import io.has.cluster.PgState;
import io.has.cluster.SlotNames;
import io.has.config.DynamicConfig;
import io.has.config.HasConfig;
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
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * The database layer against real PostgreSQL 15 binaries, in story order: bootstrap a primary, clone
 * and stream a replica, fail over to it, rewind the old primary and make it follow the new one.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class PostgresDatabaseIT {

    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final String RUN_AS = "postgres";
    private static final String SUPERUSER_PASSWORD = "super'secret";
    private static final Duration DEADLINE = Duration.ofSeconds(30);

    private Path root;
    private final List<PostgresDatabase> databases = new ArrayList<>();

    @BeforeAll
    void createRoot() throws IOException {
        assumeTrue(Files.isExecutable(BIN.resolve("pg_ctl")), "PostgreSQL 15 binaries not found in " + BIN);
        root = Files.createTempDirectory(Path.of("/tmp"), "has-it-");
        new ProcessRunner(RUN_AS, Map.of()).chown(root);
    }

    @AfterAll
    void stopEverything() throws IOException {
        for (PostgresDatabase db : databases) {
            try {
                db.stop(StopMode.IMMEDIATE);
            } catch (DbException e) {
                System.err.println("cleanup: " + e.getMessage());
            }
            db.close();
        }
        if (root != null) {
            ManagedFiles.deleteTree(root);
        }
    }

    @Test
    void bootstrapCloneFailoverAndRewind() throws Exception {
        Dialect dialect = DialectResolver.forBinaries(BIN);
        DynamicConfig dynamic = DynamicConfig.fromMap(Map.of("postgresql",
                Map.of("use_slots", true, "use_pg_rewind", true, "parameters", Map.of("max_connections", 30))));
        int portA = freePort();
        int portB = freePort();
        PostgresDatabase a = database("pg-a", portA, dialect);
        PostgresDatabase b = database("pg-b", portB, dialect);
        Upstream upA = new Upstream("pg-a", new HostPort("127.0.0.1", portA));
        Upstream upB = new Upstream("pg-b", new HostPort("127.0.0.1", portB));

        // every exit of pg-a's postmaster, planned or not, is reported (the HA loop wakes up on it)
        BlockingQueue<String> exitsA = new LinkedBlockingQueue<>();
        a.watchPostmaster(() -> exitsA.add("exit"));

        // an empty data directory
        a.applyDynamicConfig(dynamic);
        LocalState empty = a.probe();
        assertTrue(empty.dataDirEmpty());

        // 1. bootstrap a primary
        a.bootstrap();
        LocalState pa = a.probe();
        assertEquals(PgState.RUNNING, pa.state(), pa.error());
        assertFalse(pa.inRecovery());
        assertNotNull(pa.systemId());
        assertEquals(1, pa.timeline());
        assertTrue(pa.walPosition() > 0);
        assertTrue(pa.serverVersion() >= 150000);
        assertTrue(pa.postmasterStartTime().matches("\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{6}\\+00:00"),
                pa.postmasterStartTime());
        assertEquals("30", query(portA, "SHOW max_connections"));
        assertEquals("on", query(portA, "SHOW wal_log_hints"));
        assertEquals("it-cluster", query(portA, "SHOW cluster_name"));
        assertEquals("t", query(portA, "SELECT rolreplication FROM pg_roles WHERE rolname = 'replicator'"));
        assertEquals("t", query(portA, "SELECT has_function_privilege('rewinder',"
                + " 'pg_read_binary_file(text, bigint, bigint, boolean)', 'execute')"));
        assertEquals("t", query(portA, "SELECT rolcreatedb AND rolcanlogin FROM pg_roles WHERE rolname = 'app'"));
        a.start(false, null); // idempotent
        assertThrows(DbException.class, a::bootstrap);

        // 2. the replica: slot first, clone, start streaming
        assertTrue(a.syncReplicationSlots(Set.of(SlotNames.forMember("pg-b"))), "nothing left for later");
        b.applyDynamicConfig(dynamic);
        b.createReplica(upA);
        assertEquals(PgState.STOPPED, b.probe().state());
        b.start(true, upA);
        await().atMost(DEADLINE).until(() -> {
            LocalState s = b.probe();
            return s.isRunningReplica() && s.streaming();
        });
        // HAS synced the clone with syncfs, so the server's own start-up sync of it uses syncfs as well;
        // the next start is back to the configured method
        assertEquals("syncfs", query(portB, "SHOW recovery_init_sync_method"));
        b.restart();
        assertEquals("fsync", query(portB, "SHOW recovery_init_sync_method"));
        await().atMost(DEADLINE).until(() -> b.probe().streaming());
        LocalState pb = b.probe();
        assertEquals(pa.systemId(), pb.systemId());
        assertEquals(upA.address(), pb.upstream());
        assertEquals(1, pb.timeline());
        execute(portA, "CREATE TABLE t (id int primary key, note text)", "INSERT INTO t VALUES (1, 'on pg-a')");
        await().atMost(DEADLINE).until(() -> "on pg-a".equals(queryOrNull(portB, "SELECT note FROM t WHERE id = 1")));
        await().atMost(DEADLINE).until(() -> a.probe().replication().stream()
                .anyMatch(r -> r.applicationName().equals("pg-b") && "streaming".equals(r.state())));
        assertEquals("t", query(portA, "SELECT active FROM pg_replication_slots WHERE slot_name = 'pg_b'"));

        // a standby keeps a slot for the other members that reserves no WAL; after its promotion it is
        // there at once (step 4 streams through it)
        assertTrue(b.syncStandbySlots(Set.of(SlotNames.forMember("pg-a"))));
        assertEquals("none", query(portB, "SELECT coalesce(restart_lsn::text, 'none') FROM pg_replication_slots"
                + " WHERE slot_name = 'pg_a'"));

        // 3. the primary dies; the replica is promoted
        a.stop(StopMode.IMMEDIATE);
        assertNotNull(exitsA.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS), "a planned stop is reported too");
        LocalState stoppedA = a.probe();
        assertEquals(PgState.STOPPED, stoppedA.state(), "a stop removes the lock file: not a crash");
        assertTrue(stoppedA.wasPrimary());
        assertEquals(pa.systemId(), stoppedA.systemId());
        a.stop(StopMode.FAST); // no-op when stopped
        b.promote();
        LocalState promoted = b.probe();
        assertEquals(PgState.RUNNING, promoted.state());
        assertFalse(promoted.inRecovery());
        assertEquals(2, promoted.timeline());
        b.promote(); // idempotent
        b.syncReplicationSlots(Set.of(SlotNames.forMember("pg-a")));
        execute(portB, "INSERT INTO t VALUES (2, 'on pg-b')");

        // the checkpoint after the promotion runs beside the caller; once done, pg_control names the new
        // timeline, which pg_rewind reads from the source
        await().atMost(DEADLINE).until(() -> !b.checkpointAfterPromotePending());
        assertEquals("2", query(portB, "SELECT timeline_id FROM pg_control_checkpoint()"));

        // a reload after the promotion applies cleanly: the standby file that went away held no parameter
        // a restart would be needed for (each reload would say "configuration file contains errors" again).
        // Two reloads, the second sent once the first is logged (two pending SIGHUPs are one): the postmaster
        // handles them in turn, so the second one's line follows all of the first's
        Path logB = b.paths().logFile();
        long reloads = countLines(logB, "received SIGHUP");
        for (int i = 1; i <= 2; i++) {
            execute(portB, "SELECT pg_reload_conf()");
            long expected = reloads + i;
            await().atMost(DEADLINE).until(() -> countLines(logB, "received SIGHUP") >= expected);
        }
        assertEquals(0, countLines(logB, "cannot be changed without restarting"), Files.readString(logB));

        // 4. the old primary is rewound and follows the new one
        a.rewind(upB);
        a.start(true, upB);
        await().atMost(DEADLINE).until(() -> {
            LocalState s = a.probe();
            return s.isRunningReplica() && s.streaming() && Integer.valueOf(2).equals(s.timeline());
        });
        assertEquals(upB.address(), a.probe().upstream());
        assertEquals("syncfs", query(portA, "SHOW recovery_init_sync_method"), "HAS synced the rewound files");
        execute(portB, "INSERT INTO t VALUES (3, 'after rewind')");
        await().atMost(DEADLINE).until(() -> "after rewind".equals(queryOrNull(portA, "SELECT note FROM t WHERE id = 3")));
        assertEquals("t", query(portB, "SELECT active FROM pg_replication_slots WHERE slot_name = 'pg_a'"));

        // 5. a dynamic change is applied by reload; following the same upstream again is harmless
        b.applyDynamicConfig(DynamicConfig.fromMap(Map.of("postgresql",
                Map.of("use_slots", true, "parameters", Map.of("max_connections", 30, "work_mem", "8MB")))));
        await().atMost(DEADLINE).until(() -> "8MB".equals(queryOrNull(portB, "SHOW work_mem")));
        a.follow(upB);
        await().atMost(DEADLINE).until(() -> a.probe().streaming());

        // 6. a killed server is reported as crashed and starts again
        long pid = dialect.postmasterPid(a.paths().dataDir()).orElseThrow();
        exitsA.clear();
        ProcessHandle.of(pid).orElseThrow().destroyForcibly();
        assertNotNull(exitsA.poll(DEADLINE.toSeconds(), TimeUnit.SECONDS), "the watch reports the killed postmaster");
        // the first probe after the report already sees the crash (even while the postmaster is an unreaped zombie)
        assertEquals(PgState.CRASHED, a.probe().state());
        a.start(true, upB);
        await().atMost(DEADLINE).until(() -> a.probe().isRunningReplica() && a.probe().streaming());
        assertEquals("fsync", query(portA, "SHOW recovery_init_sync_method"), "HAS did not sync a crashed server");
    }

    @Test
    void aSocketDirectoryInTheTempDirectoryGoesWithTheServer() throws Exception {
        int port = freePort();
        // a data directory whose socket paths would be too long beside it
        PostgresDatabase db = database("pg-" + "long-name-".repeat(8), port, DialectResolver.forBinaries(BIN));
        Path sockets = db.paths().socketDir();
        assertTrue(db.paths().socketDirInTemp(), sockets.toString());
        db.bootstrap();
        assertTrue(db.probe().isRunningPrimary());
        assertTrue(Files.isDirectory(sockets));
        db.close();
        assertTrue(Files.isDirectory(sockets), "kept while the server runs");
        db.stop(StopMode.FAST);
        db.close();
        assertFalse(Files.exists(sockets), sockets + " is left behind");
    }

    private PostgresDatabase database(String name, int port, Dialect dialect) {
        HasConfig.Credentials su = new HasConfig.Credentials("postgres", SUPERUSER_PASSWORD, null);
        HasConfig.Credentials repl = new HasConfig.Credentials("replicator", "repl:pass", null);
        HasConfig.Credentials rewind = new HasConfig.Credentials("rewinder", "rewind-pass", null);
        HasConfig.Postgresql pg = new HasConfig.Postgresql("127.0.0.1", port, new HostPort("127.0.0.1", port),
                root.resolve(name), BIN, null, 60, "postgres", su, repl, rewind,
                Map.of("shared_buffers", "16MB", "fsync", "off", "max_connections", 500), List.of(), false,
                List.of("basebackup"), List.of("--checkpoint=fast"));
        HasConfig.Bootstrap bootstrap = new HasConfig.Bootstrap(Map.of(), List.of("--encoding=UTF8", "--locale=C"),
                List.of(), Map.of("app", new HasConfig.User("app-pass", List.of("createdb"))));
        HasConfig config = new HasConfig("it-cluster", "/service", name, null, null, bootstrap, pg, Map.of(), null, Map.of());
        PostgresDatabase db = new PostgresDatabase(config, dialect, RUN_AS);
        databases.add(db);
        return db;
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0)) {
            return s.getLocalPort();
        }
    }

    private static Connection connect(int port) throws SQLException {
        return DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres?connectTimeout=2"
                + "&socketTimeout=5", "postgres", SUPERUSER_PASSWORD);
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

    private static long countLines(Path file, String text) throws IOException {
        try (var lines = Files.lines(file)) {
            return lines.filter(l -> l.contains(text)).count();
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
