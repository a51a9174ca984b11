package io.has.it.faults;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import io.has.it.ClusterHarness;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * Planned leadership changes on one shared cluster (ttl 10, loop_wait 2, retry_timeout 3), two
 * writers throughout: five switchovers through {@code POST /switchover} (named candidate and
 * "any"), a scheduled one executed at its time, a cancelled one that never happens; then
 * {@code synchronous_mode: true}: a switchover and the loss of the leader, after which no
 * acknowledged write may be missing.
 *
 * <p>Every step ends converged (1 leader, 2 streaming replicas) and checked: no overlapping
 * writable members, the {@code history} key matches the promotions, and — a planned switchover and
 * synchronous mode lose nothing — every write acknowledged so far is on the new leader.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
@Timeout(value = 8, unit = TimeUnit.MINUTES)
class SwitchoverFaultsIT {

    private static final int LOOP_WAIT = 2;

    @RegisterExtension
    static final FaultGuard GUARD = new FaultGuard();

    private static FaultCluster fc;

    @BeforeAll
    static void startCluster() throws Exception {
        fc = GUARD.register(FaultCluster.start(ClusterHarness.options().scope("switchovers").members(3)
                .dcsTiming(10, LOOP_WAIT, 3), "SwitchoverFaultsIT"));
    }

    @Test
    @Order(1)
    void fiveSwitchoversToNamedAndAnyCandidate() throws Exception {
        for (int i = 1; i <= 5; i++) {
            boolean named = i % 2 == 1;
            String leader = fc.harness().leaderFromZk();
            String candidate = named ? pickOther(leader, i) : null;
            FaultSteps.switchover(fc, "switchover " + i + "/5 (" + (named ? "named candidate" : "any") + ")",
                    candidate, Instant.EPOCH);
        }
    }

    @Test
    @Order(2)
    void scheduledSwitchoverHappensAtItsTime() throws Exception {
        String leader = fc.beginStep("scheduled switchover");
        String candidate = pickOther(leader, 0);
        // a zone other than the machine's, to prove the offset is honoured
        OffsetDateTime at = OffsetDateTime.now(ZoneOffset.ofHours(5)).plusSeconds(8).truncatedTo(ChronoUnit.MILLIS);
        FaultCluster.Response r = fc.post(leader, "/switchover", "{\"leader\":\"" + leader + "\",\"candidate\":\""
                + candidate + "\",\"scheduled_at\":\"" + at + "\"}");
        assertEquals(202, r.status(), "POST /switchover scheduled_at=" + at + ": " + r);
        assertTrue(r.body().contains("Switchover scheduled"), r.body());
        JsonNode key = fc.zkJson("failover");
        assertTrue(key != null && key.has("scheduled_at"), "failover key with scheduled_at: " + key);
        Instant due = at.toInstant();
        String now = fc.poll("leader key moving to " + candidate, Duration.ofSeconds(90),
                () -> candidate.equals(fc.harness().leaderFromZk()) ? candidate : null,
                () -> "leader key " + fc.harness().leaderFromZk());
        fc.promoted(now);
        fc.awaitWritesOn(candidate, due);
        Instant firstWrite = firstAcceptedAfter(candidate, fc.stepStart());
        assertTrue(!firstWrite.isBefore(due), candidate + " accepted a write at " + firstWrite
                + ", before the scheduled time " + due);
        fc.log("scheduled switchover due " + at + ": first write on " + candidate + " "
                + FaultCluster.secs(Duration.between(due, firstWrite)) + " after the due time; write gap "
                + fc.writeGap(due, leader, candidate));
        fc.endStep(false);
        fc.assertAcknowledgedPresent(candidate, Instant.EPOCH, Instant.now(), "planned switchover");
    }

