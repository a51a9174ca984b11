package io.has.it.dialect;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.has.it.ClusterHarness;
import io.has.it.HarnessGuard;
import io.has.process.ProcessRunner;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * The real HAS cluster on every PostgreSQL major of the matrix (9.6 to 17): for each major a
 * 2-member cluster of real {@code has} daemons (the shaded jar), configured only through the YAML
 * keys an operator would use, on one embedded ZooKeeper shared by all majors (a scope per major):
 * bootstrap to one leader and one streaming replica, a write on the leader seen on the replica,
 * kill -9 of the leader's daemon and postmaster, promotion of the replica (it accepts a write), the
 * killed member restarted and back as a streaming replica of the new leader (the daemon rewinds
 * where a pg_rewind of the major exists, only 15 here, and re-clones otherwise, as
 * {@code LocalDatabase.canRewind()} says), then a graceful stop of both members. On the way it checks
 * what the daemons report through the dialect's queries: the primary's {@code replication} rows and
 * the replica's WAL positions in {@code GET /patroni}.
 *
 * <p>Binaries per major as in {@link DialectDatabaseMatrixIT}: {@code postgresql.bin_dir} is the zonky
 * bundle (initdb, pg_ctl, postgres) or Debian's PostgreSQL 15; 9.6 to 14 clone with Debian's
 * PostgreSQL 15 pg_basebackup through {@code postgresql.bin_name.pg_basebackup}; 16 and 17, whose
 * pg_basebackup is not installed here, through {@code postgresql.create_replica_methods:
 * [sqlclone, basebackup]} with the custom method {@code io.has.db.replica.SqlClone}.
 *
 * <p>DCS timing ttl 6 / loop_wait 1 / retry_timeout 2 keeps each major short; deadlines are generous
 * (2 shared cores) and nothing asserts how fast a step was.
 */
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class HasClusterMatrixIT {

    private static final int TTL = 6;
    private static final int LOOP_WAIT = 1;
    private static final int RETRY_TIMEOUT = 2;
    private static final Duration POLL = Duration.ofMillis(300);
    static final List<PgBinaries.Major> MATRIX = PgBinaries.MATRIX;

    private static Path zkDir;
    private static TestingServer zk;

    @RegisterExtension
    final HarnessGuard guard = new HarnessGuard();

    @BeforeAll
    static void startZooKeeper() throws Exception {
        assumeTrue(Files.isExecutable(PgBinaries.DEBIAN_15.resolve("pg_basebackup")),
                "Debian's PostgreSQL 15 client tools not found in " + PgBinaries.DEBIAN_15);
        zkDir = Files.createTempDirectory(Path.of("/tmp"), "has-matrix-zk-");
        // tick 1 s: sessions of 2 to 60 s, so the daemons' ttl of 6 s is honoured
        // the data directory inside zkDir: ZooKeeper writes its configuration file beside it at each start
        InstanceSpec spec = new InstanceSpec(zkDir.resolve("data").toFile(), -1, -1, -1, false, 1, 1000, 0,
                Map.of("maxSessionTimeout", "60000", "admin.enableServer", "false"), "127.0.0.1");
        zk = new TestingServer(spec, true);
    }

    @AfterAll
    static void stopZooKeeper() throws IOException {
        if (zk != null) {
            zk.close();
            zk = null;
        }
        if (zkDir != null) {
            new ProcessRunner(null, Map.of()).run(List.of("rm", "-rf", zkDir.toString()), Duration.ofMinutes(1));
        }
    }

    @ParameterizedTest(name = "{0}")
    @FieldSource("MATRIX")
    void bootstrapReplicateFailoverAndRejoin(PgBinaries.Major major) throws Exception {
        long started = System.nanoTime();
        Path bin = PgBinaries.binDir(major);
        String scope = "matrix-" + major.label().replace(".", "");
        ClusterHarness cluster = guard.register(ClusterHarness.create(ClusterHarness.options()
                .label("HasClusterMatrixIT-" + major.label()).scope(scope).members(2)
                .dcsTiming(TTL, LOOP_WAIT, RETRY_TIMEOUT).externalZooKeeper(zk.getConnectString()).binDir(bin)
                .parameter("shared_buffers", "16MB").parameter("fsync", "'off'")
                .postgresqlYaml((h, m) -> cloneSettings(major, h))));
        cluster.startAll();

        // 1. bootstrap: one leader, one streaming replica, both on this major
        String leader = cluster.awaitLeaderAndReplicas(1, Duration.ofSeconds(180));
        String replica = cluster.names().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        for (String n : cluster.names()) {
            assertEquals(Integer.toString(major.major()), serverMajor(cluster, n), "server version of " + n);
        }
        long bootstrapped = System.nanoTime();

        // 2. a write on the leader reaches the replica
        execute(cluster, leader, "CREATE TABLE matrix (id int PRIMARY KEY, note text)",
                "INSERT INTO matrix VALUES (1, 'before the crash')");
        await("row 1 replayed on " + replica).atMost(Duration.ofSeconds(60)).pollInterval(POLL)
                .until(() -> "before the crash".equals(queryOrNull(cluster, replica, "SELECT note FROM matrix WHERE id = 1")));
        // the dialect's WAL-position and pg_stat_replication queries, as the daemons report them
        await(leader + " reports " + replica + " streaming").atMost(Duration.ofSeconds(30)).pollInterval(POLL)
                .until(() -> reportsStreaming(cluster, leader, replica));
        await(replica + " reports its WAL positions").atMost(Duration.ofSeconds(30)).pollInterval(POLL)
                .until(() -> reportsWalPositions(cluster, replica));

        // 3. kill -9 of the leader: daemon, then postmaster
        cluster.kill9Daemon(leader);
        assertTrue(cluster.kill9Postmaster(leader), "a postmaster of " + leader + " was running and was killed");

        // 4. the replica is promoted and accepts a write
        await(replica + " promoted and accepting writes").atMost(Duration.ofSeconds(3L * TTL + 60)).pollInterval(POLL)
                .until(() -> replica.equals(cluster.leaderFromZk()) && cluster.isPrimary(replica)
                        && tryExecute(cluster, replica,
                                "INSERT INTO matrix VALUES (2, 'after the failover') ON CONFLICT (id) DO NOTHING"));
        long promoted = System.nanoTime();

        // 5. the killed member comes back as a streaming replica of the new leader
        cluster.start(leader);
        await(leader + " back as a streaming replica with row 2").atMost(Duration.ofSeconds(180)).pollInterval(POLL)
                .until(() -> cluster.isStreamingReplica(leader) && cluster.isReplicaByRest(leader)
                        && "after the failover".equals(queryOrNull(cluster, leader, "SELECT note FROM matrix WHERE id = 2")));
        assertEquals(replica, cluster.leaderFromZk(), "leader key after the rejoin");
        await(replica + " reports " + leader + " streaming").atMost(Duration.ofSeconds(30)).pollInterval(POLL)
                .until(() -> reportsStreaming(cluster, replica, leader));
        JsonNode status = cluster.patroni(replica);
        assertTrue(status != null && status.path("timeline").asInt() >= 2, "new leader's timeline in " + status);
        // the daemon chose through LocalDatabase.canRewind(): only 15 has a same-major pg_rewind here
        String restartLog = sinceLastStart(cluster.member(leader).log());
        String rejoin = restartLog.contains("rewind from " + replica + " done") ? "pg_rewind"
                : restartLog.contains("reinitializing from " + replica) ? "re-clone" : "neither rewind nor re-clone";
        assertEquals(major.major() == 15 ? "pg_rewind" : "re-clone", rejoin, "how " + leader + " rejoined");
        String method = major.major() >= 16 ? "sqlclone" : "basebackup";
        assertTrue(Files.readString(cluster.member(replica).log(), StandardCharsets.ISO_8859_1)
                .contains("with method " + method), replica + " was cloned with " + method);
        if (rejoin.equals("re-clone")) {
            assertTrue(restartLog.contains("with method " + method), leader + " was re-cloned with " + method);
        }
        long rejoined = System.nanoTime();

        // 6. graceful stop: each daemon stops its PostgreSQL
        for (String n : List.of(leader, replica)) {
            cluster.stop(n);
            assertTrue(cluster.postmaster(n).isEmpty(), "the postmaster of " + n + " still runs after its daemon stopped");
        }
        System.out.printf("HasClusterMatrixIT %s: bootstrap %d s, failover %d s, rejoin (%s) %d s, total %d s%n", major,
                seconds(started, bootstrapped), seconds(bootstrapped, promoted), rejoin, seconds(promoted, rejoined),
                seconds(started, System.nanoTime()));
    }

    /** The operator's YAML for cloning on this major (see the class comment). */
    static String cloneSettings(PgBinaries.Major major, ClusterHarness h) {
        if (major.major() >= 16) {
            String command = Path.of(System.getProperty("java.home"), "bin", "java") + " -cp " + h.jar()
                    + " io.has.db.replica.SqlClone";
            return """
                    create_replica_methods: [sqlclone, basebackup]
                    sqlclone:
                      command: '%s'
                      user: %s
                    """.formatted(command, ClusterHarness.SUPERUSER);
        }
        if (major.zonkyVersion() != null) {
            return """
                    bin_name:
                      pg_basebackup: %s
                    """.formatted(PgBinaries.DEBIAN_15.resolve("pg_basebackup"));
        }
        return "";
    }

    /** GET /patroni on {@code primary} lists {@code standby} in {@code replication} as streaming. */
    private static boolean reportsStreaming(ClusterHarness cluster, String primary, String standby) {
        JsonNode doc = cluster.patroni(primary);
        if (doc == null) {
            return false;
        }
        for (JsonNode row : doc.path("replication")) {
            if (standby.equals(row.path("application_name").asText()) && "streaming".equals(row.path("state").asText())) {
                return true;
            }
        }
        return false;
    }

    /** GET /patroni on a replica carries positive received and replayed WAL positions. */
    private static boolean reportsWalPositions(ClusterHarness cluster, String standby) {
        JsonNode doc = cluster.patroni(standby);
        return doc != null && doc.path("xlog").path("received_location").asLong() > 0
                && doc.path("xlog").path("replayed_location").asLong() > 0;
    }

    /** The member's log since the harness last started its daemon. */
    private static String sinceLastStart(Path log) throws IOException {
        String text = Files.readString(log, StandardCharsets.ISO_8859_1);
        int i = text.lastIndexOf("harness: starting");
        return i < 0 ? text : text.substring(i);
    }

    private static long seconds(long fromNanos, long toNanos) {
        return TimeUnit.NANOSECONDS.toSeconds(toNanos - fromNanos);
    }

    private static String serverMajor(ClusterHarness cluster, String member) throws SQLException {
        // server_version_num / 10000 is 9 for 9.6 and the major from 10 on
        return Integer.toString(Integer.parseInt(query(cluster, member, "SHOW server_version_num")) / 10000);
    }

    private static void execute(ClusterHarness cluster, String member, String... sql) throws SQLException {
        try (Connection c = cluster.connect(member, 3, 10); Statement st = c.createStatement()) {
            for (String s : sql) {
                st.execute(s);
            }
        }
    }

    private static boolean tryExecute(ClusterHarness cluster, String member, String sql) {
        try {
            execute(cluster, member, sql);
            return true;
        } catch (SQLException e) {
            return false;
        }
    }

    private static String query(ClusterHarness cluster, String member, String sql) throws SQLException {
        try (Connection c = cluster.connect(member, 3, 10); Statement st = c.createStatement();
                ResultSet rs = st.executeQuery(sql)) {
            return rs.next() ? rs.getString(1) : null;
        }
    }

    private static String queryOrNull(ClusterHarness cluster, String member, String sql) {
        try {
            return query(cluster, member, sql);
        } catch (SQLException e) {
            return null;
        }
    }
}
