package io.has.ha;

import static io.has.ha.Views.bootstrapInProgress;
import static io.has.ha.Views.emptyCluster;
import static io.has.ha.Views.emptyDataDir;
import static io.has.ha.Views.ledBy;
import static io.has.ha.Views.pgAddress;
import static io.has.ha.Views.runningPrimary;
import static io.has.ha.Views.runningReplica;
import static io.has.ha.Views.starting;
import static io.has.ha.Views.stopped;
import static io.has.ha.Views.unlocked;
import static io.has.ha.Views.view;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.cluster.Cluster;
import io.has.cluster.HistoryEntry;
import io.has.cluster.Member;
import io.has.cluster.MemberData;
import io.has.cluster.PgState;
import io.has.db.LocalState;
import io.has.ha.Decision.AcquireLock;
import io.has.ha.Decision.AwaitReceivers;
import io.has.ha.Decision.AwaitServerExit;
import io.has.ha.Decision.BootstrapCluster;
import io.has.ha.Decision.CloneReplica;
import io.has.ha.Decision.Demote;
import io.has.ha.Decision.DemoteMode;
import io.has.ha.Decision.Follow;
import io.has.ha.Decision.Lead;
import io.has.ha.Decision.NoAction;
import io.has.ha.Decision.Promote;
import io.has.ha.Decision.Reinitialize;
import io.has.ha.Decision.ReleaseLock;
import io.has.ha.Decision.Rewind;
import io.has.ha.Decision.StartPostgres;
import io.has.ha.Decision.WaitLongAction;
import io.has.ha.Decision.WriteInitialize;
import io.has.ha.HaDecider.Step;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

class HaDeciderTest {

    @Nested
    class Bootstrap {
        @Test
        void emptyDataDirAndNoInitializeKeyRacesToBootstrap() {
            assertInstanceOf(BootstrapCluster.class, view("pg1", emptyCluster(), emptyDataDir()).decide());
        }

        @Test
        void emptyDataDirWhileAnotherMemberBootstrapsWaits() {
            Decision d = view("pg2", bootstrapInProgress(), emptyDataDir()).decide();
            assertEquals(new NoAction("waiting for leader to bootstrap"), d);
        }

        @Test
        void nofailoverMemberNeverBootstraps() {
            Decision d = view("pg1", emptyCluster(), emptyDataDir()).tag("nofailover", true).decide();
            assertInstanceOf(NoAction.class, d);
        }

        @Test
        void aCloneThatJustFailedIsNotRetriedBeforeLoopWait() {
            LongActionStatus failed = new LongActionStatus(null, "clone", false, "connection refused", Views.NOW - 2_000);
            Decision d = view("pg2", ledBy("pg1", 100, 1), emptyDataDir()).longAction(failed).decide();
            NoAction n = assertInstanceOf(NoAction.class, d);
            assertTrue(n.reason().startsWith("clone failed 2 s ago"), n.reason());
            LongActionStatus longAgo = new LongActionStatus(null, "clone", false, "connection refused", Views.NOW - 11_000);
            assertInstanceOf(CloneReplica.class, view("pg2", ledBy("pg1", 100, 1), emptyDataDir()).longAction(longAgo)
                    .decide());
        }

        @Test
        void emptyDataDirWithRunningLeaderClonesFromIt() {
            Decision d = view("pg2", ledBy("pg1", 100, 1), emptyDataDir()).decide();
            CloneReplica c = assertInstanceOf(CloneReplica.class, d);
            assertEquals("pg1", c.source().memberName());
            assertEquals(pgAddress(1), c.source().address());
        }

        @Test
        void lockHolderWithEmptyDataDirReleasesTheLock() {
            assertInstanceOf(ReleaseLock.class, view("pg1", ledBy("pg1", 100, 1), emptyDataDir()).decide());
        }

        @Test
        void dataButNoInitializeKeyInUnlockedClusterWritesTheSystemId() {
            Decision d = view("pg1", Views.withInitialize(unlocked(100, 1), null), runningReplica(100, 1, null))
                    .decide();
            assertEquals(new WriteInitialize(Views.SYSID), d);
        }

        @Test
        void systemIdMismatchTouchesNothing() {
            Decision d = view("pg2", Views.withInitialize(ledBy("pg1", 100, 1), "1234567890123"),
                    runningReplica(100, 1, pgAddress(1))).decide();
            NoAction n = assertInstanceOf(NoAction.class, d);
            assertTrue(n.reason().startsWith("system ID mismatch"), n.reason());
        }
    }

