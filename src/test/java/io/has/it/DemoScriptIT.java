package io.has.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code scripts/demo --check}, the README's first command, on private ports and a private
 * directory: it must bring up 1 primary + 2 replicas, print the cluster table, stop everything it
 * started and exit 0.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class DemoScriptIT {

    private Path work;

    @BeforeEach
    void createWorkDir() throws IOException {
        work = Files.createTempDirectory(Path.of("/tmp"), "has-demo-it-");
        // the demo's daemons run as postgres when we are root: they must be able to traverse it
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void cleanUp() throws IOException {
        // only processes living in our private directory: anything the demo failed to stop
        Processes.killAll(Processes.under(work));
        if (!Boolean.getBoolean("has.it.keep")) {
            try (Stream<Path> walk = Files.walk(work)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void demoCheckStartsThreeMembersPrintsTheTableAndStops() throws Exception {
        Path basedir = Path.of(ClusterHarness.requiredProperty("has.basedir"));
        Path demoDir = work.resolve("demo");
        Set<Integer> taken = new HashSet<>();
        int zkPort = freeRun(1, taken);
        int pgPort = freeRun(3, taken);
        int apiPort = freeRun(3, taken);
        Map<String, String> env = Map.of(
                "HAS_JAR", ClusterHarness.hasJar().toString(),
                "HAS_DEMO_DIR", demoDir.toString(),
                "HAS_DEMO_ZK_PORT", Integer.toString(zkPort),
                "HAS_DEMO_PG_PORT", Integer.toString(pgPort),
                "HAS_DEMO_API_PORT", Integer.toString(apiPort),
                "HAS_DEMO_SCOPE", "demo-it");

        Commands.Result r = Commands.run(Duration.ofMinutes(6), env,
                List.of(basedir.resolve("scripts/demo").toString(), "--check"));
        System.out.println("scripts/demo --check output:\n" + r.output());
        if (r.exit() != 0) {
            for (String m : List.of("pg1", "pg2", "pg3", "zk")) {
                System.out.println("----- " + m + ".log\n" + ClusterHarness.tail(demoDir.resolve(m + ".log"), 60));
            }
        }
        assertEquals(0, r.exit(), "exit status of scripts/demo --check");

        Map<String, List<String>> rows = PatronictlInteropIT.parseTable(r.stdout());
        long leaders = rows.values().stream().filter(row -> row.size() > 2 && row.get(2).equals("Leader")).count();
        long replicas = rows.values().stream().filter(row -> row.size() > 2 && row.get(2).equals("Replica")).count();
        assertEquals(1, leaders, "Leader rows in the printed table:\n" + r.stdout());
        assertEquals(2, replicas, "Replica rows in the printed table:\n" + r.stdout());
        assertTrue(rows.keySet().containsAll(List.of("pg1", "pg2", "pg3")), "members in\n" + r.stdout());

        List<ProcessHandle> left = Processes.under(demoDir);
        assertTrue(left.isEmpty(), "scripts/demo left processes behind:\n" + Processes.describe(left));
    }

    /**
     * The first of {@code n} consecutive free ports on 127.0.0.1 (random base below the ephemeral
     * range, retried), none of them in {@code taken}; adds them to {@code taken}.
     */
    static int freeRun(int n, Set<Integer> taken) throws IOException {
        for (int attempt = 0; attempt < 200; attempt++) {
            int base = ThreadLocalRandom.current().nextInt(20_000, 30_000);
            boolean free = true;
            for (int p = base; p < base + n && free; p++) {
                if (taken.contains(p)) {
                    free = false;
                    break;
                }
                try (ServerSocket s = new ServerSocket(p, 1, InetAddress.getLoopbackAddress())) {
                    s.setReuseAddress(true);
                } catch (IOException e) {
                    free = false;
                }
            }
            if (free) {
                for (int p = base; p < base + n; p++) {
                    taken.add(p);
                }
                return base;
            }
        }
        throw new IOException("no run of " + n + " free ports");
    }
}
