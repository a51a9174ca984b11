package io.has.it.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.it.ClusterHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A 3-server ZooKeeper ensemble ({@link TestingCluster}) under the HAS cluster: killing the
 * ensemble's leader triggers a ZooKeeper election and every client reconnects, but the database
 * must not fail over — the same member leads before and after, and writes continue.
 *
 * <p>DCS timing ttl 30, loop_wait 2, retry_timeout 10 (Patroni's default ttl and retry_timeout):
 * a ZooKeeper election plus the clients' reconnection must fit in retry_timeout, which 3 s does
 * not guarantee on a loaded machine; ttl ≥ loop_wait + 2·retry_timeout.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ZooKeeperEnsembleFaultIT {

    @RegisterExtension
    static final FaultGuard GUARD = new FaultGuard();

    @Test
    void killingTheEnsembleLeaderDoesNotFailOverTheDatabase() throws Exception {
        TestingCluster zk = GUARD.register(new TestingCluster(ZkEnsemble.threeServers(GUARD)));
        zk.start();
        FaultCluster fc = GUARD.register(FaultCluster.start(ClusterHarness.options().scope("ensemble").members(3)
                .dcsTiming(30, 2, 10).externalZooKeeper(zk.getConnectString()), "ZooKeeperEnsembleFaultIT"));
        try {
            run(zk, fc);
        } catch (Exception | Error e) {
            fc.markFailed();
            throw e;
        }
    }

    private static void run(TestingCluster zk, FaultCluster fc) throws Exception {
        String leader = fc.beginStep("ZooKeeper ensemble leader killed");
        long postmaster = fc.harness().postmaster(leader).orElseThrow().pid();
        InstanceSpec zkLeader = fc.poll("a ZooKeeper ensemble leader", Duration.ofSeconds(60),
                () -> zk.getInstances().stream().filter(s -> "leader".equals(mode(s))).findFirst().orElse(null),
                () -> modes(zk));
        Instant kill = Instant.now();
        assertTrue(zk.killServer(zkLeader), "killServer " + zkLeader);
        InstanceSpec elected = fc.poll("a new ZooKeeper ensemble leader", Duration.ofSeconds(90),
                () -> zk.getInstances().stream().filter(s -> !s.equals(zkLeader) && "leader".equals(mode(s)))
                        .findFirst().orElse(null), () -> modes(zk));
        Instant electedAt = Instant.now();
        fc.log("ZooKeeper leader " + zkLeader.getConnectString() + " killed; " + elected.getConnectString()
                + " leads the ensemble after " + FaultCluster.secs(Duration.between(kill, electedAt)) + " (observed)");
        // the database leader's loop wrote through the new ensemble (the status key carries its WAL
        // position, rewritten as the writers advance it) and writes kept flowing to it
        fc.poll(leader + " writing its status key through the new ensemble", Duration.ofSeconds(90), () -> {
            Stat st = fc.harness().curator().checkExists().forPath(fc.harness().zkPath("status"));
            return st != null && st.getMtime() > electedAt.toEpochMilli() ? st : null;
        }, () -> "status key not rewritten");
        fc.awaitWritesOn(leader, Instant.now());
        assertEquals(leader, fc.harness().leaderFromZk(), "leader key after the ZooKeeper election");
        assertTrue(fc.harness().isPrimary(leader), leader + " answers /primary");
        assertEquals(postmaster, fc.harness().postmaster(leader).orElseThrow().pid(),
                "the leader's PostgreSQL was never restarted");
        fc.log("ZooKeeper ensemble election: " + leader + " kept leading, longest write gap "
                + fc.writeGap(kill, leader, leader));
        assertEquals(leader, fc.endStep(false), "no failover of the database");
        fc.assertAcknowledgedPresent(leader, fc.stepStart(), Instant.now(), "no failover");
    }

    /** The {@code Mode:} line of the server's {@code srvr} answer, "down" when it does not answer. */
    static String mode(InstanceSpec s) {
        String answer = ZkEnsemble.fourLetters(s, "srvr");
        if (answer.startsWith("(")) {
            return "down";
        }
        return answer.lines().filter(l -> l.startsWith("Mode:")).map(l -> l.substring(5).trim()).findFirst()
                .orElse("unknown");
    }

    private static String modes(TestingCluster zk) {
        return zk.getInstances().stream().map(s -> s.getConnectString() + "=" + mode(s))
                .collect(Collectors.joining(", "));
    }
}