    @Nested
    class Leader {
        @Test
        void lockHolderRunningAsPrimaryKeepsLeadingAndKeepsSlotsForTheOthers() {
            Lead l = assertInstanceOf(Lead.class, view("pg1", ledBy("pg1", 100, 1), runningPrimary(100, 1)).decide());
            assertEquals("no action. I am (pg1), the leader with the lock", l.describe());
            assertEquals(Set.of("pg2", "pg3"), l.slots());
            assertNull(l.writeInitialize());
            assertNull(l.writeConfig());
        }

        @Test
        void withoutUseSlotsTheLeaderLeavesSlotsAlone() {
            Lead l = assertInstanceOf(Lead.class,
                    view("pg1", ledBy("pg1", 100, 1), runningPrimary(100, 1)).pg("use_slots", false).decide());
            assertNull(l.slots());
        }

        @Test
        void lockHolderRunningAsReplicaPromotes() {
            Decision d = view("pg1", ledBy("pg1", 100, 1), runningReplica(4242, 1, null)).decide();
            assertEquals("promoted self to leader because I had the session lock",
                    assertInstanceOf(Promote.class, d).describe());
        }

        @Test
        void newLeaderRecordsItsForkFromTheServersHistoryFileStampedWithNowAndItsName() {
            // history key knows TL1 (promoted by pg2 earlier); the file of our TL3 lists forks 1 and 2
            List<HistoryEntry> known = List.of(new HistoryEntry(1, 100, "no recovery target specified", "t1", "pg2"));
            List<HistoryEntry> file = List.of(new HistoryEntry(1, 100, "no recovery target specified", null, null),
                    new HistoryEntry(2, 250, "no recovery target specified", null, null));
            Lead l = assertInstanceOf(Lead.class, view("pg1", Views.withHistory(ledBy("pg1", 300, 3), known),
                    runningPrimary(300, 3)).localHistory(file).decide());
            assertEquals(List.of(new HistoryEntry(1, 100, "no recovery target specified", "t1", "pg2"),
                    new HistoryEntry(2, 250, "no recovery target specified", "2026-11-21T19:00:00.000000+00:00", "pg1")),
                    l.history());
        }

        @Test
        void historyIsTrimmedToMaxTimelinesHistory() {
            List<HistoryEntry> file = List.of(new HistoryEntry(1, 1, "r", null, null), new HistoryEntry(2, 2, "r", null, null));
            Lead l = assertInstanceOf(Lead.class, view("pg1", ledBy("pg1", 100, 3), runningPrimary(100, 3))
                    .localHistory(file).dcs("max_timelines_history", 1).decide());
            assertEquals(List.of(2), l.history().stream().map(HistoryEntry::timeline).toList());
        }

        @Test
        void historyCoversATimelineOnlyWithAnEntryForItsFork() {
            assertTrue(Timelines.historyCovers(null, 1));
            assertTrue(Timelines.historyCovers(List.of(new HistoryEntry(1, 1, "r", "t", "a")), 2));
            assertTrue(!Timelines.historyCovers(List.of(new HistoryEntry(1, 1, "r", "t", "a")), 3));
        }

        @Test
        void crashedPrimaryHoldingTheLockIsRestartedAsPrimary() {
            Decision d = view("pg1", ledBy("pg1", 100, 1), stopped(true, 1)).decide();
            assertEquals(new StartPostgres(false, null, "starting primary after failure"), d);
        }

        @Test
        void crashedPrimaryWithPrimaryStartTimeoutZeroReleasesTheLockAtOnce() {
            Decision d = view("pg1", ledBy("pg1", 100, 1), stopped(true, 1)).dcs("primary_start_timeout", 0).decide();
            assertInstanceOf(ReleaseLock.class, d);
        }

        @Test
        void crashedPrimaryThatStaysDownLongerThanPrimaryStartTimeoutReleasesTheLock() {
            ClusterView v = view("pg1", ledBy("pg1", 100, 1), stopped(true, 1)).dcs("primary_start_timeout", 60).build();
            LoopMemory crashedLongAgo = LoopMemory.INITIAL.withCrashedSince(Views.NOW - 61_000);
            assertInstanceOf(ReleaseLock.class, HaDecider.decide(v, crashedLongAgo).decision());
            LoopMemory crashedRecently = LoopMemory.INITIAL.withCrashedSince(Views.NOW - 10_000);
            assertInstanceOf(StartPostgres.class, HaDecider.decide(v, crashedRecently).decision());
        }