    @Test
    @Order(3)
    void cancelledSwitchoverNeverHappens() throws Exception {
        String leader = fc.beginStep("cancelled scheduled switchover");
        String candidate = pickOther(leader, 1);
        OffsetDateTime at = OffsetDateTime.now().plusSeconds(8).truncatedTo(ChronoUnit.MILLIS);
        FaultCluster.Response r = fc.post(leader, "/switchover", "{\"leader\":\"" + leader + "\",\"candidate\":\""
                + candidate + "\",\"scheduled_at\":\"" + at + "\"}");
        assertEquals(202, r.status(), "POST /switchover scheduled_at=" + at + ": " + r);
        FaultCluster.Response d = fc.delete(leader, "/switchover");
        assertEquals(200, d.status(), "DELETE /switchover: " + d);
        JsonNode key = fc.zkJson("failover");
        assertTrue(key == null || (!key.hasNonNull("leader") && !key.hasNonNull("member")),
                "failover key after DELETE /switchover: " + key);
        // the leader stays put past the due time and a few more loops
        Duration watch = Duration.between(Instant.now(), at.toInstant().plusSeconds(3L * LOOP_WAIT));
        await("leader " + leader + " kept past the cancelled switchover's time").during(watch)
                .atMost(watch.plusSeconds(60)).pollInterval(Duration.ofMillis(250))
                .until(() -> leader.equals(fc.harness().leaderFromZk()) && fc.harness().isPrimary(leader));
        fc.log("cancelled switchover due " + at + ": " + leader + " still leads " + 3 * LOOP_WAIT
                + " s after the due time");
        assertEquals(leader, fc.endStep(false));
    }

    @Test
    @Order(4)
    void synchronousModeSwitchoverGoesToTheSyncStandby() throws Exception {
        String leader = fc.beginStep("synchronous_mode on");
        FaultCluster.Response r = fc.patch(leader, "/config", "{\"synchronous_mode\": true}");
        assertEquals(200, r.status(), "PATCH /config synchronous_mode: " + r);
        String sync = awaitSyncStandby(leader);
        fc.log("synchronous_mode: " + leader + " replicates synchronously to " + sync);
        fc.endStep(false);

        sync = awaitSyncStandby(fc.harness().leaderFromZk());
        String now = FaultSteps.switchover(fc, "synchronous-mode switchover (any)", null, Instant.EPOCH);
        assertEquals(sync, now, "a switchover to any member in synchronous mode goes to the sync standby");
    }

    @Test
    @Order(5)
    void synchronousModeNodeLossLosesNoAcknowledgedWrite() throws Exception {
        String leader = fc.beginStep("synchronous-mode node loss");
        String sync = awaitSyncStandby(leader);
        Instant crash = Instant.now();
        fc.harness().kill9Daemon(leader);
        fc.harness().kill9Postmaster(leader);
        String next = fc.awaitNewLeader(leader, crash, Duration.ofSeconds(90));
        assertEquals(sync, next, "only the sync standby may take over");
        fc.promoted(next);
        fc.log("synchronous-mode node loss of " + leader + ": " + next + " accepts writes, write gap "
                + fc.writeGap(crash, leader, next));
        // nothing acknowledged, ever, may be missing on the new leader
        fc.assertAcknowledgedPresent(next, Instant.EPOCH, Instant.now(), "synchronous mode, after the crash");
        fc.harness().start(leader);
        String finalLeader = fc.endStep(false);
        awaitSyncStandby(finalLeader);
        fc.assertAcknowledgedPresent(finalLeader, Instant.EPOCH, Instant.now(), "synchronous mode, final leader");
    }

    // ------------------------------------------------------------------------------------------

    private static String pickOther(String leader, int i) {
        List<String> others = fc.harness().names().stream().filter(n -> !n.equals(leader)).toList();
        return others.get(i % others.size());
    }

    private static Instant firstAcceptedAfter(String member, Instant since) {
        return Checker.acks(fc.histories(), since, Instant.now()).stream().filter(a -> a.member().equals(member))
                .map(Checker.Ack::acked).findFirst().orElseThrow();
    }

    /** The sync key names a standby of {@code leader} and the leader reports it as sync. */
    private static String awaitSyncStandby(String leader) {
        return fc.poll("a synchronous standby of " + leader, Duration.ofSeconds(60), () -> {
            JsonNode sync = fc.zkJson("sync");
            if (sync == null || !leader.equals(sync.path("leader").asText()) || !sync.hasNonNull("sync_standby")) {
                return null;
            }
            String standby = sync.get("sync_standby").asText();
            return Objects.equals(fc.syncStateOf(leader, standby), "sync") ? standby : null;
        }, () -> "sync key " + fc.zkJson("sync"));
    }
}
