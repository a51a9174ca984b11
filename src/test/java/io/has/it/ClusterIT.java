package io.has.it;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.has.cluster.SlotNames;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;
import org.apache.curator.framework.api.CuratorWatcher;
import org.apache.zookeeper.Watcher;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The core scenario, in story order, on 3 real daemons with real PostgreSQL: bootstrap, crash of
 * the leader (daemon and postmaster, kill -9), failover, rejoin of the crashed node. A writer runs
 * throughout and checks that no two members ever accepted writes at once and that acknowledged
 * writes survived the failover.
 *
 * <p>Every wait has a generous deadline derived from the DCS timing (ttl 10, loop_wait 2,
 * retry_timeout 3); nothing asserts how fast a step was.
 */
@Timeout(value = 15, unit = TimeUnit.MINUTES)
class ClusterIT {

    private static final int TTL = 10;

    @RegisterExtension
    final HarnessGuard guard = new HarnessGuard();

    @Test
    void bootstrapFailoverAndRejoinWithoutLostOrDoubleWrites() throws Exception {
        ClusterHarness cluster = guard.register(ClusterHarness.create(ClusterHarness.options()
                .label("ClusterIT").scope("it").members(3).dcsTiming(TTL, 2, 3)));
        // the bootstrapping leader's member key says running by the time its leader key appears, so the
        // members woken by that key clone at once (read in the watch, before the leader's next cycle)
        AtomicReference<String> memberAtLock = new AtomicReference<>();
        cluster.curator().checkExists().usingWatcher((CuratorWatcher) e -> {
            if (e.getType() == Watcher.Event.EventType.NodeCreated) {
                String l = cluster.leaderFromZk();
                JsonNode m = l == null ? null : cluster.memberFromZk(l);
                memberAtLock.set(l + ": " + m);
            }
        }).forPath(cluster.zkPath("leader"));
        cluster.startAll();

        // 1. bootstrap: one leader (ZooKeeper key + /primary 200), two streaming replicas
        String leader = cluster.awaitLeaderAndReplicas(2, Duration.ofSeconds(180));
        assertNotNull(memberAtLock.get(), "the watch saw the leader key created");
        assertTrue(memberAtLock.get().startsWith(leader + ": {") && memberAtLock.get().contains("\"state\":\"running\""),
                "member key of the leader when its leader key appeared: " + memberAtLock.get());
        List<String> others = cluster.names().stream().filter(n -> !n.equals(leader)).toList();
        JsonNode status = cluster.patroni(leader);
        assertNotNull(status, "GET /patroni on the leader");
        assertEquals("running", status.path("state").asText(), "leader state in " + status);
        assertEquals("primary", status.path("role").asText(), "leader role in " + status);
        for (String r : others) {
            await("/replica 200 on " + r).atMost(Duration.ofSeconds(3L * TTL)).pollInterval(Duration.ofMillis(500))
                    .until(() -> cluster.isReplicaByRest(r));
            JsonNode rs = cluster.patroni(r);
            assertNotNull(rs, "GET /patroni on " + r);
            assertEquals("replica", rs.path("role").asText(), "role of " + r + " in " + rs);
        }

        // each standby keeps a slot for the other members (ready for its promotion: whoever follows it then
        // finds its slot at once)
        for (String r : others) {
            List<String> want = cluster.names().stream().filter(n -> !n.equals(r)).sorted().toList();
            await("slots of " + want + " on standby " + r).atMost(Duration.ofSeconds(3L * TTL))
                    .pollInterval(Duration.ofMillis(500)).until(() -> want.equals(slotsOf(cluster, r)));
        }

        // 2. writes flow to the leader and replicate
        Writer writer = guard.register(new Writer(cluster, leader).start());
        // wait for writes that must survive: acknowledged a while ago and replayed by both replicas
        await("writes acknowledged by " + leader + " and replayed by " + others).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(200)).until(() -> {
                    long id = writer.lastAcknowledged(leader, Instant.now().minusSeconds(2));
                    return id >= 20 && others.stream().allMatch(r -> hasId(cluster, r, id));
                });

        // 3. crash the leader: daemon and postmaster, kill -9
        Instant crash = Instant.now();
        cluster.kill9Daemon(leader);
        cluster.kill9Postmaster(leader);