        @Test
        void crashedPrimaryWaitsForItsServersLeftoverProcessesBeforeReleasingTheLock() {
            ClusterView v = view("pg1", ledBy("pg1", 100, 1), Views.crashedWithLeftovers(1, 2))
                    .dcs("primary_start_timeout", 0).build();
            HaDecider.Step first = HaDecider.decide(v, LoopMemory.INITIAL);
            AwaitServerExit wait = assertInstanceOf(AwaitServerExit.class, first.decision());
            assertEquals(2, wait.processes());
            assertEquals("waiting for 2 processes of the crashed server to exit before releasing the leader key"
                    + " (they can still write and send WAL)", wait.describe());
            assertTrue(wait.pollSoon());
            assertEquals(Views.NOW, first.memory().crashedSinceMs(), "the wait counts from the crash");
            ClusterView gone = view("pg1", ledBy("pg1", 100, 1), Views.crashedWithLeftovers(1, 0))
                    .dcs("primary_start_timeout", 0).build();
            assertInstanceOf(ReleaseLock.class, HaDecider.decide(gone, first.memory()).decision());
        }

        @Test
        void crashedPrimaryWaitsForLeftoverProcessesBeforeRestartingInPlace() {
            Decision d = view("pg1", ledBy("pg1", 100, 1), Views.crashedWithLeftovers(1, 1)).decide();
            assertEquals("waiting for 1 process of the crashed server to exit before restarting it"
                    + " (they can still write and send WAL)", d.describe());
        }

        @Test
        void leftoverProcessesThatOutliveTtlNoLongerHoldTheLock() {
            ClusterView v = view("pg1", ledBy("pg1", 100, 1), Views.crashedWithLeftovers(1, 1))
                    .dcs("primary_start_timeout", 0).build();
            LoopMemory withinTtl = LoopMemory.INITIAL.withCrashedSince(Views.NOW - v.config().ttl() * 1000L + 1);
            assertInstanceOf(AwaitServerExit.class, HaDecider.decide(v, withinTtl).decision());
            LoopMemory pastTtl = LoopMemory.INITIAL.withCrashedSince(Views.NOW - v.config().ttl() * 1000L);
            assertInstanceOf(ReleaseLock.class, HaDecider.decide(v, pastTtl).decision());
        }

        @Test
        void crashTimeIsRememberedAcrossCycles() {
            ClusterView v = view("pg1", ledBy("pg1", 100, 1), stopped(true, 1)).build();
            LoopMemory m = HaDecider.decide(v, LoopMemory.INITIAL).memory();
            assertEquals(Views.NOW, m.crashedSinceMs());
            ClusterView healthy = view("pg1", ledBy("pg1", 100, 1), runningPrimary(100, 1)).build();
            assertEquals(0, HaDecider.decide(healthy, m).memory().crashedSinceMs());
        }

        @Test
        void longActionWhileHoldingTheLockKeepsTheLock() {
            Decision d = view("pg1", ledBy("pg1", 100, 1), stopped(true, 1))
                    .longAction(new LongActionStatus("starting", null, true, null)).decide();
            assertEquals(new WaitLongAction("starting", true), d);
            assertEquals("updated leader lock during starting", d.describe());
        }

        @Test
        void leaderWritesMissingConfigAndHistory() {
            var c = ledBy("pg1", 100, 1);
            c = new io.has.cluster.Cluster(c.initialize(), null, c.leader(), c.members(), c.failover(), c.sync(), null,
                    c.status());
            Lead l = assertInstanceOf(Lead.class, view("pg1", c, runningPrimary(100, 1)).decide());
            assertEquals(java.util.Map.of("ttl", 30), l.writeConfig());
            assertEquals(List.of(), l.history());
        }
    }

    @Nested
    class LeaderRace {
        @Test
        void healthiestReplicaTakesTheLockAndPromotes() {
            Decision d = view("pg2", unlocked(100, 1), runningReplica(100, 1, pgAddress(1)))
                    .peer("pg3", true, 90).unreachablePeer("pg1").decide();
            AcquireLock a = assertInstanceOf(AcquireLock.class, d);
            assertTrue(a.promote());
            assertEquals("promoted self to leader by acquiring session lock (not candidates, unreachable: pg1)",
                    a.describe());
        }

        @Test
        void replicaBehindAPeerDoesNotRace() {
            Decision d = view("pg2", unlocked(100, 1), runningReplica(90, 1, pgAddress(1)))
                    .peer("pg3", true, 100).unreachablePeer("pg1").decide();
            NoAction n = assertInstanceOf(NoAction.class, d);
            assertTrue(n.reason().contains("pg3 has a more advanced wal position"), n.reason());
        }

        @Test
        void replicaDoesNotRaceWhileAPrimaryIsStillAlive() {
            Decision d = view("pg2", unlocked(100, 1), runningReplica(100, 1, pgAddress(1)))
                    .peer("pg1", false, 100).peer("pg3", true, 100).decide();
            NoAction n = assertInstanceOf(NoAction.class, d);
            assertTrue(n.reason().contains("primary (pg1) is still alive"), n.reason());
        }

        @Test
        void unreachablePeersAreNotCandidates() {
            Decision d = view("pg2", unlocked(100, 1), runningReplica(100, 1, pgAddress(1)))
                    .unreachablePeer("pg1").unreachablePeer("pg3").decide();
            assertInstanceOf(AcquireLock.class, d);
        }

