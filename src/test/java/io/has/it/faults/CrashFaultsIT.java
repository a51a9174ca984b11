package io.has.it.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.has.it.ClusterHarness;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Unplanned faults on one shared cluster (ttl 10, loop_wait 2, retry_timeout 3), two writers
 * throughout: loss of the leader node and its rejoin; the leader's postmaster killed with the
 * daemon alive, with the default {@code primary_start_timeout} (restarted in place) and with 0
 * (another member takes over), also while one of its backends is stopped (the lock is kept until it has
 * exited) and while a replica's WAL receiver is stopped (the winner waits for it, briefly); the leader daemon SIGSTOPped for longer than ttl (the documented
 * overlap without a watchdog); ZooKeeper unreachable for longer than retry_timeout, without and
 * with {@code failsafe_mode} (then the primary keeps running, as every member acknowledges it).
 *
 * <p>Each step ends converged and checked (overlap, history); writes acknowledged by the leader more
 * than a second before an asynchronous crash must survive it, and a restart in place keeps every
 * acknowledged write.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class CrashFaultsIT {

    private static final int TTL = 10;
    private static final int LOOP_WAIT = 2;
    private static final int RETRY_TIMEOUT = 3;
    private static final Duration FAILOVER = Duration.ofSeconds(3L * TTL + 60);
    private static final String WAITING_FOR_RECEIVERS = "waiting before racing for the leader lock: the WAL receiver of";

    @RegisterExtension
    static final FaultGuard GUARD = new FaultGuard();

    private static FaultCluster fc;

    @BeforeAll
    static void startCluster() throws Exception {
        fc = GUARD.register(FaultCluster.start(ClusterHarness.options().scope("crashes").members(3)
                .dcsTiming(TTL, LOOP_WAIT, RETRY_TIMEOUT), "CrashFaultsIT"));
    }

    @Test
    @Order(1)
    void leaderNodeLossThenRejoin() throws Exception {
        FaultSteps.nodeLoss(fc, FAILOVER);
    }

    @Test
    @Order(2)
    void postmasterKilledWithDefaultStartTimeoutRestartsInPlace() throws Exception {
        FaultSteps.postmasterKilledInPlace(fc, FAILOVER);
    }

    @Test
    @Order(3)
    void postmasterKilledWithStartTimeoutZeroFailsOver() throws Exception {
        String leader = fc.beginStep("postmaster killed, primary_start_timeout 0");
        withPrimaryStartTimeoutZero(leader, () -> {
            Instant replicated = fc.awaitReplicated(leader);
            Instant crash = Instant.now();
            fc.harness().kill9Postmaster(leader);
            failedOver(leader, crash, replicated, "with primary_start_timeout 0");
        });
    }

    /**
     * A backend of the killed postmaster that has not noticed its death yet (here: stopped) can still
     * commit and its WAL senders can still send; the lock stays with the old leader until it has exited,
     * so the members racing for the lock compare their final positions.
     */
    @Test
    @Order(4)
    void postmasterKilledWhileOneOfItsBackendsIsStoppedKeepsTheLockUntilItExits() throws Exception {
        String leader = fc.beginStep("postmaster killed while one of its backends is stopped, primary_start_timeout 0");
        withPrimaryStartTimeoutZero(leader, () -> {
            Connection c = fc.harness().connect(leader, 5, 5);
            try {
                long backend;
                try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery("SELECT pg_backend_pid()")) {
                    rs.next();
                    backend = rs.getLong(1);
                }
                Instant replicated = fc.awaitReplicated(leader);
                Map<String, Long> logSizes = logSizes();
                ClusterHarness.signal(backend, "STOP");
                Instant crash = Instant.now();
                try {
                    fc.harness().kill9Postmaster(leader);
                    String waiting = "[" + leader + "] waiting for 1 process of the crashed server to exit before"
                            + " releasing the leader key";
                    fc.poll(leader + " logging \"" + waiting + "\"", FAILOVER,
                            () -> linesSince(logSizes).anyMatch(l -> l.contains(waiting)) ? Boolean.TRUE : null,
                            () -> fc.summary() + "; logged: " + linesSince(logSizes).toList());
                    assertEquals(leader, fc.harness().leaderFromZk(),
                            "the leader key while a process of the crashed server still runs");
                } finally {
                    ClusterHarness.signal(backend, "CONT"); // it notices the postmaster's death and exits
                }
                failedOver(leader, crash, replicated, "with a stopped backend");
            } finally {
                closeQuietly(c);
            }
        });
    }

    /**
     * When a leader gives the lock up itself, the last WAL its server sent may still be on its way into a
     * standby: a member that would win the race waits, for a moment at most, while a candidate's WAL receiver
     * still streams. Here one replica's receiver is stopped, so it streams on and the wait runs out.
     */
    @Test
    @Order(5)
    void postmasterKilledWhileAReplicasWalReceiverIsStoppedTheWinnerWaitsForItFirst() throws Exception {
        String leader = fc.beginStep("postmaster killed while a replica's WAL receiver is stopped, primary_start_timeout 0");
        withPrimaryStartTimeoutZero(leader, () -> {
            Instant replicated = fc.awaitReplicated(leader);
            String stopped = fc.harness().names().stream().filter(n -> !n.equals(leader)).findFirst().orElseThrow();
            long receiver;
            try (Connection c = fc.harness().connect(stopped, 5, 5); Statement st = c.createStatement();
                    ResultSet rs = st.executeQuery("SELECT pid FROM pg_stat_wal_receiver WHERE status = 'streaming'")) {
                assertTrue(rs.next(), stopped + " has a streaming WAL receiver");
                receiver = rs.getLong(1);
            }
            Map<String, Long> logSizes = logSizes();
            ClusterHarness.signal(receiver, "STOP");
            Instant crash = Instant.now();
            try {
                fc.harness().kill9Postmaster(leader);
                // the member that would win (possibly the stopped one, then for its own receiver) waits; a
                // promotion of the stopped one could not finish before its receiver has exited
                fc.log(fc.poll("a member waiting for " + stopped + "'s WAL receiver", FAILOVER,
                        () -> linesSince(logSizes).filter(l -> l.contains(WAITING_FOR_RECEIVERS) && l.contains(stopped))
                                .findFirst().orElse(null),
                        () -> fc.summary() + "; logged: " + linesSince(logSizes).toList()));
            } finally {
                ClusterHarness.signal(receiver, "CONT");
            }
            failedOver(leader, crash, replicated, "with " + stopped + "'s WAL receiver stopped");
        });
    }

    @Test
    @Order(6)
    void sigstoppedLeaderDemotesOnResumeAndRejoins() throws Exception {
        String leader = fc.beginStep("leader daemon SIGSTOP > ttl, then SIGCONT");
        Instant replicated = fc.awaitReplicated(leader);
        Map<String, Long> logSizes = logSizes();
        Instant stop = Instant.now();
        fc.harness().sigstop(leader);
        String next;
        try {
            next = fc.awaitNewLeader(leader, stop, FAILOVER);
        } finally {
            fc.harness().sigcont(leader);
        }
        Instant cont = Instant.now();
        fc.promoted(next);
        // the frozen leader's member key went with its session, and its PostgreSQL kept the receivers streaming:
        // the race does not wait for them
        String raced = logSince(fc.harness().member(next).log(), logSizes.get(next));
        assertFalse(raced.contains(WAITING_FOR_RECEIVERS), raced);
        fc.log("SIGSTOP of " + leader + "'s daemon: " + next + " leads after "
                + FaultCluster.secs(Duration.between(stop, cont)) + " (observed); SIGCONT sent");
        // on resume the old leader must stop accepting writes and come back as a replica of next
        Instant demoted = fc.poll(leader + " no longer writable", FAILOVER,
                () -> writable(leader) ? null : Instant.now(), () -> "still writable");
        fc.log("SIGCONT of " + leader + ": no longer writable " + FaultCluster.secs(Duration.between(cont, demoted))
                + " after SIGCONT (observed)");
        assertEquals(next, fc.endStep(true), "leader after " + leader + " rejoined");
        fc.assertAcknowledgedPresent(next, fc.stepStart(), replicated, "replicated before the SIGSTOP");
    }

    @Test
    @Order(7)
    void zooKeeperOutageDemotesTheLeaderThenConverges() throws Exception {
        String leader = fc.beginStep("ZooKeeper unreachable > retry_timeout");
        int timelineBefore = timeline(leader);
        List<String> replicas = fc.harness().names().stream().filter(n -> !n.equals(leader)).toList();
        Instant replicated = fc.awaitReplicated(leader);
        Instant stop = Instant.now();
        fc.harness().stopZooKeeper();
        Instant demoted;
        try {
            demoted = fc.poll(leader + " stops accepting writes", Duration.ofSeconds(60),
                    () -> writable(leader) ? null : Instant.now(), () -> "still writable");
            fc.log("ZooKeeper stopped: " + leader + " stopped accepting writes after "
                    + FaultCluster.secs(Duration.between(stop, demoted)) + " (retry_timeout " + RETRY_TIMEOUT
                    + " s, loop_wait " + LOOP_WAIT + " s; observed, not asserted)");
            for (String r : replicas) {
                assertTrue(inRecovery(r), r + " must keep running as a replica while ZooKeeper is unreachable");
            }
            Set<Long> lastOnLeader = new TreeSet<>(Checker.acknowledgedBy(fc.histories(), stop, demoted));
            fc.log("ZooKeeper outage: replicas " + replicas + " still in recovery; " + lastOnLeader.size()
                    + " writes acknowledged by " + leader + " during the outage before it demoted");
        } finally {
            fc.harness().restartZooKeeper();
        }
        Instant back = Instant.now();
        String now = fc.awaitConverged(FaultCluster.CONVERGE);
        int timelineAfter = timeline(now);
        if (timelineAfter != timelineBefore) {
            assertEquals(timelineBefore + 1, timelineAfter, "at most one promotion after the outage");
            fc.promoted(now);
        } else {
            assertEquals(leader, now, "a leader without a promotion can only be the old one");
        }
        fc.log("ZooKeeper back after " + FaultCluster.secs(Duration.between(stop, back)) + " down: converged on " + now
                + (now.equals(leader) ? " (same leader" : " (new leader") + ", timeline " + timelineBefore + " -> "
                + timelineAfter + ") " + FaultCluster.secs(Duration.between(back, Instant.now())) + " later");
        fc.endStep(false);
        fc.assertAcknowledgedPresent(now, fc.stepStart(), replicated, "replicated before the outage");
    }

    @Test
    @Order(8)
    void failsafeModeKeepsThePrimaryThroughAZooKeeperOutage() throws Exception {
        String leader = fc.beginStep("failsafe_mode: ZooKeeper unreachable > retry_timeout, every member answers");
        int timelineBefore = timeline(leader);
        List<String> replicas = fc.harness().names().stream().filter(n -> !n.equals(leader)).toList();
        FaultCluster.Response r = fc.patch(leader, "/config", "{\"failsafe_mode\": true}");
        assertEquals(200, r.status(), "PATCH /config failsafe_mode: " + r);
        try {
            // the leader lists every member in the failsafe key before the outage can be survived
            fc.poll("the failsafe key listing all members", Duration.ofSeconds(60), () -> {
                JsonNode f = fc.zkJson("failsafe");
                return f != null && fc.harness().names().stream().allMatch(f::has) ? f : null;
            }, () -> String.valueOf(fc.zkJson("failsafe")));
            Instant replicated = fc.awaitReplicated(leader);
            Instant stop = Instant.now();
            // without failsafe mode the leader demotes within retry_timeout (the step before shows it)
            Instant beyond = stop.plusSeconds(RETRY_TIMEOUT + 2L * LOOP_WAIT);
            fc.harness().stopZooKeeper();
            try {
                Instant ack = fc.poll(leader + " acknowledging writes later than retry_timeout + 2 loops into the"
                        + " outage, with failsafe mode active", Duration.ofSeconds(60), () -> {
                            JsonNode p = fc.harness().patroni(leader);
                            boolean active = p != null && p.path("failsafe_mode_is_active").asBoolean(false);
                            return active ? lastAcknowledgement(leader, beyond) : null;
                        }, fc::summary);
                assertTrue(writable(leader), leader + " must still accept writes");
                for (String m : replicas) {
                    assertTrue(inRecovery(m), m + " must keep running as a replica while ZooKeeper is unreachable");
                }
                fc.log("failsafe mode: ZooKeeper down, " + leader + " still acknowledged writes "
                        + FaultCluster.secs(Duration.between(stop, ack)) + " into the outage (retry_timeout "
                        + RETRY_TIMEOUT + " s)");
            } finally {
                fc.harness().restartZooKeeper();
            }
            String now = fc.awaitConverged(FaultCluster.CONVERGE);
            assertEquals(leader, now, "failsafe mode keeps the leader through the outage");
            assertEquals(timelineBefore, timeline(now), "no promotion happened");
            fc.endStep(false);
            fc.assertAcknowledgedPresent(now, fc.stepStart(), replicated, "replicated before the outage");
        } finally {
            FaultCluster.Response back = fc.patch(fc.harness().names().get(0), "/config", "{\"failsafe_mode\": null}");
            assertEquals(200, back.status(), "PATCH /config failsafe_mode back to the default: " + back);
        }
    }

    /** When {@code member} acknowledged a write in a tick started after {@code after}, or null. */
    private static Instant lastAcknowledgement(String member, Instant after) {
        return fc.histories().stream().flatMap(List::stream)
                .filter(t -> t.started().isAfter(after) && t.committed().containsKey(member))
                .map(t -> t.committed().get(member)).max(Instant::compareTo).orElse(null);
    }

    // ------------------------------------------------------------------------------------------

    /** The member accepts connections and is not in recovery. */
    private static boolean writable(String member) {
        try (Connection c = fc.harness().connect(member, 1, 2); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            return rs.next() && !rs.getBoolean(1);
        } catch (Exception e) {
            return false;
        }
    }

    private static boolean inRecovery(String member) {
        try (Connection c = fc.harness().connect(member, 2, 5); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT pg_is_in_recovery()")) {
            return rs.next() && rs.getBoolean(1);
        } catch (Exception e) {
            return false;
        }
    }

    private static int timeline(String member) {
        JsonNode s = fc.poll("/patroni timeline of " + member, Duration.ofSeconds(60), () -> {
            JsonNode p = fc.harness().patroni(member);
            return p != null && p.has("timeline") ? p : null;
        }, () -> "no answer");
        assertNotEquals(0, s.get("timeline").asInt());
        return s.get("timeline").asInt();
    }

    /** A step's body. */
    private interface Body {
        void run() throws Exception;
    }

    /** Runs {@code body} with {@code primary_start_timeout: 0}, set back to the default after. */
    private static void withPrimaryStartTimeoutZero(String leader, Body body) throws Exception {
        FaultCluster.Response r = fc.patch(leader, "/config", "{\"primary_start_timeout\": 0}");
        assertEquals(200, r.status(), "PATCH /config: " + r);
        try {
            body.run();
        } finally {
            FaultCluster.Response back = fc.patch(fc.harness().names().get(0), "/config",
                    "{\"primary_start_timeout\": null}");
            assertEquals(200, back.status(), "PATCH /config primary_start_timeout back to the default: " + back);
        }
    }

    /**
     * After {@code leader}'s postmaster was killed at {@code crash}: another member leads and accepts writes,
     * it holds every write replicated before the crash, and the step ends converged on it.
     */
    private static void failedOver(String leader, Instant crash, Instant replicated, String how) throws Exception {
        String next = fc.awaitNewLeader(leader, crash, FAILOVER);
        fc.promoted(next);
        fc.log("postmaster of " + leader + " killed " + how + ": " + next + " accepts writes "
                + FaultCluster.secs(Duration.between(crash, Instant.now())) + " after the crash (observed), write gap "
                + fc.writeGap(crash, leader, next));
        fc.assertAcknowledgedPresent(next, fc.stepStart(), replicated, "replicated before the crash");
        assertEquals(next, fc.endStep(false), "leader after " + leader + " rejoined");
    }

    /** Each member's daemon log size now. */
    private static Map<String, Long> logSizes() throws IOException {
        Map<String, Long> sizes = new HashMap<>();
        for (String n : fc.harness().names()) {
            sizes.put(n, Files.size(fc.harness().member(n).log()));
        }
        return sizes;
    }

    /** What {@code log} gained after its first {@code from} bytes. */
    private static String logSince(Path log, long from) throws IOException {
        byte[] all = Files.readAllBytes(log);
        return new String(all, (int) Math.min(from, all.length), (int) Math.max(0, all.length - from),
                StandardCharsets.UTF_8);
    }

    /** The HA loop's lines every member logged after the offsets in {@code sizes}. */
    private static Stream<String> linesSince(Map<String, Long> sizes) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Map.Entry<String, Long> e : sizes.entrySet()) {
            logSince(fc.harness().member(e.getKey()).log(), e.getValue()).lines().filter(l -> l.contains("HaLoop"))
                    .forEach(lines::add);
        }
        return lines.stream();
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException e) {
            // the server it spoke to is gone
        }
    }
}
