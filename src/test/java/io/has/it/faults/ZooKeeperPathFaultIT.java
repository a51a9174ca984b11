package io.has.it.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.it.ClusterHarness;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingCluster;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The connection between the database leader's daemon and its ZooKeeper server goes silent without
 * closing (a hung server or a dead network path), while the other two servers of the ensemble are fine.
 * Each server sits behind a {@link TcpProxy}; the test freezes the one proxied connection that carries
 * the leader's session. The daemon must leave that server after its read timeout, Patroni's
 * {@code max(loop_wait - 2, 2)} s, reconnect to another server within its session and keep leading:
 * no failover and no demotion. With the ZooKeeper client's own read timeout (two thirds of ttl, 20 s
 * here) the leader's calls failed for the whole {@code retry_timeout} (10 s) and it demoted itself.
 *
 * <p>DCS timing ttl 30, loop_wait 2, retry_timeout 10, as in {@link ZooKeeperEnsembleFaultIT}.
 */
@Timeout(value = 6, unit = TimeUnit.MINUTES)
class ZooKeeperPathFaultIT {

    private static final Pattern CONNECTION = Pattern.compile("/127\\.0\\.0\\.1:(\\d+)\\[.*\\bsid=0x([0-9a-f]+)");

    @RegisterExtension
    static final FaultGuard GUARD = new FaultGuard();

    @Test
    void aSilentConnectionToOneServerDoesNotFailOverTheDatabase() throws Exception {
        List<InstanceSpec> specs = ZkEnsemble.threeServers(GUARD);
        TestingCluster zk = GUARD.register(new TestingCluster(specs));
        zk.start();
        List<TcpProxy> proxies = new ArrayList<>();
        for (InstanceSpec s : specs) {
            proxies.add(GUARD.register(new TcpProxy(s.getPort())));
        }
        String connect = proxies.stream().map(p -> "127.0.0.1:" + p.port()).collect(Collectors.joining(","));
        FaultCluster fc = GUARD.register(FaultCluster.start(ClusterHarness.options().scope("zkpath").members(3)
                .dcsTiming(30, 2, 10).externalZooKeeper(connect), "ZooKeeperPathFaultIT"));
        try {
            run(specs, proxies, fc);
        } catch (Exception | Error e) {
            fc.markFailed();
            throw e;
        }
    }

    private static void run(List<InstanceSpec> specs, List<TcpProxy> proxies, FaultCluster fc) throws Exception {
        String leader = fc.beginStep("the leader's ZooKeeper connection goes silent");
        long postmaster = fc.harness().postmaster(leader).orElseThrow().pid();
        Stat lock = fc.harness().curator().checkExists().forPath(fc.harness().zkPath("leader"));
        long session = lock.getEphemeralOwner();
        TcpProxy.Link link = fc.poll("the proxied connection of session 0x" + Long.toHexString(session),
                Duration.ofSeconds(30), () -> linkOf(session, specs, proxies), () -> connections(specs));
        Instant frozen = Instant.now();
        link.frozen = true;
        fc.log("froze the connection of " + leader + "'s session 0x" + Long.toHexString(session)
                + " (proxy upstream port " + link.upstreamPort() + ")");
        // the session moved to another server: a server answers for it on a connection that is not frozen
        fc.poll(leader + "'s session on another connection", Duration.ofSeconds(60), () -> {
            TcpProxy.Link now = linkOf(session, specs, proxies);
            return now != null && now != link ? now : null;
        }, () -> connections(specs));
        fc.log(leader + "'s session reconnected after " + FaultCluster.secs(Duration.between(frozen, Instant.now()))
                + " (observed)");
        // the leader's loop kept writing through the new connection
        fc.poll(leader + " writing its status key after the freeze", Duration.ofSeconds(60), () -> {
            Stat st = fc.harness().curator().checkExists().forPath(fc.harness().zkPath("status"));
            return st != null && st.getMtime() > frozen.toEpochMilli() + 2000 ? st : null;
        }, () -> "status key not rewritten");
        fc.awaitWritesOn(leader, Instant.now());
        Stat after = fc.harness().curator().checkExists().forPath(fc.harness().zkPath("leader"));
        assertEquals(session, after.getEphemeralOwner(), "the same session holds the leader lock");
        assertEquals(leader, fc.harness().leaderFromZk(), "leader key after the freeze");
        assertEquals(postmaster, fc.harness().postmaster(leader).orElseThrow().pid(),
                "the leader's PostgreSQL was never restarted (no demotion)");
        assertTrue(fc.harness().isPrimary(leader), leader + " answers /primary");
        fc.log("silent ZooKeeper connection: " + leader + " kept leading, longest write gap "
                + fc.writeGap(frozen, leader, leader));
        assertEquals(leader, fc.endStep(false), "no failover of the database");
        fc.assertAcknowledgedPresent(leader, fc.stepStart(), Instant.now(), "no failover");
    }

    /** The proxied connection a server holds for {@code session}, from the servers' {@code cons}. */
    private static TcpProxy.Link linkOf(long session, List<InstanceSpec> specs, List<TcpProxy> proxies) {
        for (int i = 0; i < specs.size(); i++) {
            Matcher m = CONNECTION.matcher("");
            for (String line : ZkEnsemble.fourLetters(specs.get(i), "cons").split("\n")) {
                if (m.reset(line).find() && Long.parseUnsignedLong(m.group(2), 16) == session) {
                    TcpProxy.Link link = proxies.get(i).linkByUpstreamPort(Integer.parseInt(m.group(1))).orElse(null);
                    if (link != null && !link.frozen) {
                        return link;
                    }
                }
            }
        }
        return null;
    }

    private static String connections(List<InstanceSpec> specs) {
        return specs.stream().map(s -> s.getConnectString() + ":\n" + ZkEnsemble.fourLetters(s, "cons"))
                .collect(Collectors.joining("\n"));
    }
}