        @Test
        void replicaLaggingMoreThanMaximumLagOnFailoverDoesNotRace() {
            Decision d = view("pg2", unlocked(10_000_000, 1), runningReplica(100, 1, pgAddress(1)))
                    .unreachablePeer("pg1").unreachablePeer("pg3").decide();
            NoAction n = assertInstanceOf(NoAction.class, d);
            assertTrue(n.reason().contains("maximum_lag_on_failover"), n.reason());
        }

        @Test
        void withARequiredWatchdogThatCannotBeArmedAMemberNeverRacesNorBootstraps() {
            Decision race = view("pg2", unlocked(100, 1), runningReplica(100, 1, pgAddress(1))).watchdogUnusable()
                    .unreachablePeer("pg1").unreachablePeer("pg3").decide();
            assertTrue(assertInstanceOf(NoAction.class, race).reason().contains("Watchdog device is not usable"));
            assertInstanceOf(NoAction.class, view("pg1", emptyCluster(), emptyDataDir()).watchdogUnusable().decide());
        }

        @Test
        void nofailoverReplicaNeverRaces() {
            Decision d = view("pg2", unlocked(100, 1), runningReplica(100, 1, pgAddress(1))).tag("nofailover", true)
                    .unreachablePeer("pg1").unreachablePeer("pg3").decide();
            assertInstanceOf(NoAction.class, d);
        }

        @Test
        void failoverPriorityBreaksTiesOnEqualWalPosition() {
            var c = unlocked(100, 1);
            var members = new java.util.ArrayList<>(c.members());
            members.set(2, Views.member("pg3", 3, io.has.cluster.Role.REPLICA, 100, 1,
                    java.util.Map.of("failover_priority", 5)));
            c = new io.has.cluster.Cluster(c.initialize(), c.config(), null, members, c.failover(), c.sync(),
                    c.history(), c.status());
            Decision d = view("pg2", c, runningReplica(100, 1, pgAddress(1))).peer("pg3", true, 100)
                    .unreachablePeer("pg1").decide();
            assertInstanceOf(NoAction.class, d);
        }

        /** Memory of a member that saw pg1 lead until just now. */
        private static final LoopMemory PG1_LED = LoopMemory.INITIAL.withLastLeader("pg1");

        @Test
        void aWinnerWaitsBrieflyWhileAPeersWalReceiverStillStreamsAfterTheLeaderGaveUpTheLock() {
            ClusterView v = view("pg2", unlocked(100, 1), Views.standbyNotStreaming(100, 1, pgAddress(1), true))
                    .streamingPeer("pg3", 90).unreachablePeer("pg1").build();
            HaDecider.Step first = HaDecider.decide(v, PG1_LED);
            AwaitReceivers wait = assertInstanceOf(AwaitReceivers.class, first.decision());
            assertEquals("waiting before racing for the leader lock: the WAL receiver of pg3 still streams (WAL sent by"
                    + " the old primary may still be arriving) (not candidates, unreachable: pg1)", wait.describe());
            assertEquals(Decision.BRIEF_POLL_MS, wait.pollSoonMs());
            assertEquals(Views.NOW, first.memory().unlockedSinceMs(), "the lock was first seen free now");
            // pg3's receiver has written what it got and stopped: the positions compared are final
            ClusterView settled = view("pg2", unlocked(100, 1), Views.standbyNotStreaming(100, 1, pgAddress(1), true))
                    .peer("pg3", true, 90).unreachablePeer("pg1").build();
            assertInstanceOf(AcquireLock.class, HaDecider.decide(settled, first.memory()).decision());
        }

        @Test
        void aWinnerAlsoWaitsForItsOwnStreamingReceiver() {
            Decision d = HaDecider.decide(view("pg2", unlocked(100, 1), runningReplica(100, 1, pgAddress(1)))
                    .peer("pg3", true, 90).unreachablePeer("pg1").build(), PG1_LED).decision();
            assertTrue(assertInstanceOf(AwaitReceivers.class, d).reason().contains("the WAL receiver of pg2 still streams"),
                    d.describe());
        }

        @Test
        void receiversThatKeepStreamingDelayTheRaceByTheSettleTimeAtMost() {
            ClusterView v = view("pg2", unlocked(100, 1), runningReplica(100, 1, pgAddress(1)))
                    .streamingPeer("pg3", 90).unreachablePeer("pg1").build();
            long settle = io.has.ha.LeaderRace.RECEIVERS_SETTLE_MS;
            LoopMemory justBefore = PG1_LED.withUnlockedSince(Views.NOW - settle + 1);
            assertInstanceOf(AwaitReceivers.class, HaDecider.decide(v, justBefore).decision());
            LoopMemory over = PG1_LED.withUnlockedSince(Views.NOW - settle);
            HaDecider.Step step = HaDecider.decide(v, over);
            assertInstanceOf(AcquireLock.class, step.decision());
            assertEquals(Views.NOW - settle, step.memory().unlockedSinceMs(), "counted from the first sight");
        }

