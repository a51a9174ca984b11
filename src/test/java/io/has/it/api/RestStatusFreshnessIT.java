package io.has.it.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.has.it.ClusterHarness;
import io.has.it.HarnessGuard;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A replica's {@code GET /patroni} carries the WAL it has replayed by the time of the request, not the
 * position of its last HA cycle (here up to loop_wait = 10 s old): members racing for the leader lock
 * compare their positions from it, as Patroni's members do from a status Patroni reads on each request.
 */
@Timeout(value = 4, unit = TimeUnit.MINUTES)
class RestStatusFreshnessIT {

    @RegisterExtension
    final HarnessGuard guard = new HarnessGuard();

    @Test
    void aReplicasStatusCarriesTheWalItHasJustReplayed() throws Exception {
        ClusterHarness cluster = guard.register(ClusterHarness.create(ClusterHarness.options()
                .label("RestStatusFreshnessIT").scope("fresh").members(2).dcsTiming(30, 10, 10)));
        cluster.startAll();
        String leader = cluster.awaitLeaderAndReplicas(1, Duration.ofSeconds(180));
        String replica = cluster.names().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
        // the claim is about a running standby's status: first its own loop must have seen it running (the
        // cycle after the clone may see it still starting, and the next comes loop_wait later)
        await(replica + " reports itself a running replica").atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    JsonNode st = cluster.patroni(replica);
                    return st != null && "running".equals(st.path("state").asText())
                            && "replica".equals(st.path("role").asText());
                });
        try (Connection c = cluster.connect(leader, 2, 5); Statement s = c.createStatement()) {
            s.execute("create table if not exists fresh (id serial primary key, at timestamptz default now())");
        }
        for (int round = 0; round < 3; round++) {
            long written;
            try (Connection c = cluster.connect(leader, 2, 5); Statement s = c.createStatement()) {
                s.execute("insert into fresh default values");
                written = lsn(s, "select pg_current_wal_lsn() - '0/0'::pg_lsn");
            }
            await(replica + " replays " + written).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(20))
                    .until(() -> replayed(cluster, replica) >= written);
            JsonNode status = cluster.patroni(replica);
            assertNotNull(status, "GET /patroni on " + replica);
            long reported = status.path("xlog").path("replayed_location").asLong(-1);
            assertTrue(reported >= written, "round " + round + ": " + replica + " had replayed " + written
                    + " when asked, its status says " + reported + ": " + status);
        }
    }

    private static long replayed(ClusterHarness cluster, String member) {
        try (Connection c = cluster.connect(member, 2, 5); Statement s = c.createStatement()) {
            return lsn(s, "select pg_last_wal_replay_lsn() - '0/0'::pg_lsn");
        } catch (SQLException e) {
            return -1;
        }
    }

    private static long lsn(Statement s, String sql) throws SQLException {
        try (ResultSet rs = s.executeQuery(sql)) {
            rs.next();
            return rs.getLong(1);
        }
    }
}
