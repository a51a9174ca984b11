package io.has.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.zookeeper.CreateMode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * Self-test of {@link ClusterHarness} without the daemon: ZooKeeper, generated configurations,
 * and process control on a stand-in "daemon" (a shell that leaves a fake postmaster running in
 * its data directory, the way a crashed daemon leaves PostgreSQL behind).
 */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class ClusterHarnessIT {

    /** sh: start a background "postmaster" (cwd = data dir, pid in postmaster.pid), then become the daemon. */
    private static final String FAKE_DAEMON = "mkdir -p data; (cd data && exec sleep 3601) & "
            + "echo $! > data/postmaster.pid; exec sleep 3600";

    @Test
    void controlsProcessesAndLeavesNothingBehind() throws Exception {
        ClusterHarness h = ClusterHarness.create(ClusterHarness.options().label("ClusterHarnessIT").members(2)
                .scope("self").dcsTiming(20, 5, 5).tag("pg2", "nofailover", true)
                .stopDeadline(Duration.ofSeconds(5))
                .commandOverride(m -> List.of("/bin/sh", "-c", FAKE_DAEMON)));
        Path base = h.baseDir();
        List<ProcessHandle> seen = new ArrayList<>();
        try {
            // configurations: Patroni's keys with this harness's ports and timing
            JsonNode cfg = new ObjectMapper(new YAMLFactory()).readTree(h.member("pg2").config().toFile());
            assertEquals("self", cfg.path("scope").asText());
            assertEquals("pg2", cfg.path("name").asText());
            assertEquals("127.0.0.1:" + h.member("pg2").apiPort(), cfg.path("restapi").path("listen").asText());
            assertEquals("127.0.0.1:" + h.member("pg2").pgPort(), cfg.path("postgresql").path("listen").asText());
            assertEquals(h.zkConnectString(), cfg.path("zookeeper").path("hosts").get(0).asText());
            assertEquals(20, cfg.path("bootstrap").path("dcs").path("ttl").asInt());
            assertEquals(5, cfg.path("bootstrap").path("dcs").path("loop_wait").asInt());
            assertTrue(cfg.path("tags").path("nofailover").asBoolean());
            assertEquals(h.member("pg2").dataDir().toString(), cfg.path("postgresql").path("data_dir").asText());

            // ZooKeeper: leader key reading, sessions up to 60 s
            assertNull(h.leaderFromZk());
            h.curator().create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL)
                    .forPath(h.zkPath("leader"), "pg1".getBytes(StandardCharsets.UTF_8));
            assertEquals("pg1", h.leaderFromZk());
            try (CuratorFramework c = CuratorFrameworkFactory.newClient(h.zkConnectString(), 60_000, 5_000,
                    new RetryOneTime(200))) {
                c.start();
                assertTrue(c.blockUntilConnected(30, TimeUnit.SECONDS));
                assertEquals(60_000, c.getZookeeperClient().getZooKeeper().getSessionTimeout());
            }

            // processes
            h.startAll();
            for (String n : h.names()) {
                await("fake postmaster of " + n).atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                        .until(() -> h.postmaster(n).isPresent());
                ProcessHandle d = h.daemonProcess(n).orElseThrow();
                seen.add(d);
                seen.add(h.postmaster(n).orElseThrow());
                if (h.runsAsRoot()) {
                    assertEquals(ClusterHarness.RUN_AS, d.info().user().orElse("?"), "daemon user");
                }
            }
            assertEquals(-1, h.restStatus("pg1", "/primary"), "no REST server in this test, but "
                    + h.restUrl("pg1", "/patroni") + " answers " + h.patroni("pg1"));

            long pid = h.daemonProcess("pg1").orElseThrow().pid();
            h.sigstop("pg1");
            await("stopped").atMost(Duration.ofSeconds(10)).until(() -> state(pid) == 'T');
            h.sigcont("pg1");
            await("continued").atMost(Duration.ofSeconds(10)).until(() -> state(pid) != 'T');

            ProcessHandle pm1 = h.postmaster("pg1").orElseThrow();
            h.kill9Daemon("pg1");
            assertFalse(h.isDaemonRunning("pg1"));
            assertTrue(pm1.isAlive(), "kill9Daemon leaves the postmaster running");
            assertTrue(h.kill9Postmaster("pg1"));
            assertTrue(Processes.gone(pm1));
            assertTrue(h.postmaster("pg1").isEmpty(), "a dead pid in postmaster.pid is not a postmaster");

            h.start("pg1");
            await("restarted").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(50))
                    .until(() -> h.postmaster("pg1").map(p -> p.pid() != pm1.pid()).orElse(false));
            seen.add(h.daemonProcess("pg1").orElseThrow());
            seen.add(h.postmaster("pg1").orElseThrow());

            h.stop("pg2"); // SIGTERM to the daemon itself, not to runuser
            assertFalse(h.isDaemonRunning("pg2"));
            assertTrue(h.postmaster("pg2").isPresent(), "the fake postmaster outlives its daemon");
        } finally {
            h.close();
        }
        for (ProcessHandle p : seen) {
            assertTrue(Processes.gone(p), "left behind: " + p.pid() + " " + p.info().commandLine().orElse(""));
        }
        assertTrue(Processes.under(base).isEmpty(), Processes.describe(Processes.under(base)));
        assertFalse(Files.exists(base), base + " deleted");
    }

    private static char state(long pid) throws Exception {
        String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
        return stat.substring(stat.lastIndexOf(')') + 2).charAt(0);
    }
}