        @Test
        void noWaitWhenTheLeadersSessionExpired() {
            // its member key went with its session: its PostgreSQL may still run and keep the receivers streaming
            Cluster c = unlocked(100, 1);
            c = new Cluster(c.initialize(), c.config(), null, c.members().stream().filter(mb -> !mb.name().equals("pg1"))
                    .toList(), c.failover(), c.sync(), c.history(), c.status());
            Decision d = HaDecider.decide(view("pg2", c, runningReplica(100, 1, pgAddress(1))).streamingPeer("pg3", 90)
                    .build(), PG1_LED).decision();
            assertInstanceOf(AcquireLock.class, d);
            Decision unknownLeader = HaDecider.decide(view("pg2", unlocked(100, 1), runningReplica(100, 1, pgAddress(1)))
                    .streamingPeer("pg3", 90).unreachablePeer("pg1").build(), LoopMemory.INITIAL).decision();
            assertInstanceOf(AcquireLock.class, unknownLeader, "no leader seen since this member started");
        }

        @Test
        void aMemberBehindAStreamingPeerDefersWithoutWaiting() {
            Decision d = HaDecider.decide(view("pg2", unlocked(100, 1), runningReplica(100, 1, pgAddress(1)))
                    .streamingPeer("pg3", 110).unreachablePeer("pg1").build(), PG1_LED).decision();
            NoAction n = assertInstanceOf(NoAction.class, d);
            assertTrue(n.reason().contains("pg3 has a more advanced wal position"), n.reason());
        }

        @Test
        void theMomentTheLockWasFirstSeenFreeIsForgottenOnceThereIsALeader() {
            LoopMemory seen = PG1_LED.withUnlockedSince(Views.NOW - 5_000);
            ClusterView stillFree = view("pg2", unlocked(100, 1), runningReplica(100, 1, pgAddress(1)))
                    .unreachablePeer("pg1").unreachablePeer("pg3").build();
            assertEquals(Views.NOW - 5_000, HaDecider.decide(stillFree, seen).memory().unlockedSinceMs());
            ClusterView led = view("pg2", ledBy("pg3", 100, 2), runningReplica(100, 1, pgAddress(1))).build();
            assertEquals(0, HaDecider.decide(led, seen).memory().unlockedSinceMs());
        }

        @Test
        void runningPrimaryWithoutLockTakesItBack() {
            AcquireLock a = assertInstanceOf(AcquireLock.class,
                    view("pg1", unlocked(100, 1), runningPrimary(100, 1)).peer("pg2", true, 100).decide());
            assertTrue(!a.promote());
        }
    }

    @Nested
    class Follower {
        @Test
        void primaryThatSeesAnotherLeaderDemotesImmediately() {
            Decision d = view("pg2", ledBy("pg1", 100, 2), runningPrimary(100, 1)).decide();
            assertEquals(DemoteMode.IMMEDIATE_NOLOCK, assertInstanceOf(Demote.class, d).mode());
        }

        @Test
        void replicaStreamingFromTheWrongPlaceFollowsTheNewLeader() {
            Decision d = view("pg2", ledBy("pg3", 100, 2), runningReplica(100, 1, pgAddress(1))).decide();
            Follow f = assertInstanceOf(Follow.class, d);
            assertEquals(pgAddress(3), f.upstream().address());
        }

        @Test
        void replicaFollowingTheLeaderDoesNothing() {
            Decision d = view("pg2", ledBy("pg1", 100, 1), runningReplica(100, 1, pgAddress(1))).decide();
            assertEquals(new NoAction("no action. I am (pg2), a secondary, and following a leader (pg1)"), d);
        }

        @Test
        void stoppedReplicaStartsFollowingTheLeader() {
            StartPostgres s = assertInstanceOf(StartPostgres.class,
                    view("pg2", ledBy("pg1", 100, 1), stopped(false, 1)).decide());
            assertTrue(s.standby());
            assertEquals(pgAddress(1), s.upstream().address());
        }

        @Test
        void startingServerIsLeftAloneAndLookedAtSoon() {
            Decision d = view("pg2", ledBy("pg1", 100, 1), starting()).decide();
            assertEquals(new NoAction("postgres is starting", true), d);
            assertTrue(d.pollSoon(), "the end of a start is noticed within POLL_SOON_MS, not a loop_wait");
        }

