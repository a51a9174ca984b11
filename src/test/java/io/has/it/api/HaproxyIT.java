package io.has.it.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.it.ClusterHarness;
import java.sql.SQLException;
import java.time.Duration;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.awaitility.core.ConditionTimeoutException;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real HAProxy (Debian {@code haproxy}, installed when missing) with Patroni's documented
 * configuration routes clients by the members' REST health checks: connections through its primary
 * port land on the leader ({@code pg_is_in_recovery()} false), through its replica port on the
 * replicas, and the primary port follows a switchover.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HaproxyIT {

    @RegisterExtension
    static final LiveCluster LIVE = new LiveCluster("HaproxyIT", "haproxy");

    private static Haproxy haproxy;

    @BeforeAll
    static void startHaproxy() throws Exception {
        String bin = Tool.require("haproxy", null, "haproxy");
        haproxy = LIVE.register(Haproxy.start(bin, LIVE.cluster()));
    }

    private int pgPort(String member) {
        return LIVE.cluster().member(member).pgPort();
    }

    /** Where a connection through {@code port} lands, or null while HAProxy has no server up for it. */
    private static LiveCluster.Landing tryLand(int port) {
        try {
            return LiveCluster.land(port);
        } catch (SQLException e) {
            return null;
        }
    }

    /**
     * Waits until five consecutive connections through the primary port land on {@code leader}, out of
     * recovery. Right after a switchover HAProxy still counts the old primary up until its {@code fall}
     * checks failed (2 × 1 s), and the switchover's answer now comes within 0.1 s of the new lock: one
     * landing on the new leader does not yet mean the old one is out.
     */
    private void awaitPrimaryPortOn(String leader) {
        String[] last = {"nothing yet"};
        try {
            await("HAProxy's primary port lands on " + leader).atMost(LiveCluster.SETTLE)
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        java.util.List<LiveCluster.Landing> sample = new java.util.ArrayList<>();
                        for (int i = 0; i < 5; i++) {
                            sample.add(tryLand(haproxy.primaryPort));
                        }
                        last[0] = sample.toString();
                        return sample.stream().allMatch(l -> l != null && l.serverPort() == pgPort(leader)
                                && !l.inRecovery());
                    });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; " + leader + " on " + pgPort(leader) + ", last landing "
                    + last[0] + "\n----- haproxy log -----\n" + haproxy.log(), e);
        }
    }

    @Test
    @Order(1)
    void primaryPortLandsOnTheLeader() throws Exception {
        String leader = LIVE.settledLeader();
        awaitPrimaryPortOn(leader);
        for (int i = 0; i < 5; i++) {
            LiveCluster.Landing l = LiveCluster.land(haproxy.primaryPort);
            assertEquals(pgPort(leader), l.serverPort(), "connection " + i + " through the primary port");
            assertFalse(l.inRecovery(), "connection " + i + " through the primary port is in recovery");
        }
        assertTrue(haproxy.isAlive(), haproxy.log());
    }

    /**
     * Waits until six consecutive connections through the replica port all land on {@code replicas}, in
     * recovery, covering each of them (roundrobin). Right after a role change HAProxy may still route to
     * the old server for its {@code fall} checks, so the sample is retried rather than asserted once.
     */
    private void awaitReplicaPortOn(Set<String> replicas) {
        Set<Integer> ports = replicas.stream().map(this::pgPort).collect(Collectors.toSet());
        String[] last = {"nothing yet"};
        try {
            await("HAProxy's replica port balances over " + replicas).atMost(LiveCluster.SETTLE)
                .pollInterval(Duration.ofMillis(300)).until(() -> {
                    java.util.List<LiveCluster.Landing> sample = new java.util.ArrayList<>();
                    for (int i = 0; i < 6; i++) {
                        sample.add(tryLand(haproxy.replicaPort));
                    }
                    last[0] = sample.toString();
                    return sample.stream().allMatch(l -> l != null && l.inRecovery() && ports.contains(l.serverPort()))
                            && sample.stream().map(LiveCluster.Landing::serverPort).collect(Collectors.toSet()).equals(ports);
                });
        } catch (ConditionTimeoutException e) {
            throw new AssertionError(e.getMessage() + "; replicas on " + ports + ", last sample " + last[0]
                    + "\n----- haproxy log -----\n" + haproxy.log(), e);
        }
    }

    @Test
    @Order(2)
    void replicaPortBalancesOverTheReplicas() throws Exception {
        String leader = LIVE.settledLeader();
        awaitReplicaPortOn(new HashSet<>(LIVE.others(leader)));
    }

    @Test
    @Order(3)
    void primaryPortFollowsARestSwitchover() throws Exception {
        ClusterHarness cluster = LIVE.cluster();
        String leader = LIVE.settledLeader();
        String candidate = LIVE.others(leader).get(0);
        awaitPrimaryPortOn(leader);

        LiveCluster.Rest r = LIVE.post(leader, "/switchover",
                "{\"leader\": \"" + leader + "\", \"candidate\": \"" + candidate + "\"}", Duration.ofSeconds(90));
        assertNotNull(r, "POST /switchover on " + leader);
        assertEquals(200, r.status(), r.text());
        assertEquals("Successfully switched over to \"" + candidate + "\"", r.text());

        awaitPrimaryPortOn(candidate);
        assertEquals(candidate, LIVE.settledLeader(), "leader after the switchover");
        for (int i = 0; i < 5; i++) {
            LiveCluster.Landing l = LiveCluster.land(haproxy.primaryPort);
            assertEquals(pgPort(candidate), l.serverPort(), "connection " + i + " through the primary port");
            assertFalse(l.inRecovery(), "connection " + i + " through the primary port is in recovery");
        }
        // the old leader, now a replica, is served by the replica port again; the new leader is not
        awaitReplicaPortOn(new HashSet<>(LIVE.others(candidate)));
        assertTrue(cluster.isStreamingReplica(leader), leader + " streams");
    }
}
