package io.has.it.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Steps shared by the fault scenarios and the randomised run: each starts from a converged cluster,
 * injects one fault, ends converged and checked ({@link FaultCluster#endStep}), and returns the
 * leader.
 */
final class FaultSteps {

    private static final Pattern SWITCHED = Pattern.compile("Successfully switched over to \"([^\"]+)\"");

    private FaultSteps() {
    }

    /**
     * {@code POST /switchover} through the leader's API (candidate null: any); expects 200
     * {@code Successfully switched over to "x"}; every write acknowledged since {@code keepFrom}
     * (null: since the step began) must be on the new leader (a planned switchover loses nothing).
     */
    static String switchover(FaultCluster fc, String name, String candidate, Instant keepFrom) throws Exception {
        String leader = fc.beginStep(name);
        Instant t = Instant.now();
        String body = candidate == null ? "{\"leader\":\"" + leader + "\"}"
                : "{\"leader\":\"" + leader + "\",\"candidate\":\"" + candidate + "\"}";
        FaultCluster.Response r = fc.post(leader, "/switchover", body);
        assertEquals(200, r.status(), "POST /switchover " + body + ": " + r);
        Matcher m = SWITCHED.matcher(r.body());
        assertTrue(m.find(), "answer to POST /switchover " + body + ": " + r.body());
        String now = m.group(1);
        if (candidate != null) {
            assertEquals(candidate, now, r.body());
        } else {
            assertNotEquals(leader, now, r.body());
        }
        Instant answered = Instant.now();
        fc.promoted(now);
        fc.awaitWritesOn(now, t);
        fc.log("switchover " + leader + " -> " + now + ": REST answered after "
                + FaultCluster.secs(Duration.between(t, answered)) + ", write gap " + fc.writeGap(t, leader, now));
        assertEquals(now, fc.endStep(false));
        fc.assertAcknowledgedPresent(now, keepFrom == null ? fc.stepStart() : keepFrom, Instant.now(),
                "planned switchover");
        return now;
    }

    /** kill -9 of the leader's daemon and postmaster; another member takes over; the node rejoins. */
    static String nodeLoss(FaultCluster fc, Duration failover) throws Exception {
        String leader = fc.beginStep("node loss of the leader (kill -9 daemon + postmaster), rejoin");
        Instant replicated = fc.awaitReplicated(leader);
        Instant crash = Instant.now();
        fc.harness().kill9Daemon(leader);
        fc.harness().kill9Postmaster(leader);
        String next = fc.awaitNewLeader(leader, crash, failover);
        fc.promoted(next);
        fc.log("node loss of " + leader + ": " + next + " accepts writes "
                + FaultCluster.secs(Duration.between(crash, Instant.now())) + " after the crash (observed), write gap "
                + fc.writeGap(crash, leader, next));
        fc.assertAcknowledgedPresent(next, fc.stepStart(), replicated, "replicated before the crash");
        fc.harness().start(leader);
        assertEquals(next, fc.endStep(false), "leader after " + leader + " rejoined");
        return next;
    }

    /**
     * kill -9 of the leader's postmaster, daemon alive, default primary_start_timeout: the same
     * member restarts PostgreSQL and keeps the leader key; no acknowledged write is lost.
     */
    static String postmasterKilledInPlace(FaultCluster fc, Duration deadline) throws Exception {
        String leader = fc.beginStep("postmaster killed, primary_start_timeout default");
        long oldPid = fc.harness().postmaster(leader).orElseThrow().pid();
        Instant crash = Instant.now();
        fc.harness().kill9Postmaster(leader);
        List<String> otherLeaders = new ArrayList<>();
        Instant restarted = fc.poll("a new postmaster of " + leader, deadline, () -> {
            String key = fc.harness().leaderFromZk();
            if (key != null && !key.equals(leader)) {
                otherLeaders.add(key);
            }
            Optional<ProcessHandle> pm = fc.harness().postmaster(leader);
            return pm.isPresent() && pm.get().pid() != oldPid ? Instant.now() : null;
        }, () -> "postmaster " + fc.harness().postmaster(leader));
        fc.awaitWritesOn(leader, restarted);
        assertEquals(List.of(), otherLeaders, "the leader key must stay with " + leader);
        assertEquals(leader, fc.harness().leaderFromZk());
        fc.log("postmaster of " + leader + " killed: restarted in place, writes back on " + leader + " after "
                + FaultCluster.secs(Duration.between(crash, Instant.now())) + " (observed), longest write gap "
                + fc.writeGap(crash, leader, leader));
        assertEquals(leader, fc.endStep(false));
        // crash recovery on the same server keeps every acknowledged commit
        fc.assertAcknowledgedPresent(leader, fc.stepStart(), Instant.now(), "restart in place");
        return leader;
    }
}
