package io.has.ha;

import static io.has.ha.Views.cleanlyStoppedPrimary;
import static io.has.ha.Views.ledBy;
import static io.has.ha.Views.pgAddress;
import static io.has.ha.Views.runningPrimary;
import static io.has.ha.Views.runningReplica;
import static io.has.ha.Views.stopped;
import static io.has.ha.Views.unlocked;
import static io.has.ha.Views.view;
import static io.has.ha.Views.withFailover;
import static io.has.ha.Views.withHistory;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.cluster.Cluster;
import io.has.cluster.HistoryEntry;
import io.has.ha.Decision.AcquireLock;
import io.has.ha.Decision.ClearFailover;
import io.has.ha.Decision.Demote;
import io.has.ha.Decision.DemoteMode;
import io.has.ha.Decision.Lead;
import io.has.ha.Decision.NoAction;
import io.has.ha.Decision.ReleaseLock;
import io.has.ha.Decision.Rewind;
import io.has.ha.Decision.StartPostgres;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.List;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class HaDeciderSwitchoverTest {

    static OffsetDateTime at(long offsetMs) {
        return OffsetDateTime.ofInstant(Instant.ofEpochMilli(Views.NOW + offsetMs), ZoneOffset.UTC);
    }

    @Nested
    class OnTheLeader {
        @Test
        void switchoverToAHealthyCandidateDemotesGracefully() {
            Decision d = view("pg1", withFailover(ledBy("pg1", 100, 1), "pg1", "pg2", null), runningPrimary(100, 1))
                    .peer("pg2", true, 100).peer("pg3", true, 100).decide();
            Demote dm = assertInstanceOf(Demote.class, d);
            assertEquals(DemoteMode.GRACEFUL, dm.mode());
            assertEquals("manual failover: demoting myself in favour of pg2", dm.reason());
            assertEquals(0, dm.killAfterSeconds(), "primary_stop_timeout applies in synchronous mode only");
        }

        @Test
        void inSynchronousModeTheStopIsBoundedByPrimaryStopTimeout() {
            Decision d = view("pg1", withFailover(ledBy("pg1", 100, 1), "pg1", "pg2", null), runningPrimary(100, 1))
                    .dcs("synchronous_mode", true).dcs("master_stop_timeout", 7).peer("pg2", true, 100).decide();
            assertEquals(7, assertInstanceOf(Demote.class, d).killAfterSeconds());
        }

        @Test
        void gracefulDemotionIsRememberedForTheRejoin() {
            ClusterView v = view("pg1", withFailover(ledBy("pg1", 100, 1), "pg1", "pg2", null), runningPrimary(100, 1))
                    .peer("pg2", true, 100).build();
            assertEquals(Views.NOW, HaDecider.decide(v, LoopMemory.INITIAL).memory().switchoverDemoteMs());
        }

        @Test
        void aCandidateWhoseReportIsALoopOldButWhoseSenderIsInStepIsNotLagging() {
            // the candidate's REST status is from its last cycle; our WAL sender for it is from this one
            long now = 50_000_000;
            Decision d = view("pg1", withFailover(ledBy("pg1", now, 1), "pg1", "pg2", null),
                    Views.runningPrimaryWithStandbys(now, "pg2", "async", "pg3", "async"))
                    .peer("pg2", true, 100).peer("pg3", true, 100).decide();
            assertEquals("manual failover: demoting myself in favour of pg2",
                    assertInstanceOf(Demote.class, d).reason());
        }

        @Test
        void aCandidateBehindInItsReportAndAtOurSenderIsLagging() {
            long now = 50_000_000;
            Decision d = view("pg1", withFailover(ledBy("pg1", now, 1), "pg1", "pg2", null),
                    Views.runningPrimaryWithStandbys(now, "pg3", "async"))
                    .peer("pg2", true, 100).peer("pg3", true, 100).decide();
            assertEquals("manual failover: no healthy candidate (pg2 is lagging); cleared the request",
                    assertInstanceOf(ClearFailover.class, d).reason());
        }

        @Test
        void switchoverToAnyMemberNeedsOneHealthyReplica() {
            Decision d = view("pg1", withFailover(ledBy("pg1", 100, 1), "pg1", null, null), runningPrimary(100, 1))
                    .unreachablePeer("pg2").peer("pg3", true, 100).decide();
            assertEquals(DemoteMode.GRACEFUL, assertInstanceOf(Demote.class, d).mode());
        }

        @Test
        void switchoverToAnUnreachableCandidateIsCleared() {
            Decision d = view("pg1", withFailover(ledBy("pg1", 100, 1), "pg1", "pg2", null), runningPrimary(100, 1))
                    .unreachablePeer("pg2").peer("pg3", true, 100).decide();
            ClearFailover cf = assertInstanceOf(ClearFailover.class, d);
            assertEquals(3, cf.version());
            assertTrue(cf.reason().contains("pg2 is unreachable"), cf.reason());
        }

        @Test
        void switchoverFromAnotherLeaderIsCleared() {
            Decision d = view("pg1", withFailover(ledBy("pg1", 100, 1), "pg3", "pg2", null), runningPrimary(100, 1))
                    .peer("pg2", true, 100).decide();
            assertTrue(assertInstanceOf(ClearFailover.class, d).reason().contains("leader name does not match"));
        }

        @Test
        void switchoverToAnUnknownMemberIsCleared() {
            Decision d = view("pg1", withFailover(ledBy("pg1", 100, 1), "pg1", "pg9", null), runningPrimary(100, 1))
                    .decide();
            assertTrue(assertInstanceOf(ClearFailover.class, d).reason().contains("pg9 does not exist"));
        }

        @Test
        void scheduledSwitchoverWaitsForItsTime() {
            Decision d = view("pg1", withFailover(ledBy("pg1", 100, 1), "pg1", "pg2", at(60_000)), runningPrimary(100, 1))
                    .decide();
            Lead l = assertInstanceOf(Lead.class, d);
            assertTrue(l.reason().startsWith("Awaiting failover at"), l.reason());
        }

        @Test
        void scheduledSwitchoverWhoseTimeHasComeIsExecuted() {
            Decision d = view("pg1", withFailover(ledBy("pg1", 100, 1), "pg1", "pg2", at(-1_000)), runningPrimary(100, 1))
                    .peer("pg2", true, 100).decide();
            assertEquals(DemoteMode.GRACEFUL, assertInstanceOf(Demote.class, d).mode());
        }

        @Test
        void staleScheduledSwitchoverIsCleared() {
            Decision d = view("pg1", withFailover(ledBy("pg1", 100, 1), "pg1", "pg2", at(-60_000)), runningPrimary(100, 1))
                    .peer("pg2", true, 100).decide();
            assertTrue(assertInstanceOf(ClearFailover.class, d).reason().startsWith("Found a stale failover value"));
        }
    }

    @Nested
    class WhileTheLockIsFree {
        @Test
        void theCandidateTakesTheLockEvenIfAPeerIsAhead() {
            Decision d = view("pg2", withFailover(unlocked(100, 1), "pg1", "pg2", null), runningReplica(90, 1, pgAddress(1)))
                    .peer("pg3", true, 100).unreachablePeer("pg1").decide();
            assertTrue(assertInstanceOf(AcquireLock.class, d).promote());
            assertTrue(((AcquireLock) d).clearFailover());
        }

        @Test
        void theCandidateDecidesWithoutPeerStatusSoTheLoopSkipsTheProbe() {
            Cluster c = withFailover(unlocked(100, 1), "pg1", "pg2", null);
            assertFalse(LeaderRace.consultsPeers(c, "pg2"), "the named candidate");
            assertTrue(LeaderRace.consultsPeers(c, "pg3"), "another member checks the candidate's health");
            assertTrue(LeaderRace.consultsPeers(withFailover(unlocked(100, 1), "pg1", null, null), "pg2"),
                    "a switchover to any member is a race");
            assertTrue(LeaderRace.consultsPeers(unlocked(100, 1), "pg2"), "a failover is a race");
            Decision without = view("pg2", c, runningReplica(90, 1, pgAddress(1))).decide();
            Decision with = view("pg2", c, runningReplica(90, 1, pgAddress(1))).peer("pg3", true, 100)
                    .unreachablePeer("pg1").decide();
            assertEquals(with, without, "the candidate's decision does not depend on its peers");
        }

        @Test
        void afterAScheduledSwitchoverOtherMembersStillLeaveTheLockToTheCandidate() {
            // regression: the scheduled_at of the key made the others race normally, and a tie went to pg3
            Decision d = view("pg3", withFailover(unlocked(100, 1), "pg1", "pg2", at(-1_000)),
                    runningReplica(100, 1, pgAddress(1))).peer("pg2", true, 100).unreachablePeer("pg1").decide();
            assertTrue(assertInstanceOf(NoAction.class, d).reason().contains("the failover candidate pg2 is healthy"));
            Decision candidate = view("pg2", withFailover(unlocked(100, 1), "pg1", "pg2", at(-1_000)),
                    runningReplica(100, 1, pgAddress(1))).peer("pg3", true, 100).unreachablePeer("pg1").decide();
            assertInstanceOf(AcquireLock.class, candidate);
        }

        @Test
        void otherMembersLeaveTheLockToAHealthyCandidate() {
            Decision d = view("pg3", withFailover(unlocked(100, 1), "pg1", "pg2", null), runningReplica(100, 1, pgAddress(1)))
                    .peer("pg2", true, 90).unreachablePeer("pg1").decide();
            NoAction n = assertInstanceOf(NoAction.class, d);
            assertTrue(n.reason().contains("the failover candidate pg2 is healthy"), n.reason());
        }

        @Test
        void whenTheCandidateIsGoneTheHealthiestOtherMemberTakesOver() {
            Decision d = view("pg3", withFailover(unlocked(100, 1), "pg1", "pg2", null), runningReplica(100, 1, pgAddress(1)))
                    .unreachablePeer("pg2").unreachablePeer("pg1").decide();
            assertInstanceOf(AcquireLock.class, d);
        }

        @Test
        void theOldLeaderWaitsForTheCandidateInsteadOfRestarting() {
            ClusterView v = view("pg1", withFailover(unlocked(100, 1), "pg1", "pg2", null), cleanlyStoppedPrimary(1, 90))
                    .build();
            LoopMemory justDemoted = LoopMemory.INITIAL.withSwitchoverDemote(Views.NOW - 500);
            assertEquals(new NoAction("waiting for the switchover candidate to take the leader lock"),
                    HaDecider.decide(v, justDemoted).decision());
            LoopMemory longAgo = LoopMemory.INITIAL.withSwitchoverDemote(Views.NOW - 31_000);
            assertInstanceOf(StartPostgres.class, HaDecider.decide(v, longAgo).decision());
        }
    }

    @Nested
    class Rejoin {
        @Test
        void cleanlyStoppedOldPrimaryFollowsWithoutRewindWhenTheForkIsAfterItsCheckpoint() {
            var c = withHistory(ledBy("pg2", 200, 2), List.of(new HistoryEntry(1, 150, "r", "t", "pg2")));
            StartPostgres s = assertInstanceOf(StartPostgres.class, view("pg1", c, cleanlyStoppedPrimary(1, 120)).decide());
            assertTrue(s.standby());
            assertEquals(pgAddress(2), s.upstream().address());
        }

        @Test
        void cleanlyStoppedOldPrimaryIsRewoundWhenTheForkIsBeforeItsCheckpoint() {
            var c = withHistory(ledBy("pg2", 200, 2), List.of(new HistoryEntry(1, 120, "r", "t", "pg2")));
            assertInstanceOf(Rewind.class, view("pg1", c, cleanlyStoppedPrimary(1, 120)).decide());
        }

        @Test
        void crashedOldPrimaryIsAlwaysRewound() {
            var c = withHistory(ledBy("pg2", 200, 2), List.of(new HistoryEntry(1, 150, "r", "t", "pg2")));
            assertInstanceOf(Rewind.class, view("pg1", c, stopped(true, 1)).decide());
        }
    }

    @Nested
    class Paused {
        @Test
        void primaryKeepsRunningWhenTheDcsIsUnreachable() {
            Decision d = view("pg1", ledBy("pg1", 100, 1), runningPrimary(100, 1)).dcs("pause", true).dcsDown().decide();
            assertEquals(new NoAction("DCS is not accessible"), d);
        }

        @Test
        void crashedPrimaryIsNotRestartedAndGivesUpTheLock() {
            Decision d = view("pg1", ledBy("pg1", 100, 1), stopped(true, 1)).dcs("pause", true).decide();
            assertInstanceOf(ReleaseLock.class, d);
        }

        @Test
        void replicasDoNotRaceForAFreeLock() {
            Decision d = view("pg2", unlocked(100, 1), runningReplica(100, 1, pgAddress(1))).dcs("pause", true)
                    .unreachablePeer("pg1").unreachablePeer("pg3").decide();
            assertInstanceOf(NoAction.class, d);
        }

        @Test
        void aManualFailoverToANamedCandidateStillWorks() {
            Decision d = view("pg2", withFailover(unlocked(100, 1), null, "pg2", null), runningReplica(100, 1, pgAddress(1)))
                    .dcs("pause", true).unreachablePeer("pg1").decide();
            assertInstanceOf(AcquireLock.class, d);
        }

        @Test
        void primaryWithoutTheLockIsNotDemoted() {
            Decision d = view("pg2", ledBy("pg1", 100, 2), runningPrimary(100, 1)).dcs("pause", true).decide();
            assertInstanceOf(NoAction.class, d);
        }

        @Test
        void leaderSaysPauseInItsSentence() {
            Lead l = assertInstanceOf(Lead.class,
                    view("pg1", ledBy("pg1", 100, 1), runningPrimary(100, 1)).dcs("pause", true).decide());
            assertEquals("PAUSE: no action. I am (pg1), the leader with the lock", l.reason());
        }
    }
}
