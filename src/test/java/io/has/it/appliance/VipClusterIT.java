package io.has.it.appliance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * The VIP end to end: two database hosts (a real {@code has} daemon + PostgreSQL 15 each, in network
 * namespaces, run as postgres with only the ambient CAP_NET_ADMIN + CAP_NET_RAW has.service grants), a
 * ZooKeeper host and a client host on one bridge (10.77.0.0/24, nothing in the root namespace). The client
 * writes through the VIP every 100 ms the whole time.
 *
 * <ol>
 *   <li>bootstrap: the VIP is on the leader's host only and writes through it reach the leader;</li>
 *   <li>the primary host's processes are killed (kill -9 of the daemon, the postmaster and every backend,
 *       i.e. everything in that namespace); then the unit's {@code ExecStopPost} line is run, as systemd
 *       would after the main process died (its real run under systemd is {@code NspawnIT}): writes through
 *       the VIP reach the other host once it took over;</li>
 *   <li>the crashed host's daemon starts again and rejoins as a replica;</li>
 *   <li>planned switchover ({@code POST /switchover}) back to it: the VIP moves, writes reach it;</li>
 *   <li>SIGTERM of that daemon (what {@code systemctl stop} sends) removes the VIP.</li>
 * </ol>
 * A poller asks both hosts every 100 ms and must never find the VIP on both. The gaps the client saw are
 * printed, never asserted (the benchmark owns the speed targets).
 *
 * <p>Both orders run: the crash after a switchover is the regression test for a fixed daemon bug (a
 * standby of the new primary, whose reported timeline lagged behind its WAL once the WAL receiver went
 * away, was stopped as "diverged", failed its pg_rewind against the dead leader and was re-cloned — wiping
 * the only surviving copy of the data).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class VipClusterIT {

    private static final String VIP = "10.77.0.50";
    private static final Duration DEADLINE = Duration.ofSeconds(180);

    @Test
    void vipFollowsThePrimaryThroughCrashSwitchoverAndShutdown() throws Exception {
        run(false);
    }

    @Test
    void vipFollowsThePrimaryWhenItCrashesAfterASwitchover() throws Exception {
        run(true);
    }

    private static void run(boolean crashAfterSwitchover) throws Exception {
        Host.requireRoot();
        Host.requireTools(List.of("iproute2", "util-linux", "arping"), "ip", "setpriv", "arping");
        Host.jar();
        String p = "hc" + (ProcessHandle.current().pid() % 10000);
        try (Netns net = new Netns(p)) {
            String nsA = net.host(p + "A", "10.77.0.11");
            String nsB = net.host(p + "B", "10.77.0.12");
            String nsZ = net.host(p + "Z", "10.77.0.2");
            String nsC = net.host(p + "C", "10.77.0.100");
            try (NsThread client = new NsThread(nsC);
                    NsCluster cluster = new NsCluster("VipClusterIT", "vipit", client)) {
                try {
                    scenario(cluster, nsA, nsB, nsZ, nsC, crashAfterSwitchover);
                } catch (Throwable t) {
                    cluster.markFailed();
                    throw t;
                }
            }
        }
    }

    private static void scenario(NsCluster cluster, String nsA, String nsB, String nsZ, String nsC,
            boolean crashAfterSwitchover) throws Exception {
        long t0 = System.currentTimeMillis();
        cluster.zookeeper(nsZ, "10.77.0.2");
        String vipYaml = """
                vip:
                  address: %s
                  netmask_bits: 24
                  broadcast: 10.77.0.255
                  device: eth0
                  label: '1'
                """.formatted(VIP);
        cluster.member("hA", nsA, "10.77.0.11", vipYaml);
        cluster.member("hB", nsB, "10.77.0.12", vipYaml);

        try (VipPoller poller = new VipPoller(VIP, List.of(nsA, nsB))) {
            cluster.start("hA");
            cluster.start("hB");

            // 1. bootstrap: one leader, one streaming replica, the VIP on the leader's host
            String leader = awaitLeaderWithReplica(cluster);
            await("VIP on " + leader).atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                    .until(() -> poller.holders().equals(List.of(cluster.member(leader).ns)));
            System.out.printf("bootstrap: %s leads, VIP on its host %d ms after the start%n", leader,
                    System.currentTimeMillis() - t0);

            String last;
            try (VipWriter writer = new VipWriter(nsC, VIP)) {
                long w0 = System.currentTimeMillis();
                await("writes through the VIP reach " + leader).atMost(DEADLINE)
                        .until(() -> writer.okOn(dataPrefix(cluster, leader), w0));
                if (crashAfterSwitchover) {
                    String next = switchover(cluster, writer, poller, leader);
                    awaitSteadyReplica(cluster, leader, next);
                    last = crash(cluster, writer, poller, next);
                } else {
                    String next = crash(cluster, writer, poller, leader);
                    // the crashed host comes back: its daemon rewinds it and it follows the new primary
                    long r0 = System.currentTimeMillis();
                    cluster.start(leader);
                    awaitSteadyReplica(cluster, leader, next);
                    System.out.printf("%s rejoined as a streaming replica %d ms after its restart%n", leader,
                            System.currentTimeMillis() - r0);
                    last = switchover(cluster, writer, poller, next);
                }
            }

            // SIGTERM (what systemctl stop sends) removes the VIP; the other host may take it over at once
            long st0 = System.currentTimeMillis();
            String stoppedNs = cluster.member(last).ns;
            cluster.signal(last, "TERM");
            await("VIP removed from " + last + " after SIGTERM").atMost(DEADLINE).pollInterval(Duration.ofMillis(100))
                    .until(() -> !poller.holders().contains(stoppedNs));
            long removed = System.currentTimeMillis();
            assertTrue(cluster.sigterm(last), last + " exits after SIGTERM");
            System.out.printf("SIGTERM of %s: VIP gone after %d ms, daemon exited after %d ms%n", last,
                    removed - st0, System.currentTimeMillis() - st0);
            assertTrue(cluster.log(last).contains("removed the VIP"), "the daemon removed it itself");
            assertFalse(Netns.has(cluster.member(last).ns, VIP));

            poller.close();
            System.out.println("poller: " + poller.polls() + " polls of both hosts; VIP on both: "
                    + poller.seenOnMoreThanOne());
            assertEquals(List.of(), poller.seenOnMoreThanOne(), "the VIP was never on both hosts");
        }
        System.out.printf("VipClusterIT scenario took %d s%n", (System.currentTimeMillis() - t0) / 1000);
    }

    /** Planned switchover from {@code from}; returns the new primary. */
    private static String switchover(NsCluster cluster, VipWriter writer, VipPoller poller, String from)
            throws Exception {
        String to = from.equals("hA") ? "hB" : "hA";
        long s0 = System.currentTimeMillis();
        String answer = cluster.post(from, "/switchover", "{\"leader\": \"" + from + "\", \"candidate\": \"" + to
                + "\"}");
        System.out.println("POST /switchover: " + answer);
        assertTrue(answer.startsWith("200"), answer);
        await("writes through the VIP reach " + to + " after the switchover").atMost(DEADLINE)
                .until(() -> writer.okOn(dataPrefix(cluster, to), s0));
        assertEquals(List.of(cluster.member(to).ns), poller.holders(), "the VIP moved with the primary");
        StringBuilder gap = new StringBuilder();
        writer.gap(s0, dataPrefix(cluster, to), gap);
        System.out.println("switchover " + from + " -> " + to + ": " + gap);
        System.out.print(writer.errorsSince(s0));
        return to;
    }

    /**
     * Every process of the primary's host dies (kill -9), then the unit's ExecStopPost line runs as systemd
     * would; returns the member that took over.
     */
    private static String crash(NsCluster cluster, VipWriter writer, VipPoller poller, String primary) {
        String survivor = primary.equals("hA") ? "hB" : "hA";
        NsCluster.Member dead = cluster.member(primary);
        long k0 = System.currentTimeMillis();
        String killed = cluster.kill9Host(primary);
        System.out.println("kill -9 on host " + primary + ":\n" + killed.indent(4));
        boolean vipLeft = Netns.has(dead.ns, VIP);
        // has.service: ExecStopPost=-/usr/sbin/ip addr del ${VIP}/${VIPNETMASKBIT} dev ${VIPDEV} label ...
        Host.sh("ip netns exec " + dead.ns + " /usr/sbin/ip addr del " + VIP + "/24 dev eth0 label eth0:1",
                Duration.ofSeconds(10));
        System.out.println("VIP still on " + primary + " after the kill: " + vipLeft
                + " (then removed by the unit's ExecStopPost command)");
        await("writes through the VIP reach " + survivor + " after the crash of " + primary).atMost(DEADLINE)
                .failFast("the surviving replica " + survivor + " wiped its data directory (the known daemon bug in "
                        + "the class comment)", () -> cluster.log(survivor).contains("reinitializing from " + primary))
                .until(() -> writer.okOn(dataPrefix(cluster, survivor), k0));
        StringBuilder gap = new StringBuilder();
        writer.gap(k0, dataPrefix(cluster, survivor), gap);
        System.out.println("crash of " + primary + " -> " + survivor + ": " + gap);
        System.out.print(writer.errorsSince(k0));
        assertEquals(List.of(cluster.member(survivor).ns), poller.holders());
        return survivor;
    }

    /** {@code replica} streams from {@code primary} on its timeline, steadily for 10 s. */
    private static void awaitSteadyReplica(NsCluster cluster, String replica, String primary) {
        // steadily: right after a pg_rewind the daemon may stop the standby once more for a second rewind
        // (the daemon bug in the class comment)
        await(replica + " streams from " + primary + " on its timeline, steadily for 10 s").atMost(DEADLINE)
                .during(Duration.ofSeconds(10)).pollInterval(Duration.ofMillis(500))
                .until(() -> cluster.isStreamingReplica(replica)
                        && sameTimeline(cluster.patroni(replica), cluster.patroni(primary)));
    }

    private static boolean sameTimeline(JsonNode replica, JsonNode primary) {
        return replica != null && primary != null && replica.path("timeline").asInt(-1) > 0
                && replica.path("timeline").asInt() == primary.path("timeline").asInt(-2)
                && "running".equals(replica.path("state").asText());
    }

    private static String dataPrefix(NsCluster cluster, String name) {
        return cluster.member(name).dir + "/";
    }

    private static String awaitLeaderWithReplica(NsCluster cluster) {
        String[] leader = new String[1];
        await("a leader and a streaming replica").atMost(DEADLINE).pollInterval(Duration.ofMillis(500)).until(() -> {
            String l = cluster.leader();
            if (l == null || cluster.restStatus(l, "/primary") != 200) {
                return false;
            }
            String o = l.equals("hA") ? "hB" : "hA";
            leader[0] = l;
            return cluster.isStreamingReplica(o);
        });
        return leader[0];
    }
}