        @Test
        void aServerStartingForOverAMinuteIsLookedAtEveryLoopWait() {
            Views.Builder v = view("pg2", ledBy("pg1", 100, 1), starting());
            Step first = HaDecider.decide(v.build(), LoopMemory.INITIAL);
            assertEquals(Views.NOW, first.memory().startingSinceMs());
            LoopMemory longAgo = LoopMemory.INITIAL.withStartingSince(Views.NOW - HaDecider.STARTING_POLL_SOON_MS);
            Step later = HaDecider.decide(v.build(), longAgo);
            assertEquals(new NoAction("postgres is starting", false), later.decision(),
                    "a standby that never becomes consistent is not probed twice a second forever");
            assertEquals(longAgo.startingSinceMs(), later.memory().startingSinceMs());
            Step running = HaDecider.decide(view("pg2", ledBy("pg1", 100, 1), runningReplica(100, 1, pgAddress(1))).build(),
                    longAgo);
            assertEquals(0, running.memory().startingSinceMs(), "forgotten once it runs");
        }
    }

    @Nested
    class Rejoin {
        @Test
        void oldPrimaryBehindANewTimelineIsRewound() {
            Rewind r = assertInstanceOf(Rewind.class, view("pg1", ledBy("pg2", 100, 2), stopped(true, 1)).decide());
            assertEquals("pg2", r.source().memberName());
        }

        @Test
        void oldPrimaryWaitsUntilTheNewLeaderCheckpointedAfterItsPromotion() {
            Cluster c = ledBy("pg2", 100, 2);
            List<Member> members = new ArrayList<>();
            for (Member mb : c.members()) {
                MemberData d = mb.data();
                members.add(!mb.name().equals("pg2") ? mb : new Member(mb.name(), new MemberData(d.connUrl(), d.apiUrl(),
                        d.state(), d.role(), d.version(), d.tags(), d.xlogLocation(), d.timeline(), false, null, false),
                        mb.session(), mb.version()));
            }
            Cluster promoting = new Cluster(c.initialize(), c.config(), c.leader(), members, c.failover(), c.sync(),
                    c.history(), c.status());
            Decision d = view("pg1", promoting, stopped(true, 1)).decide();
            assertEquals(NoAction.waitingFor("waiting for leader pg2 to checkpoint after its promotion before rejoining"),
                    d, "its pg_control still names timeline 1: pg_rewind would find nothing to do");
        }

        @Test
        void aRunningStandbyKeepsSlotsForTheOtherMembersOnly() {
            assertEquals(Set.of("pg1", "pg3"), HaDecider.standbySlots(
                    view("pg2", ledBy("pg1", 100, 1), runningReplica(100, 1, pgAddress(1))).build()));
            assertNull(HaDecider.standbySlots(view("pg2", ledBy("pg1", 100, 1), runningReplica(100, 1, pgAddress(1)))
                    .pg("use_slots", false).build()), "use_slots off");
            assertNull(HaDecider.standbySlots(view("pg1", ledBy("pg1", 100, 1), runningPrimary(100, 1)).build()),
                    "the leader's slots are Lead's");
            assertNull(HaDecider.standbySlots(view("pg2", ledBy("pg1", 100, 1), starting()).build()), "not running");
        }

        @Test
        void oldPrimaryIsReclonedWhenUsePgRewindIsOff() {
            Decision d = view("pg1", ledBy("pg2", 100, 2), stopped(true, 1)).pg("use_pg_rewind", false).decide();
            assertInstanceOf(Reinitialize.class, d);
        }

        @Test
        void oldPrimaryIsReclonedWhenNoMatchingRewindToolIsInstalled() {
            Reinitialize r = assertInstanceOf(Reinitialize.class,
                    view("pg1", ledBy("pg2", 100, 2), stopped(true, 1)).noRewindTool().decide());
            assertTrue(r.reason().contains("no pg_rewind of the server's major version"), r.reason());
        }

        @Test
        void aFailedRewindNeverRemovesTheDataDirectoryByDefaultAndIsRetriedLater() {
            LongActionStatus failed = new LongActionStatus(null, "rewind", false, "could not connect to server");
            ClusterView v = view("pg1", ledBy("pg2", 100, 2), stopped(true, 1)).longAction(failed).build();
            Step first = HaDecider.decide(v, LoopMemory.INITIAL.withLastLeader("pg2"));
            NoAction n = assertInstanceOf(NoAction.class, first.decision());
            assertTrue(n.reason().contains("not removing the data directory"), n.reason());
            assertEquals(Views.NOW, first.memory().rewindFailedMs());
            // a ttl later (30 s here) it tries again
            LoopMemory later = first.memory().withRewindFailed(Views.NOW - 31_000, "pg2");
            assertInstanceOf(Rewind.class, HaDecider.decide(v, later).decision());
        }

