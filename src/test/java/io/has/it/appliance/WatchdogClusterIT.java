package io.has.it.appliance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.has.it.ClusterHarness;
import io.has.it.HarnessGuard;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The watchdog end to end: real daemons (as postgres, through {@link ClusterHarness}) whose
 * {@code watchdog.device} is the FUSE fake of {@code src/test/c/fakewd.c} (real ioctls, magic close, and
 * an "EXPIRED" record when a real machine would have rebooted). {@code LinuxWatchdogDevice} accepts a
 * regular file, so no private /dev is needed.
 *
 * <p>ttl 10, loop_wait 2, safety_margin 5: the leader arms a 5 s timeout; its ZooKeeper session lasts
 * ttl = 10 s. All times are printed; only their order is asserted where the order is the requirement
 * (the device fires before the session of a frozen leader expires).
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class WatchdogClusterIT {

    private static final int TTL = 10;
    private static final Duration DEADLINE = Duration.ofSeconds(180);
    private static final Pattern KEEPALIVES = Pattern.compile("keepalives=(\\d+)");

    @RegisterExtension
    final HarnessGuard guard = new HarnessGuard();

    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();

    /** Fake devices in a directory postgres can reach; unmounted (and the directory removed) last. */
    private static final class Devices implements AutoCloseable {
        final Path dir;
        final Map<String, FakeWatchdog> byMember = new LinkedHashMap<>();

        Devices() throws Exception {
            dir = Files.createTempDirectory(Path.of("/tmp"), "has-wd-");
            Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwxr-xr-x"));
        }

        FakeWatchdog add(String member) throws Exception {
            Path d = Files.createDirectory(dir.resolve(member));
            Files.setPosixFilePermissions(d, PosixFilePermissions.fromString("rwxr-xr-x"));
            int uid = (Integer) Files.getAttribute(Path.of("/var/lib/postgresql"), "unix:uid");
            int gid = (Integer) Files.getAttribute(Path.of("/var/lib/postgresql"), "unix:gid");
            FakeWatchdog wd = FakeWatchdog.start(d, uid, gid);
            byMember.put(member, wd);
            return wd;
        }

        @Override
        public void close() {
            byMember.values().forEach(FakeWatchdog::close);
            NsCluster.delete(dir);
        }
    }

    private static void appendWatchdog(ClusterHarness cluster, String member, String yaml) throws Exception {
        Path cfg = cluster.member(member).config();
        Files.writeString(cfg, Files.readString(cfg) + yaml);
    }

    @Test
    void leaderArmsAndFeedsFiresWhenFrozenAndDisarmsOnDemotionAndStop() throws Exception {
        Host.requireRoot();
        Devices devices = guard.register(new Devices());
        FakeWatchdog wd1 = devices.add("pg1");
        FakeWatchdog wd2 = devices.add("pg2");
        ClusterHarness cluster = guard.register(ClusterHarness.create(ClusterHarness.options()
                .label("WatchdogClusterIT").scope("wdit").members(2).dcsTiming(TTL, 2, 3)));
        for (String m : List.of("pg1", "pg2")) {
            appendWatchdog(cluster, m, """
                    watchdog:
                      mode: required
                      device: %s
                      safety_margin: 5
                    """.formatted(devices.byMember.get(m).device()));
        }
        Map<String, FakeWatchdog> wd = Map.of("pg1", wd1, "pg2", wd2);
        cluster.startAll();

        // 1. the leader arms its device with ttl − safety_margin and feeds it; the replica never opens its own
        String leader = cluster.awaitLeaderAndReplicas(1, DEADLINE);
        String other = leader.equals("pg1") ? "pg2" : "pg1";
        FakeWatchdog lw = wd.get(leader);
        await("the leader arms and feeds its watchdog").atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> lw.status().contains("armed=1 timeout=5") && keepalives(lw) >= 3);
        assertTrue(lw.log().contains("IOCTL SETTIMEOUT 5"), lw.log());
        assertFalse(wd.get(other).log().contains("OPEN"), "the replica never opens its watchdog");
        System.out.println(leader + " device: " + lw.status().strip());

        // 2. a planned switchover: the demoted leader disarms (magic close), the new leader arms its device
        long s0 = System.currentTimeMillis();
        HttpResponse<String> r = http.send(HttpRequest.newBuilder(URI.create(cluster.restUrl(leader, "/switchover")))
                .timeout(Duration.ofSeconds(60)).header("Content-Type", "application/json")
                .POST(HttpRequest.BodyPublishers.ofString("{\"leader\": \"" + leader + "\", \"candidate\": \""
                        + other + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
        System.out.println("POST /switchover: " + r.statusCode() + " " + r.body());
        assertEquals(200, r.statusCode(), r.body());
        await("the demoted " + leader + " disarms its watchdog").atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> lw.firstAfter("CLOSE after magic 'V': disarmed", s0) > 0);
        assertTrue(lw.status().contains("open=0 armed=0"), lw.status());
        FakeWatchdog nw = wd.get(other);
        await("the new leader " + other + " arms its watchdog").atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> nw.status().contains("armed=1 timeout=5") && keepalives(nw) >= 2);
        System.out.printf("switchover: %s disarmed %d ms and %s armed %d ms after the request%n", leader,
                lw.firstAfter("CLOSE after magic", s0) - s0, other, nw.firstAfter("OPEN", s0) - s0);
        await(leader + " streams from " + other).atMost(DEADLINE).pollInterval(Duration.ofMillis(500))
                .until(() -> cluster.isStreamingReplica(leader));

        // 3. SIGSTOP of the leader daemon: its device fires before its ZooKeeper session (ttl) expires
        String frozen = other;
        String survivor = leader;
        long stop0 = System.currentTimeMillis();
        cluster.sigstop(frozen);
        long keyGone = -1;
        long end = System.nanoTime() + DEADLINE.toNanos();
        while (keyGone < 0) {
            String k = cluster.leaderFromZk();
            if (!frozen.equals(k)) {
                keyGone = System.currentTimeMillis();
            } else if (System.nanoTime() > end) {
                throw new AssertionError("the leader key of the frozen " + frozen + " never expired");
            } else {
                NsCluster.pause(100);
            }
        }
        await("the frozen leader's watchdog fires").atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> nw.firstAfter("EXPIRED", stop0) > 0);
        long fired = nw.firstAfter("EXPIRED", stop0);
        long lastFeed = lastKeepaliveBefore(nw, fired);
        System.out.printf("SIGSTOP of %s at +0 ms (last keepalive at %+d ms): watchdog fired at %+d ms, leader key "
                + "gone (session expired) at %+d ms%n", frozen, lastFeed - stop0, fired - stop0, keyGone - stop0);
        assertTrue(fired < keyGone, "the watchdog must fire before the ZooKeeper session expires: fired at "
                + fired + ", key gone at " + keyGone);
        await(survivor + " takes over").atMost(DEADLINE).pollInterval(Duration.ofMillis(500))
                .until(() -> survivor.equals(cluster.leaderFromZk()) && cluster.isPrimary(survivor));

        // 4. the frozen daemon wakes up without the lock: it demotes and disarms
        long cont0 = System.currentTimeMillis();
        cluster.sigcont(frozen);
        await(frozen + " disarms after waking up without the lock").atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(200))
                .until(() -> nw.firstAfter("CLOSE after magic 'V': disarmed", cont0) > 0);
        System.out.printf("%s disarmed %d ms after SIGCONT%n", frozen,
                nw.firstAfter("CLOSE after magic", cont0) - cont0);

        // 5. a clean stop of the leader disarms its device
        await(survivor + " arms its watchdog again").atMost(DEADLINE).pollInterval(Duration.ofMillis(200))
                .until(() -> lw.status().contains("armed=1"));
        long stopClean = System.currentTimeMillis();
        cluster.stop(survivor);
        assertTrue(lw.firstAfter("CLOSE after magic 'V': disarmed", stopClean) > 0, lw.log());
        assertTrue(lw.status().contains("open=0 armed=0"), lw.status());
        System.out.println("the device of " + survivor + " (never frozen) fired since the switchover: "
                + (lw.firstAfter("EXPIRED", s0) > 0));
        System.out.println("device logs:\n--- " + survivor + "\n" + lw.log() .lines().filter(l -> !l.contains("KEEPALIVE"))
                .reduce("", (a, b) -> a + b + "\n") + "--- " + frozen + "\n" + nw.log().lines()
                .filter(l -> !l.contains("KEEPALIVE")).reduce("", (a, b) -> a + b + "\n"));
    }

    @Test
    void requiredModeWithoutDeviceNeverTakesTheLock() throws Exception {
        Host.requireRoot();
        ClusterHarness cluster = guard.register(ClusterHarness.create(ClusterHarness.options()
                .label("WatchdogRequiredIT").scope("wdreq").members(2).dcsTiming(TTL, 2, 3)));
        appendWatchdog(cluster, "pg1", """
                watchdog:
                  mode: required
                  device: /nonexistent/has-it/watchdog
                """);

        // alone, pg1 does not even bootstrap
        cluster.start("pg1");
        await("pg1 reports watchdog_failed").atMost(DEADLINE).pollInterval(Duration.ofMillis(500))
                .until(() -> watchdogFailed(cluster.patroni("pg1")));
        await("pg1 refuses to bootstrap").atMost(DEADLINE).pollInterval(Duration.ofMillis(500))
                .until(() -> Host.read(logOf(cluster, "pg1")).contains("watchdog is required but not usable"));
        assertNull(cluster.leaderFromZk(), "no leader key while only pg1 runs");

        // pg2 (no watchdog) bootstraps and leads; pg1 replicates but stays unfit to lead
        cluster.start("pg2");
        String leader = cluster.awaitLeaderAndReplicas(1, DEADLINE);
        assertEquals("pg2", leader);
        JsonNode st = cluster.patroni("pg1");
        System.out.println("pg1 /patroni: " + st);
        assertTrue(watchdogFailed(st), "pg1 /patroni shows watchdog_failed: true");
        assertFalse(watchdogFailed(cluster.patroni("pg2")));

        // the leader goes away cleanly (releases the lock): pg1, the only one left, still never takes it
        cluster.stop("pg2");
        long stopped = System.currentTimeMillis();
        // a window of 3 ttl (15 HA cycles of pg1) in which the lock is free and pg1 is the only candidate
        await("pg1 has run 3 ttl worth of HA cycles without the lock").atMost(DEADLINE)
                .pollInterval(Duration.ofMillis(500)).until(() -> {
                    assertNotEquals("pg1", cluster.leaderFromZk(), "pg1 took the lock without a usable watchdog");
                    assertNotEquals(200, cluster.restStatus("pg1", "/primary"));
                    return System.currentTimeMillis() - stopped > 3_000L * TTL && cluster.patroni("pg1") != null;
                });
        assertNull(cluster.leaderFromZk());
        System.out.println("pg1 after the leader left: " + cluster.patroni("pg1"));
        System.out.println(Host.read(logOf(cluster, "pg1")).lines().filter(l -> l.contains("not usable")
                || l.contains("watchdog")).skip(0).limit(8).reduce("", (a, b) -> a + b + "\n"));
    }

    private static Path logOf(ClusterHarness cluster, String member) {
        return cluster.baseDir().resolve(member + ".log");
    }

    private static boolean watchdogFailed(JsonNode doc) {
        return doc != null && doc.path("watchdog_failed").asBoolean(false);
    }

    private static long keepalives(FakeWatchdog wd) {
        Matcher m = KEEPALIVES.matcher(wd.status());
        return m.find() ? Long.parseLong(m.group(1)) : -1;
    }

    private static long lastKeepaliveBefore(FakeWatchdog wd, long t) {
        long last = -1;
        for (String line : wd.log().split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0 && line.contains("KEEPALIVE")) {
                long at = Long.parseLong(line.substring(0, sp));
                if (at <= t) {
                    last = at;
                }
            }
        }
        return last;
    }
}
