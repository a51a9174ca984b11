package io.has.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
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
import org.apache.zookeeper.client.FourLetterWordMain;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code io.has.tools.EmbeddedZooKeeper} from the shaded jar, run as its own process. */
@Timeout(value = 3, unit = TimeUnit.MINUTES)
class EmbeddedZooKeeperIT {

    @TempDir
    Path dir;

    private final List<Process> started = new ArrayList<>();

    @AfterEach
    void stopEverything() throws InterruptedException {
        for (Process p : started) {
            p.destroyForcibly();
            p.waitFor(30, TimeUnit.SECONDS);
        }
    }

    private Process launch(int port, Path dataDir, Path out, String... extra) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-Xmx128m", "-XX:+UseSerialGC",
                "-cp", ClusterHarness.hasJar().toString(), "io.has.tools.EmbeddedZooKeeper",
                "--port", Integer.toString(port), "--data-dir", dataDir.toString()));
        cmd.addAll(List.of(extra));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(out.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        started.add(p);
        return p;
    }

    @Test
    void servesUntilSigtermWithLongSessionsAndFourLetterWords() throws Exception {
        int port = ClusterHarness.freePort();
        Path out = dir.resolve("zk.out");
        Process zk = launch(port, dir.resolve("data"), out, "--max-session-timeout", "60000");
        await("ready line").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(100))
                .until(() -> Files.readString(out, StandardCharsets.UTF_8)
                        .contains("ZooKeeper ready on 127.0.0.1:" + port));
        assertTrue(zk.isAlive());

        // every four-letter word is enabled
        String srvr = FourLetterWordMain.send4LetterWord("127.0.0.1", port, "srvr", false, 5000);
        assertTrue(srvr.contains("Mode: standalone"), srvr);
        String conf = FourLetterWordMain.send4LetterWord("127.0.0.1", port, "conf", false, 5000);
        assertTrue(conf.contains("maxSessionTimeout=60000"), conf);

        // a 60 s session is granted, data round-trips
        try (CuratorFramework c = CuratorFrameworkFactory.newClient("127.0.0.1:" + port, 60_000, 5_000,
                new RetryOneTime(200))) {
            c.start();
            assertTrue(c.blockUntilConnected(30, TimeUnit.SECONDS));
            assertEquals(60_000, c.getZookeeperClient().getZooKeeper().getSessionTimeout());
            c.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL)
                    .forPath("/service/x/leader", "pg1".getBytes(StandardCharsets.UTF_8));
            assertEquals("pg1", new String(c.getData().forPath("/service/x/leader"), StandardCharsets.UTF_8));
        }

        // a second server on the same port refuses to start instead of claiming readiness
        Path out2 = dir.resolve("zk2.out");
        Process second = launch(port, dir.resolve("data2"), out2);
        assertTrue(second.waitFor(60, TimeUnit.SECONDS), "second server should exit");
        assertEquals(1, second.exitValue(), Files.readString(out2));
        assertTrue(!Files.readString(out2).contains("ZooKeeper ready"), Files.readString(out2));

        // SIGTERM ends it
        zk.destroy();
        assertTrue(zk.waitFor(60, TimeUnit.SECONDS), "exit after SIGTERM");
        assertTrue(Files.readString(out).contains("ZooKeeper stopped"), Files.readString(out));
    }

    @Test
    void usageErrorsExitWithStatus2() throws Exception {
        Commands.Result r = Commands.run(Duration.ofSeconds(60),
                Path.of(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                ClusterHarness.hasJar().toString(), "io.has.tools.EmbeddedZooKeeper", "--port", "2181");
        assertEquals(2, r.exit(), r.output());
        assertTrue(r.output().contains("--data-dir is required"), r.output());
    }
}