        @Test
        void aFailedRewindReclonesWhenRemoveDataDirectoryOnRewindFailureIsOn() {
            Decision d = view("pg1", ledBy("pg2", 100, 2), stopped(true, 1))
                    .pg("remove_data_directory_on_rewind_failure", true)
                    .longAction(new LongActionStatus(null, "rewind", false, "pg_rewind failed")).decide();
            assertInstanceOf(Reinitialize.class, d);
        }

        @Test
        void oldPrimaryOnTheLeadersTimelineJustStartsAsAReplica() {
            Decision d = view("pg1", ledBy("pg2", 100, 2), stopped(true, 2)).decide();
            assertInstanceOf(StartPostgres.class, d);
        }
    }

    @Nested
    class Divergence {
        private final List<HistoryEntry> forkAt150 = List.of(new HistoryEntry(1, 150, "r", "t", "pg2"));

        @Test
        void oldPrimaryStartedWithoutUpstreamIsRememberedForTheDivergenceCheck() {
            Step step = HaDecider.decide(view("pg1", unlocked(100, 1), stopped(true, 1)).build(), LoopMemory.INITIAL);
            assertEquals(new StartPostgres(true, null, "starting as a secondary: no leader yet"), step.decision());
            assertEquals(1, step.memory().primaryDataTimeline());
        }

        @Test
        void standbyFromAFormerPrimaryWhoseWalGoesPastTheForkIsStoppedForARewindInsteadOfFollowing() {
            var c = Views.withHistory(ledBy("pg2", 300, 2), forkAt150);
            LoopMemory startedFromPrimaryData = LoopMemory.INITIAL.withPrimaryDataTimeline(1);
            Step step = HaDecider.decide(view("pg1", c, runningReplica(180, 1, null)).build(), startedFromPrimaryData);
            Demote d = assertInstanceOf(Demote.class, step.decision());
            assertTrue(d.reason().startsWith(Timelines.DIVERGED), d.reason());
            assertTrue(step.memory().needsRewind());
            // once stopped (the control file now says "standby"), the memory still asks for the rewind
            Decision next = HaDecider.decide(view("pg1", c, stopped(false, 1)).build(), step.memory()).decision();
            assertInstanceOf(Rewind.class, next);
        }

        @Test
        void aStandbyThatStreamedFromALeaderIsNeverStoppedOnItsReportedTimeline() {
            // regression: the new leader pg2 died; pg3's WAL receiver went away and its reported timeline fell
            // back to the stale restartpoint timeline 1 although its WAL is on timeline 2 — it must not be
            // stopped (it used to be, and a failed rewind against the dead leader then wiped it)
            var c = Views.withHistory(ledBy("pg1", 300, 3), forkAt150);
            Decision d = view("pg3", c, Views.standbyNotStreaming(180, 1, pgAddress(2), false)).decide();
            assertInstanceOf(Follow.class, d);
        }

        @Test
        void aStandbyThatStreamedFromAFrozenOldLeaderPastTheForkIsStoppedForARewind() {
            // pg1's daemon was SIGSTOPped while its PostgreSQL kept accepting writes; pg3 streamed and replayed
            // them on timeline 1 past the point where pg2's timeline 2 forked (its WAL files say timeline 1)
            var c = Views.withHistory(ledBy("pg2", 300, 2), forkAt150);
            Step step = HaDecider.decide(view("pg3", c, Views.standbyNotStreaming(180, 1, pgAddress(2), true)).build(),
                    LoopMemory.INITIAL);
            Demote d = assertInstanceOf(Demote.class, step.decision());
            assertTrue(d.reason().startsWith(Timelines.DIVERGED), d.reason());
            assertTrue(step.memory().needsRewind());
        }

        @Test
        void walReceivedButNotReplayedPastTheForkIsNoDivergence() {
            // the WAL receiver overwrites it when it streams timeline 1 from pg2 up to the fork
            var c = Views.withHistory(ledBy("pg2", 300, 2), forkAt150);
            LocalState s = new LocalState(PgState.RUNNING, false, Views.SYSID, true, false, 180L, 180L, 140L, null, 1,
                    150018, "2026-11-21 18:59:50.306090+00:00", List.of(), pgAddress(1), false, null, null, true, 0);
            assertInstanceOf(Follow.class, view("pg3", c, s).decide());
        }

        @Test
        void aStandbyThatStreamedUpToTheForkJustFollows() {
            var c = Views.withHistory(ledBy("pg2", 300, 2), forkAt150);
            Decision d = view("pg3", c, Views.standbyNotStreaming(150, 1, pgAddress(1), true)).decide();
            assertInstanceOf(Follow.class, d);
        }

