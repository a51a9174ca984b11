package io.has.it.appliance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.vip.IpVip;
import io.has.vip.Vip;
import io.has.vip.VipFactory;
import io.has.vip.VipSpec;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/**
 * {@link IpVip} in network namespaces, run as the unprivileged user postgres with only ambient
 * CAP_NET_ADMIN + CAP_NET_RAW (what has.service grants): the VIP is added with its label, reconciled,
 * moved to the other host, and the gratuitous ARP updates the client's neighbour entry at once (without
 * it the client would keep the old MAC for ~30 s). A poller checking both hosts every 100 ms never sees
 * the VIP on both.
 */
class VipNamespaceIT {

    private static final String VIP = "10.77.0.50";

    private static List<String> asPostgres(String ns) {
        return List.of("ip", "netns", "exec", ns, "setpriv", "--reuid=postgres", "--regid=postgres", "--init-groups",
                "--inh-caps=+net_admin,+net_raw", "--ambient-caps=+net_admin,+net_raw");
    }

    @Test
    void vipMovesWithGratuitousArpAndIsNeverOnBothHosts() throws Exception {
        Host.requireRoot();
        Host.requireTools(List.of("iproute2", "util-linux", "arping"), "ip", "setpriv", "arping");
        String p = "hv" + (ProcessHandle.current().pid() % 10000);
        try (Netns net = new Netns(p)) {
            String a = net.host(p + "A", "10.77.0.11");
            String b = net.host(p + "B", "10.77.0.12");
            String c = net.host(p + "C", "10.77.0.100");
            Map<String, String> env = Map.of("VIP", VIP, "VIPNETMASKBIT", "24", "VIPBRD", "10.77.0.255",
                    "VIPDEV", "eth0", "VIPLABEL", "1");
            VipSpec spec = VipFactory.spec(Map.of(), env).orElseThrow();
            Vip onA = new IpVip(spec, asPostgres(a));
            Vip onB = new IpVip(spec, asPostgres(b));

            AtomicBoolean polling = new AtomicBoolean(true);
            AtomicInteger polls = new AtomicInteger();
            List<String> both = new ArrayList<>();
            Thread poller = new Thread(() -> {
                while (polling.get()) {
                    boolean inA = Netns.has(a, VIP);
                    boolean inB = Netns.has(b, VIP);
                    polls.incrementAndGet();
                    if (inA && inB) {
                        synchronized (both) {
                            both.add(java.time.LocalTime.now().toString());
                        }
                    }
                    try {
                        Thread.sleep(100); // the poll period, not synchronisation
                    } catch (InterruptedException e) {
                        return;
                    }
                }
            }, "vip-poller");
            poller.start();
            try {
                assertFalse(onA.isHeld());
                onA.reconcile(true);
                assertTrue(onA.isHeld());
                assertTrue(Host.must("ip -n " + a + " -o addr show dev eth0", Duration.ofSeconds(10)).stdout()
                        .contains("inet " + VIP + "/24 brd 10.77.0.255 scope global secondary eth0:1"));
                onA.reconcile(true); // idempotent
                onB.reconcile(false);
                assertFalse(Netns.has(b, VIP));

                // the client talks to the VIP, so its neighbour entry holds A's MAC
                String macA = Netns.mac(a);
                String macB = Netns.mac(b);
                Host.sh("ip netns exec " + c + " timeout 3 bash -c 'echo > /dev/tcp/" + VIP + "/5432' 2>/dev/null",
                        Duration.ofSeconds(10));
                await().atMost(Duration.ofSeconds(20)).until(() -> neigh(c).contains(macA));

                // someone removed it behind our back: reconcile re-adds it
                Host.must("ip -n " + a + " addr del " + VIP + "/24 dev eth0", Duration.ofSeconds(10));
                onA.reconcile(true);
                assertTrue(onA.isHeld());

                // move: A gives it up, B takes it and announces it
                long t0 = System.nanoTime();
                onA.reconcile(false);
                onB.reconcile(true);
                await().atMost(Duration.ofSeconds(20)).pollInterval(Duration.ofMillis(20))
                        .until(() -> neigh(c).contains(macB));
                System.out.printf("client neighbour entry for the VIP moved to B %d ms after the release on A%n",
                        (System.nanoTime() - t0) / 1_000_000);
                assertTrue(onB.isHeld());
                assertFalse(onA.isHeld());

                onB.release();
                assertFalse(onB.isHeld());
                onB.release(); // idempotent
            } finally {
                polling.set(false);
                poller.join();
            }
            System.out.println("poller: " + polls.get() + " polls, VIP on both hosts: " + both);
            assertEquals(List.of(), both);
        }
    }

    private static String neigh(String ns) {
        return Host.sh("ip -n " + ns + " neigh show " + VIP, Duration.ofSeconds(10)).stdout();
    }
}
