package io.has.api;

import static io.has.api.RestFixtures.LSN;
import static io.has.api.RestFixtures.NOW;
import static io.has.api.RestFixtures.config;
import static io.has.api.RestFixtures.goldenCluster;
import static io.has.api.RestFixtures.leaderSnapshot;
import static io.has.api.RestFixtures.noClusterYet;
import static io.has.api.RestFixtures.pausedSnapshot;
import static io.has.api.RestFixtures.replicaSnapshot;
import static io.has.api.RestFixtures.snapshot;
import static io.has.api.RestFixtures.stoppedSnapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.has.cluster.Cluster;
import io.has.cluster.Failover;
import io.has.cluster.SyncState;
import io.has.config.DynamicConfig;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class HealthChecksTest {

    private static int code(StatusSnapshot s, String path) {
        return HealthChecks.statusCode(s, path, Map.of(), NOW);
    }

    private static int code(StatusSnapshot s, String path, Map<String, String> query) {
        return HealthChecks.statusCode(s, path, query, NOW);
    }

    private static StatusSnapshot syncReplica(boolean syncMode) {
        Cluster c = RestFixtures.cluster(LSN, new SyncState("pg1", List.of("pg2"), 3), Failover.NONE, List.of());
        return replicaSnapshot(c, config(Map.of("synchronous_mode", syncMode)), Map.of());
    }

    @Test
    void noSnapshotBeforeTheFirstCycleFailsEveryCheck() {
        for (String p : List.of("/", "/primary", "/leader", "/replica", "/health", "/read-only", "/async")) {
            assertEquals(503, code(null, p), p);
        }
    }

    @Test
    void rootMeansPrimary() {
        assertEquals(200, code(leaderSnapshot(), "/"));
        assertEquals(503, code(replicaSnapshot(), "/"));
    }

    @Test
    void expiredLockMakesLeaderAndPrimaryChecksFail() {
        StatusSnapshot s = leaderSnapshot();
        assertEquals(200, HealthChecks.statusCode(s, "/leader", Map.of(), s.lockValidUntilMs() - 1));
        assertEquals(503, HealthChecks.statusCode(s, "/leader", Map.of(), s.lockValidUntilMs()));
        assertEquals(503, HealthChecks.statusCode(s, "/primary", Map.of(), s.lockValidUntilMs()));
        assertEquals(200, HealthChecks.statusCode(s, "/health", Map.of(), s.lockValidUntilMs()));
    }

    @Test
    void lockHolderStillInRecoveryIsLeaderButNotPrimary() {
        StatusSnapshot s = snapshot("pg1", RestFixtures.runningReplica(LSN), true, goldenCluster(), config(),
                Map.of(), NOW);
        assertEquals(200, code(s, "/leader"));
        assertEquals(503, code(s, "/primary"));
        assertEquals(503, code(s, "/read-write"));
        assertEquals(200, code(s, "/replica"));
    }

    @Test
    void replicaLagIsMeasuredAgainstTheClusterOptime() {
        long twoMb = 2L << 20;
        Cluster behind = RestFixtures.cluster(LSN + twoMb, SyncState.EMPTY, Failover.NONE, List.of());
        StatusSnapshot s = replicaSnapshot(behind, config(), Map.of());
        assertEquals(200, code(s, "/replica"));
        assertEquals(503, code(s, "/replica", Map.of("lag", "1MB")));
        assertEquals(200, code(s, "/replica", Map.of("lag", "2MB")));
        assertEquals(200, code(s, "/replica", Map.of("lag", "10MB")));
        assertEquals(503, code(s, "/replica", Map.of("lag", String.valueOf(twoMb - 1))));
        assertEquals(503, code(s, "/read-only", Map.of("lag", "1MB")));
        assertEquals(200, code(s, "/replica", Map.of("lag", "nonsense")), "unparsable lag means no limit");
    }

    @Test
    void parseLagFollowsPatroniUnits() {
        assertEquals(1024L, HealthChecks.parseLag("1kB"));
        assertEquals(1L << 20, HealthChecks.parseLag("1MB"));
        assertEquals(3L << 30, HealthChecks.parseLag("3GB"));
        assertEquals(1L << 40, HealthChecks.parseLag("1TB"));
        assertEquals(16L, HealthChecks.parseLag("16"));
        assertEquals(16L, HealthChecks.parseLag("16B"));
        assertEquals(1536L, HealthChecks.parseLag("1.5kB"));
        assertNull(HealthChecks.parseLag("1mb"), "units are case-sensitive as in PostgreSQL");
        assertNull(HealthChecks.parseLag("MB"));
        assertNull(HealthChecks.parseLag(null));
    }

    @Test
    void noloadbalanceTagTakesAReplicaOutOfRotation() {
        StatusSnapshot s = replicaSnapshot(goldenCluster(), config(), Map.of("noloadbalance", true));
        assertEquals(503, code(s, "/replica"));
        assertEquals(503, code(s, "/read-only"));
        assertEquals(200, code(s, "/health"));
    }

    @Test
    void tagFiltersApplyOnlyToNonPrimaryPathsThatWouldPass() {
        StatusSnapshot r = replicaSnapshot(goldenCluster(), config(), Map.of("dc", "east", "clonefrom", true));
        assertEquals(200, code(r, "/replica", Map.of("tag_dc", "east")));
        assertEquals(503, code(r, "/replica", Map.of("tag_dc", "west")));
        assertEquals(200, code(r, "/replica", Map.of("tag_clonefrom", "true")));
        assertEquals(503, code(r, "/replica", Map.of("tag_clonefrom", "True")), "non-strings compare lower-case");
        assertEquals(503, code(r, "/replica", Map.of("tag_rack", "1")), "missing tag");
        assertEquals(200, code(r, "/health", Map.of("tag_dc", "east", "lag", "1MB")));
        assertEquals(200, code(leaderSnapshot(), "/primary", Map.of("tag_dc", "west")), "ignored on primary");
        assertEquals(200, code(leaderSnapshot(), "/leader", Map.of("tag_dc", "west")), "ignored on leader");
    }

    @Test
    void syncAndAsyncDependOnTheSyncKeyWhileSynchronousModeIsOn() {
        StatusSnapshot sync = syncReplica(true);
        assertEquals(200, code(sync, "/sync"));
        assertEquals(200, code(sync, "/synchronous"));
        assertEquals(503, code(sync, "/async"));
        assertEquals(200, code(sync, "/read-only-sync"));
        assertEquals(200, code(sync, "/read-only"));

        StatusSnapshot modeOff = syncReplica(false);
        assertEquals(503, code(modeOff, "/sync"));
        assertEquals(200, code(modeOff, "/async"));
        assertEquals(503, code(modeOff, "/read-only-sync"));

        assertEquals(200, code(leaderSnapshot(), "/read-only-sync"));
        assertEquals(503, code(leaderSnapshot(), "/sync/extra"), "sync paths match exactly");
        assertEquals(503, code(noClusterYet(), "/async"), "sync paths need a cached cluster");
    }

    @Test
    void substringMatchingFollowsPatroniOrder() {
        StatusSnapshot leader = leaderSnapshot();
        assertEquals(503, code(leader, "/standby_leader"));
        assertEquals(200, code(leader, "/x/leader/y"));
        assertEquals(200, code(leader, "/primary-and-replica"), "primary is tested before replica");
        assertEquals(503, code(leader, "/unknown"));
        assertEquals(503, code(leader, "/patroni"), "only GET has a dedicated /patroni handler");
    }

    @Test
    void standbyClusterLeaderAnswersStandbyLeaderOnly() {
        DynamicConfig standby = config(Map.of("standby_cluster", Map.of("host", "10.0.0.1", "port", 5432)));
        StatusSnapshot s = snapshot("pg1", RestFixtures.runningReplica(LSN), true, goldenCluster(), standby,
                Map.of(), NOW);
        assertEquals(200, code(s, "/standby-leader"));
        assertEquals(200, code(s, "/standby_leader"));
        assertEquals(200, code(s, "/leader"));
        assertEquals(503, code(s, "/primary"));
        assertEquals(503, code(s, "/replica"));
        assertEquals(200, code(s, "/read-only"));
    }

    @Test
    void pausedWithoutClusterDecidesByRole() {
        StatusSnapshot primary = snapshot("pg1", RestFixtures.runningPrimary(), false, null,
                config(Map.of("pause", true)), Map.of(), NOW);
        assertEquals(200, code(primary, "/primary"));
        assertEquals(200, code(primary, "/leader"));
        StatusSnapshot notPaused = snapshot("pg1", RestFixtures.runningPrimary(), false, null, config(), Map.of(),
                NOW);
        assertEquals(503, code(notPaused, "/primary"));
    }

    @Test
    void stoppedDatabaseFailsHealthAndReplica() {
        assertEquals(503, code(stoppedSnapshot(), "/health"));
        assertEquals(503, code(stoppedSnapshot(), "/replica"));
        assertEquals(503, code(stoppedSnapshot(), "/read-only"));
    }

    @Test
    void livenessThresholdIsTtlOnARunningPrimaryAndTwiceTtlOtherwise() {
        StatusSnapshot leader = leaderSnapshot();
        long due = leader.nextRunMs();
        assertEquals(200, HealthChecks.liveness(leader, due + 29_999, 0));
        assertEquals(503, HealthChecks.liveness(leader, due + 30_000, 0));
        StatusSnapshot replica = replicaSnapshot();
        assertEquals(200, HealthChecks.liveness(replica, due + 59_999, 0));
        assertEquals(503, HealthChecks.liveness(replica, due + 60_000, 0));
        assertEquals(200, HealthChecks.liveness(pausedSnapshot(), due + 3_600_000, 0), "paused: loop may stall");
        assertEquals(200, HealthChecks.liveness(null, NOW + 59_999, NOW), "grace before the first cycle");
        assertEquals(503, HealthChecks.liveness(null, NOW + 60_000, NOW));
    }

    @Test
    void readinessNeedsLeadershipOrARunningServerAndACachedCluster() {
        assertEquals(200, HealthChecks.readiness(leaderSnapshot(), NOW));
        assertEquals(200, HealthChecks.readiness(replicaSnapshot(), NOW));
        assertEquals(503, HealthChecks.readiness(noClusterYet(), NOW));
        assertEquals(503, HealthChecks.readiness(stoppedSnapshot(), NOW));
        assertEquals(503, HealthChecks.readiness(null, NOW));
    }
}