        @Test
        void standbyBehindTheForkJustFollows() {
            var c = Views.withHistory(ledBy("pg2", 300, 2), forkAt150);
            Decision d = HaDecider.decide(view("pg1", c, runningReplica(140, 1, pgAddress(1))).build(),
                    LoopMemory.INITIAL.withPrimaryDataTimeline(1)).decision();
            assertInstanceOf(Follow.class, d);
        }

        @Test
        void streamingAgainClearsTheNeedForARewind() {
            var c = Views.withHistory(ledBy("pg2", 300, 2), forkAt150);
            LoopMemory m = LoopMemory.INITIAL.withNeedsRewind(true).withPrimaryDataTimeline(1);
            Step step = HaDecider.decide(view("pg1", c, runningReplica(300, 2, pgAddress(2))).build(), m);
            assertTrue(!step.memory().needsRewind());
            assertNull(step.memory().primaryDataTimeline());
        }
    }

    @Nested
    class DcsOutage {
        @Test
        void primaryDemotesWhenTheDcsIsUnreachable() {
            Decision d = view("pg1", ledBy("pg1", 100, 1), runningPrimary(100, 1)).dcsDown().decide();
            assertEquals(new Demote(DemoteMode.OFFLINE, "demoted self because DCS is not accessible and I was a leader"), d);
        }

        @Test
        void inFailsafeModeThePrimaryKeepsRunningWhenEveryListedMemberAcknowledges() {
            Decision d = view("pg1", ledBy("pg1", 100, 1), runningPrimary(100, 1)).dcs("failsafe_mode", true)
                    .failsafe(java.util.Map.of("pg1", "a", "pg2", "b", "pg3", "c"), java.util.Map.of("pg2", true, "pg3", true))
                    .dcsDown().decide();
            assertInstanceOf(Decision.FailsafeLead.class, d);
        }

        @Test
        void inFailsafeModeOneMissingAcknowledgementDemotes() {
            Decision d = view("pg1", ledBy("pg1", 100, 1), runningPrimary(100, 1)).dcs("failsafe_mode", true)
                    .failsafe(java.util.Map.of("pg1", "a", "pg2", "b", "pg3", "c"), java.util.Map.of("pg2", true, "pg3", false))
                    .dcsDown().decide();
            Demote dm = assertInstanceOf(Demote.class, d);
            assertTrue(dm.reason().contains("no acknowledgement from pg3"), dm.reason());
        }

        @Test
        void inFailsafeModeAPrimaryMissingFromTheKeyDemotes() {
            Decision d = view("pg1", ledBy("pg1", 100, 1), runningPrimary(100, 1)).dcs("failsafe_mode", true)
                    .failsafe(java.util.Map.of("pg2", "b"), java.util.Map.of("pg2", true)).dcsDown().decide();
            assertInstanceOf(Demote.class, d);
        }

        @Test
        void theLeaderPublishesTheFailsafeKeyInFailsafeMode() {
            Lead l = assertInstanceOf(Lead.class, view("pg1", ledBy("pg1", 100, 1), runningPrimary(100, 1))
                    .dcs("failsafe_mode", true).decide());
            assertEquals(java.util.Set.of("pg1", "pg2", "pg3"), l.writeFailsafe().keySet());
            assertNull(assertInstanceOf(Lead.class, view("pg1", ledBy("pg1", 100, 1), runningPrimary(100, 1))
                    .decide()).writeFailsafe());
        }

        @Test
        void aMemberMissingFromANonEmptyFailsafeKeyNeverWinsTheRace() {
            var c = unlocked(100, 1);
            c = new io.has.cluster.Cluster(c.initialize(), c.config(), null, c.members(), c.failover(), c.sync(),
                    c.history(), c.status(), java.util.Map.of("pg1", "a", "pg3", "c"));
            Decision d = view("pg2", c, runningReplica(100, 1, pgAddress(1))).dcs("failsafe_mode", true)
                    .unreachablePeer("pg1").unreachablePeer("pg3").decide();
            assertTrue(assertInstanceOf(NoAction.class, d).reason().contains("not listed in the failsafe key"));
        }

        @Test
        void replicaKeepsStreamingWhenTheDcsIsUnreachable() {
            Decision d = view("pg2", ledBy("pg1", 100, 1), runningReplica(100, 1, pgAddress(1))).dcsDown().decide();
            assertEquals(new NoAction("DCS is not accessible"), d);
        }

        @Test
        void leaderKeyWithMyNameButAnotherSessionIsNotMineSoThePrimaryDemotes() {
            // pg2's name in the leader key, owned by a live session that is not ours (duplicate member name)
            Decision d = view("pg2", ledBy("pg2", 100, 1), runningPrimary(100, 1)).decide();
            Demote dm = assertInstanceOf(Demote.class, d);
            assertTrue(dm.reason().contains("belongs to another ZooKeeper session"), dm.reason());
        }
    }
}
