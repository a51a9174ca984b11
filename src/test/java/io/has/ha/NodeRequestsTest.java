package io.has.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import io.has.api.NodeControl.RestartRequest;
import io.has.api.StatusSnapshot;
import io.has.config.DynamicConfig;
import io.has.db.LocalState;
import java.util.Map;
import org.junit.jupiter.api.Test;

class NodeRequestsTest {

    private static StatusSnapshot snapshot(LocalState local) {
        return new StatusSnapshot("demo", "pg1", "0.1.0", local, true, Long.MAX_VALUE, null, 0, DynamicConfig.DEFAULT,
                Map.of(), Views.SYSID, 0, 0);
    }

    @Test
    void restartOfAPrimaryWithRoleReplicaIsRefused() {
        assertEquals("restart conditions are not satisfied", NodeRequests.unmetCondition(
                snapshot(Views.runningPrimary(1, 1)), new RestartRequest("replica", null, null, null)));
        assertNull(NodeRequests.unmetCondition(snapshot(Views.runningPrimary(1, 1)),
                new RestartRequest("master", null, null, null)));
    }

    @Test
    void restartOnlyWhenTheServerIsOlderThanTheGivenVersion() {
        // the fixture server is 15.18 (150018)
        assertEquals("restart conditions are not satisfied", NodeRequests.unmetCondition(
                snapshot(Views.runningPrimary(1, 1)), new RestartRequest(null, "15.2", null, null)));
        assertNull(NodeRequests.unmetCondition(snapshot(Views.runningPrimary(1, 1)),
                new RestartRequest(null, "16.1", null, null)));
    }

    @Test
    void restartOfAStartingServerSaysSo() {
        assertEquals("postgres is still starting", NodeRequests.unmetCondition(snapshot(Views.starting()),
                new RestartRequest(null, null, null, null)));
    }

    @Test
    void versionNumbersFollowServerVersionNum() {
        assertEquals(150004, NodeRequests.versionNumber("15.4"));
        assertEquals(90624, NodeRequests.versionNumber("9.6.24"));
        assertEquals(100000, NodeRequests.versionNumber("10"));
    }

    @Test
    void failsafeRequestsAreAcceptedByReplicasOnlyAndOnlyInFailsafeMode() {
        java.util.concurrent.atomic.AtomicReference<StatusSnapshot> snap = new java.util.concurrent.atomic.AtomicReference<>(
                snapshot(Views.runningReplica(1, 1, null)));
        NodeRequests r = new NodeRequests("pg2", null, null, null, snap::get, null, new DecisionLog(10), () -> { }, () -> { });
        assertEquals(502, r.acceptFailsafe("pg1", "c", "a").status());
        DynamicConfig failsafe = DynamicConfig.fromMap(Map.of("failsafe_mode", true));
        snap.set(new StatusSnapshot("demo", "pg2", "0.1.0", Views.runningReplica(1, 1, null), false, 0, null, 0,
                failsafe, Map.of(), Views.SYSID, 0, 0));
        assertEquals(new io.has.api.NodeControl.ActionResult(200, "Accepted"), r.acceptFailsafe("pg1", "c", "a"));
        assertEquals(true, r.failsafeActive(System.currentTimeMillis(), 30_000));
        snap.set(new StatusSnapshot("demo", "pg2", "0.1.0", Views.runningPrimary(1, 1), false, 0, null, 0,
                failsafe, Map.of(), Views.SYSID, 0, 0));
        assertEquals(new io.has.api.NodeControl.ActionResult(500, "Running as a leader"),
                r.acceptFailsafe("pg1", "c", "a"));
    }
}
