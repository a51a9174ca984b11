package io.has.ha;

import static io.has.ha.Views.ledBy;
import static io.has.ha.Views.pgAddress;
import static io.has.ha.Views.runningPrimaryWithStandbys;
import static io.has.ha.Views.runningReplica;
import static io.has.ha.Views.unlocked;
import static io.has.ha.Views.view;
import static io.has.ha.Views.withSync;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.cluster.SyncState;
import io.has.ha.Decision.AcquireLock;
import io.has.ha.Decision.Lead;
import io.has.ha.Decision.NoAction;
import java.util.List;
import org.junit.jupiter.api.Test;

class HaDeciderSyncTest {

    private static SyncPlanner.Plan plan(Decision d) {
        return assertInstanceOf(Lead.class, d).sync();
    }

    @Test
    void firstTheLeaderClaimsTheKeyAndAsksForTheBestStandby() {
        SyncPlanner.Plan p = plan(view("pg1", ledBy("pg1", 100, 1), runningPrimaryWithStandbys(100, "pg2", "async", "pg3", "async"))
                .dcs("synchronous_mode", true).decide());
        assertEquals(new SyncState("pg1", List.of(), -1), p.keyBefore());
        assertEquals(List.of("pg2"), p.names());
        assertNull(p.keyAfter(), "a standby enters the key only once PostgreSQL confirms it");
        assertTrue(p.awaiting());
    }

    @Test
    void aStandbyEntersTheKeyOncePostgresReportsItSynchronous() {
        var c = withSync(ledBy("pg1", 100, 1), "pg1");
        SyncPlanner.Plan p = plan(view("pg1", c, runningPrimaryWithStandbys(100, "pg2", "sync", "pg3", "async"))
                .dcs("synchronous_mode", true).decide());
        assertNull(p.keyBefore());
        assertEquals(new SyncState("pg1", List.of("pg2"), 5), p.keyAfter());
        assertTrue(!p.awaiting());
    }

    @Test
    void aLostStandbyLeavesTheKeyBeforeTheServerStopsWaitingForIt() {
        var c = withSync(ledBy("pg1", 100, 1), "pg1", "pg2");
        SyncPlanner.Plan p = plan(view("pg1", c, runningPrimaryWithStandbys(100, "pg3", "async"))
                .dcs("synchronous_mode", true).decide());
        assertEquals(new SyncState("pg1", List.of(), 5), p.keyBefore());
        assertEquals(List.of("pg3"), p.names());
    }

    @Test
    void strictModeWithoutStandbysBlocksWrites() {
        var c = withSync(ledBy("pg1", 100, 1), "pg1");
        SyncPlanner.Plan p = plan(view("pg1", c, runningPrimaryWithStandbys(100))
                .dcs("synchronous_mode", true).dcs("synchronous_mode_strict", true).decide());
        assertNull(p.names(), "null means '*': wait for any standby");
    }

    @Test
    void nosyncMembersAreNeverPicked() {
        var c = ledBy("pg1", 100, 1);
        var members = new java.util.ArrayList<>(c.members());
        members.set(1, Views.member("pg2", 2, io.has.cluster.Role.REPLICA, 100, 1, java.util.Map.of("nosync", true)));
        c = new io.has.cluster.Cluster(c.initialize(), c.config(), c.leader(), members, c.failover(), c.sync(),
                c.history(), c.status());
        SyncPlanner.Plan p = plan(view("pg1", c, runningPrimaryWithStandbys(100, "pg2", "async", "pg3", "async"))
                .dcs("synchronous_mode", true).decide());
        assertEquals(List.of("pg3"), p.names());
    }

    @Test
    void turningSynchronousModeOffDropsTheKeyAndStopsWaiting() {
        var c = withSync(ledBy("pg1", 100, 1), "pg1", "pg2");
        SyncPlanner.Plan p = plan(view("pg1", c, runningPrimaryWithStandbys(100, "pg2", "sync")).decide());
        assertEquals(SyncState.EMPTY, p.keyBefore());
        assertEquals(List.of(), p.names());
    }

    @Test
    void afterAFailureOnlyASyncStandbyMayTakeTheLock() {
        var c = withSync(unlocked(100, 1), "pg1", "pg2");
        Decision pg3 = view("pg3", c, runningReplica(200, 1, pgAddress(1))).dcs("synchronous_mode", true)
                .unreachablePeer("pg1").unreachablePeer("pg2").decide();
        assertTrue(assertInstanceOf(NoAction.class, pg3).reason().contains("not a synchronous standby"));
        Decision pg2 = view("pg2", c, runningReplica(100, 1, pgAddress(1))).dcs("synchronous_mode", true)
                .unreachablePeer("pg1").peer("pg3", true, 200).decide();
        AcquireLock a = assertInstanceOf(AcquireLock.class, pg2, "pg3 is ahead but not in the sync key");
        assertEquals(new Decision.PromoteSync(5, false), a.sync());
    }
}