        // 4. another member takes over and accepts writes
        Duration failoverDeadline = Duration.ofSeconds(3L * TTL + 30);
        String[] next = new String[1];
        await("a new leader that accepts writes").atMost(failoverDeadline).pollInterval(Duration.ofMillis(500))
                .until(() -> {
                    String l = cluster.leaderFromZk();
                    if (l == null || l.equals(leader) || !cluster.isPrimary(l) || !writer.acceptedSince(l, crash)) {
                        return false;
                    }
                    next[0] = l;
                    return true;
                });
        String newLeader = next[0];
        assertNotEquals(leader, newLeader);
        String survivor = others.stream().filter(n -> !n.equals(newLeader)).findFirst().orElseThrow();
        await(survivor + " streams from the new leader").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500)).until(() -> cluster.isStreamingReplica(survivor));

        // 5. the crashed node comes back as a streaming replica
        cluster.start(leader);
        await(leader + " rejoins as a streaming replica").atMost(Duration.ofSeconds(90))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> cluster.isStreamingReplica(leader) && cluster.isReplicaByRest(leader));
        assertEquals(newLeader, cluster.leaderFromZk(), "leader key after the rejoin");

        // 6. writes: never two writable members, nothing acknowledged before the crash was lost,
        //    and the rejoined node catches up with what the new leader acknowledged
        writer.stop();
        writer.assertNeverTwoWritable();
        writer.assertAcknowledgedBefore(crash, newLeader);
        long lastId = writer.ticks().stream().filter(t -> t.committed().containsKey(newLeader))
                .mapToLong(Writer.Tick::id).max().orElseThrow();
        await(leader + " has replayed id " + lastId).atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                .until(() -> hasId(cluster, leader, lastId));
        assertTrue(writer.acknowledgedBy(newLeader) > 0, writer.summary());

        // 7. SIGHUP reloads, as Patroni's does, instead of stopping the daemon (the JVM's answer without a handler)
        long reloads = linesWith(cluster.member(newLeader).log(), "reload requested");
        cluster.hangup(newLeader);
        await(newLeader + " reloads on SIGHUP").atMost(Duration.ofSeconds(30)).pollInterval(Duration.ofMillis(200))
                .until(() -> linesWith(cluster.member(newLeader).log(), "reload requested") > reloads);
        assertEquals(0, linesWith(cluster.member(newLeader).log(), "received shutdown signal"),
                newLeader + " did not shut down");
        assertTrue(cluster.isDaemonRunning(newLeader) && cluster.isPrimary(newLeader),
                newLeader + " still runs as primary after SIGHUP");
        assertEquals(newLeader, cluster.leaderFromZk(), "leader key after SIGHUP");

        // 8. bootstrap, cloning, failover, rejoin and the REST calls above loaded no class of the packages
        //    scripts/SplitJar.java moved out: no daemon opened has-extra.jar (its directory would stay on the heap)
        for (String n : cluster.names()) {
            long pid = cluster.daemonProcess(n).orElseThrow(() -> new AssertionError(n + " runs")).pid();
            try (Stream<Path> fds = Files.list(Path.of("/proc/" + pid + "/fd"))) {
                List<String> open = fds.map(ClusterIT::target).filter(t -> t.endsWith(".jar")).toList();
                assertEquals(List.of(cluster.jar().toString()), open, "jars open in " + n + "'s daemon: it loaded a"
                        + " class of a package src/main/cds/*.classlist does not name (record them again with"
                        + " scripts/cds-classlist, or find the class with -Xlog:class+load)");
            }
        }
        System.out.println("ClusterIT: " + leader + " -> " + newLeader + "; " + writer.summary());
    }

    /** Lines of {@code log} that contain {@code text}. */
    private static long linesWith(Path log, String text) throws IOException {
        try (Stream<String> lines = Files.lines(log, java.nio.charset.StandardCharsets.ISO_8859_1)) {
            return lines.filter(l -> l.contains(text)).count();
        }
    }

    /** Where a /proc/PID/fd link points, or "" when it went away. */
    private static String target(Path fd) {
        try {
            return Files.readSymbolicLink(fd).toString();
        } catch (IOException e) {
            return "";
        }
    }

    /** Physical slot names on {@code member}, as member names, sorted; empty when unreadable. */
    private static List<String> slotsOf(ClusterHarness cluster, String member) {
        List<String> names = new ArrayList<>();
        try (Connection c = cluster.connect(member, 2, 5); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT slot_name FROM pg_replication_slots WHERE slot_type = 'physical'"
                        + " ORDER BY slot_name")) {
            while (rs.next()) {
                names.add(rs.getString(1));
            }
        } catch (Exception e) {
            return List.of();
        }
        return names.stream().map(n -> cluster.names().stream()
                .filter(m -> SlotNames.forMember(m).equals(n)).findFirst().orElse(n)).sorted().toList();
    }

    private static boolean hasId(ClusterHarness cluster, String member, long id) {
        try (Connection c = cluster.connect(member, 2, 5); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT count(*) FROM has_check WHERE id = " + id)) {
            return rs.next() && rs.getLong(1) == 1;
        } catch (Exception e) {
            return false;
        }
    }
}
