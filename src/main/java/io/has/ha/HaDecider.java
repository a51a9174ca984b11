package io.has.ha;

import io.has.cluster.Cluster;
import io.has.cluster.HistoryEntry;
import io.has.cluster.HostPort;
import io.has.cluster.Member;
import io.has.cluster.PgState;
import io.has.cluster.Role;
import io.has.cluster.SlotNames;
import io.has.db.LocalState;
import io.has.db.Upstream;
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
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;

/**
 * The HA rules as one pure function: {@code decide(view, memory) → (decision, memory')}. No I/O, no
 * clock, no mutable state: everything comes from the {@link ClusterView} and the {@link LoopMemory}.
 * The rules follow Patroni's {@code _run_cycle} in priority order (reference/patroni.md §4.3); the
 * first rule that matches wins. The leader race lives in {@link LeaderRace}, the leader's handling of
 * a switchover request in {@link ManualFailover}, timelines and rejoin checks in {@link Timelines}.
 */
public final class HaDecider {


    /** The decision and the memory to carry into the next cycle. */
    public record Step(Decision decision, LoopMemory memory) {
    }

    /** How long a starting server is looked at every POLL_SOON_MS rather than every loop_wait. */
    static final long STARTING_POLL_SOON_MS = 60_000;

    private HaDecider() {
    }

    public static Step decide(ClusterView v, LoopMemory m) {
        LoopMemory mem = v.cluster() != null && v.cluster().leader() != null
                ? m.withLastLeader(v.cluster().leader().name())
                : m;
        if (v.local().isRunningReplica() && v.local().streaming()) {
            // a standby that streams has rejoined: nothing left to rewind or to check
            mem = mem.withNeedsRewind(false).withPrimaryDataTimeline(null);
        }
        boolean starting = v.local().state() == PgState.STARTING;
        mem = mem.withStartingSince(!starting ? 0 : mem.startingSinceMs() == 0 ? v.nowMs() : mem.startingSinceMs());
        boolean unlocked = v.dcsOk() && v.cluster().leader() == null;
        mem = mem.withUnlockedSince(!unlocked ? 0 : mem.unlockedSinceMs() == 0 ? v.nowMs() : mem.unlockedSinceMs());
        Decision d = backOffAfterFailure(v, decideWith(v, mem));
        // crash bookkeeping: remember when a lock-holding primary was first seen down
        boolean crashed = v.holdsLock() && v.dcsOk() && !v.local().isRunning() && !v.local().dataDirEmpty()
                && !v.longAction().isRunning();
        long since = crashed ? (mem.crashedSinceMs() == 0 ? v.nowMs() : mem.crashedSinceMs()) : 0;
        mem = mem.withCrashedSince(since);
        if (d instanceof Demote dm && dm.reason().startsWith(Timelines.DIVERGED)) {
            mem = mem.withNeedsRewind(true).withPrimaryDataTimeline(null);
        }
        if (d instanceof StartPostgres st && st.standby() && st.upstream() == null && v.local().wasPrimary()) {
            mem = mem.withPrimaryDataTimeline(v.local().timeline());
        }
        if (d instanceof Rewind) {
            mem = mem.withRewindFailed(0, null);
        } else if (v.longAction().lastFailed("rewind") && !v.longAction().isRunning() && mem.rewindFailedMs() == 0) {
            mem = mem.withRewindFailed(v.nowMs(), mem.lastLeader());
        }
        if (d instanceof Demote dm && dm.mode() == DemoteMode.GRACEFUL) {
            mem = mem.withSwitchoverDemote(v.nowMs());
        } else if (v.dcsOk() && v.cluster().leader() != null && !v.holdsLock()) {
            mem = mem.withSwitchoverDemote(0);
        }
        return new Step(d, mem);
    }

    /**
     * A long action that just failed is not started again before {@code loop_wait} has passed: a fast
     * failure (say pg_basebackup against a leader that just died) would otherwise repeat at once, since
     * the end of a long action wakes the loop.
     */
    static Decision backOffAfterFailure(ClusterView v, Decision d) {
        String name = d instanceof CloneReplica ? "clone"
                : d instanceof StartPostgres ? "starting"
                : d instanceof Reinitialize ? "reinitialize"
                : d instanceof BootstrapCluster ? "bootstrap" : null;
        LongActionStatus la = v.longAction();
        long since = v.nowMs() - la.lastFinishedMs();
        long wait = v.config().loopWait() * 1000L;
        if (name == null || !la.lastFailed(name) || since >= wait) {
            return d;
        }
        return new NoAction(name + " failed " + since / 1000 + " s ago (" + la.lastError() + "); trying again in "
                + Math.max(1, (wait - since + 999) / 1000) + " s", true);
    }

    private static Decision decideWith(ClusterView v, LoopMemory m) {
        LocalState local = v.local();
        boolean paused = v.config().pause();

        // 17. DCS unreachable: a primary must stop accepting writes before its session can expire.
        if (!v.dcsOk()) {
            if (local.isRunningPrimary() && !paused) {
                String unacked = failsafeUnacknowledged(v);
                if (unacked == null) {
                    return new Decision.FailsafeLead("continue to run as a leader because failsafe mode is enabled and"
                            + " all members are accessible");
                }
                return new Demote(DemoteMode.OFFLINE, "demoted self because DCS is not accessible and I was a leader"
                        + unacked);
            }
            return new NoAction("DCS is not accessible");
        }
        Cluster c = v.cluster();
        boolean lock = v.holdsLock();

        // 4. a long action is in progress
        if (v.longAction().isRunning()) {
            return new WaitLongAction(v.longAction().running(), lock);
        }

        // 8. empty data directory
        if (local.dataDirEmpty()) {
            return decideEmptyDataDir(v);
        }

        // 9. data directory present: the system identifier must match the cluster's
        String sysid = local.systemId();
        if (c.hasValidSysid() && sysid != null && !sysid.equals(c.initialize())) {
            return new NoAction("system ID mismatch: node " + v.me() + " belongs to a different cluster ("
                    + sysid + " != " + c.initialize() + "); not touching it");
        }
        if (c.initialize() == null && c.leader() == null && sysid != null && !paused) {
            return new WriteInitialize(sysid);
        }

        // 5. still starting (recovery, or a standby not yet consistent): no watch reports the end of it, and
        // the status would say "starting" for a whole loop_wait after the server accepts connections. Looked
        // at soon for a minute only: a standby that can never become consistent refuses connections forever.
        if (local.state() == PgState.STARTING) {
            return new NoAction("postgres is starting", v.nowMs() - m.startingSinceMs() < STARTING_POLL_SOON_MS);
        }

        // 10. the server is not running
        if (!local.isRunning()) {
            if (paused) {
                return lock ? new ReleaseLock("PAUSE: removed leader lock because postgres is not running")
                        : new NoAction("PAUSE: postgres is not running");
            }
            return decideNotRunning(v, m);
        }

        // 11. no leader: race for the lock if we are the healthiest member
        if (c.leader() == null) {
            return decideUnlocked(v, m);
        }

        // 12. we hold the lock
        if (lock) {
            if (local.inRecovery()) {
                if (paused && !v.me().equals(c.failover().candidate())) {
                    return new ReleaseLock("PAUSE: removed leader lock because postgres is not running as primary");
                }
                return new Promote(promoteSync(v),
                        "promoted self to leader because I had the session lock");
            }
            Decision manual = ManualFailover.onLeader(v);
            if (manual != null) {
                return manual;
            }
            return lead(v);
        }

        // 13. someone else holds the lock: follow it
        return decideFollower(v, m);
    }

    /**
     * Failsafe mode with the DCS down: null when this primary may keep running (it is listed in the
     * last {@code failsafe} key and every other member listed there acknowledged), else why not (with a
     * leading separator, appended to the demotion sentence).
     */
    static String failsafeUnacknowledged(ClusterView v) {
        if (!v.config().failsafeMode()) {
            return "";
        }
        Map<String, String> members = v.failsafe().members();
        if (!members.containsKey(v.me())) {
            return " (failsafe mode: I am not listed in the failsafe key)";
        }
        List<String> missing = new ArrayList<>();
        for (String m : members.keySet()) {
            if (!m.equals(v.me()) && !Boolean.TRUE.equals(v.failsafe().acks().get(m))) {
                missing.add(m);
            }
        }
        return missing.isEmpty() ? null : " (failsafe mode: no acknowledgement from " + String.join(", ", missing) + ")";
    }

    private static Decision decideEmptyDataDir(ClusterView v) {
        Cluster c = v.cluster();
        if (v.holdsLock()) {
            return new ReleaseLock("released leader key voluntarily as data dir is empty");
        }
        if (v.config().pause()) {
            return new NoAction("PAUSE: the data directory is empty; not bootstrapping while paused");
        }
        Optional<Member> leader = v.otherLeader();
        if (leader.isPresent()) {
            Member l = leader.get();
            if (l.data().state() == PgState.RUNNING && l.pgAddress() != null) {
                return new CloneReplica(upstream(l));
            }
            return NoAction.waitingFor("waiting for leader " + l.name() + " to be running before cloning");
        }
        if (c.leader() == null && c.initialize() == null) {
            if (v.noFailover()) {
                return new NoAction("waiting for leader to bootstrap (I am nofailover)");
            }
            if (!v.watchdogUsable()) {
                return new NoAction("not bootstrapping: the watchdog is required but not usable");
            }
            return new BootstrapCluster();
        }
        return new NoAction("waiting for leader to bootstrap");
    }

    private static Decision decideFollower(ClusterView v, LoopMemory m) {
        Cluster c = v.cluster();
        LocalState local = v.local();
        boolean paused = v.config().pause();
        if (c.leader().name().equals(v.me())) {
            // our name, but another live session owns the znode: two daemons share one member name
            String why = "the leader key carries my name but belongs to another ZooKeeper session"
                    + " (is another daemon running with name " + v.me() + "?)";
            if (local.isRunningPrimary() && !paused) {
                return new Demote(DemoteMode.IMMEDIATE_NOLOCK, "demoting self because " + why);
            }
            return new NoAction("no action: " + why);
        }
        Member leaderMember = v.otherLeader().orElse(null);
        if (local.isRunningPrimary()) {
            if (paused) {
                return new NoAction("PAUSE: running as primary while " + c.leader().name() + " holds the leader lock");
            }
            return new Demote(DemoteMode.IMMEDIATE_NOLOCK,
                    "demoting self because " + c.leader().name() + " holds the leader lock");
        }
        if (leaderMember == null || leaderMember.pgAddress() == null) {
            return NoAction.waitingFor("no action. I am (" + v.me() + "), a secondary, and the leader ("
                    + c.leader().name() + ") has not published its address yet");
        }
        String diverged = Timelines.divergence(v, leaderMember, m);
        if (diverged != null) {
            return new Demote(DemoteMode.IMMEDIATE_NOLOCK, Timelines.DIVERGED + diverged);
        }
        HostPort want = leaderMember.pgAddress();
        if (!want.equals(local.upstream())) {
            return new Follow(upstream(leaderMember), "following new leader " + leaderMember.name());
        }
        return new NoAction("no action. I am (" + v.me() + "), a secondary, and following a leader ("
                + leaderMember.name() + ")");
    }

    private static Decision decideNotRunning(ClusterView v, LoopMemory m) {
        LocalState local = v.local();
        if (v.holdsLock()) {
            int timeout = v.config().primaryStartTimeout();
            long crashedFor = m.crashedSinceMs() == 0 ? 0 : v.nowMs() - m.crashedSinceMs();
            boolean release = timeout == 0 || (m.crashedSinceMs() != 0 && crashedFor > timeout * 1000L);
            int leftover = local.leftoverProcesses();
            if (leftover > 0 && crashedFor < v.config().ttl() * 1000L) {
                String what = leftover == 1 ? "1 process" : leftover + " processes";
                return new AwaitServerExit(leftover, "waiting for " + what + " of the crashed server to exit before "
                        + (release ? "releasing the leader key" : "restarting it")
                        + " (they can still write and send WAL)");
            }
            if (release) {
                return new ReleaseLock("released leader key because postgres did not come up within "
                        + timeout + "s (primary_start_timeout)");
            }
            if (local.wasPrimary()) {
                return new StartPostgres(false, null, "starting primary after failure");
            }
            return new StartPostgres(true, null, "starting as readonly because i had the session lock");
        }
        Optional<Member> leader = v.otherLeader();
        if (leader.isEmpty() || leader.get().pgAddress() == null) {
            if (v.cluster().leader() != null) {
                return NoAction.waitingFor("waiting for leader " + v.cluster().leader().name() + " to publish its address");
            }
            if (local.wasPrimary() && m.switchoverDemoteMs() != 0
                    && v.nowMs() - m.switchoverDemoteMs() < v.config().ttl() * 1000L) {
                return new NoAction("waiting for the switchover candidate to take the leader lock");
            }
            // no leader: start read-only so that we can take part in the race
            return new StartPostgres(true, null, "starting as a secondary: no leader yet");
        }
        Member l = leader.get();
        Upstream up = upstream(l);
        if (local.wasPrimary() || m.needsRewind()) {
            Integer leaderTl = l.data().timeline();
            Integer ours = local.timeline();
            if (leaderTl == null || l.data().role() != Role.PRIMARY || l.data().state() != PgState.RUNNING) {
                return NoAction.waitingFor("waiting for leader " + l.name() + " to run as primary before rejoining");
            }
            if (l.data().checkpointPending()) {
                // its pg_control still names the old timeline: pg_rewind would see no divergence
                return NoAction.waitingFor("waiting for leader " + l.name() + " to checkpoint after its promotion"
                        + " before rejoining");
            }
            if (m.needsRewind() || ours == null || leaderTl > ours) {
                if (!m.needsRewind() && Timelines.forkedAfterMyShutdown(v, ours)) {
                    return new StartPostgres(true, up, "starting as a secondary following " + l.name()
                            + ": the new timeline forked after my clean shutdown, no rewind needed");
                }
                if (v.config().usePgRewind() && v.rewindAvailable()) {
                    if (!v.longAction().lastFailed("rewind")) {
                        return new Rewind(up);
                    }
                    if (!v.config().removeDataDirectoryOnRewindFailure()) {
                        // Patroni's default: never delete data because a rewind failed (the leader may
                        // just have died); try again after ttl or against another leader
                        boolean retry = m.rewindFailedMs() != 0 && (!l.name().equals(m.rewindFailedLeader())
                                || v.nowMs() - m.rewindFailedMs() >= v.config().ttl() * 1000L);
                        return retry ? new Rewind(up) : new NoAction("pg_rewind from " + l.name() + " failed ("
                                + v.longAction().lastError() + "); not removing the data directory"
                                + " (remove_data_directory_on_rewind_failure is off), will retry");
                    }
                }
                String why = !v.config().usePgRewind() ? "use_pg_rewind is off"
                        : !v.rewindAvailable() ? "no pg_rewind of the server's major version is installed"
                        : "pg_rewind failed and remove_data_directory_on_rewind_failure is on";
                return new Reinitialize(up, "reinitializing from " + l.name() + " because the timeline diverged and "
                        + why);
            }
        }
        return new StartPostgres(true, up, "starting as a secondary following " + l.name());
    }

    /**
     * The slots a running standby keeps, reserving no WAL, for the other members, so that they exist when
     * it is promoted; null when it keeps none (slots off, no DCS, the lock is ours, a long action runs, or
     * it is not a running standby). Applied by the executor after a steady cycle's {@link NoAction}.
     */
    public static Set<String> standbySlots(ClusterView v) {
        if (!v.dcsOk() || v.cluster() == null || v.holdsLock() || !v.config().useSlots()
                || v.longAction().isRunning() || !v.local().isRunningReplica()) {
            return null;
        }
        return otherMembersSlots(v);
    }

    /** A physical slot name for every member but us. */
    private static Set<String> otherMembersSlots(ClusterView v) {
        Set<String> slots = new TreeSet<>();
        for (Member mb : v.cluster().members()) {
            if (!mb.name().equals(v.me())) {
                slots.add(SlotNames.forMember(mb.name()));
            }
        }
        return slots;
    }

    private static Decision decideUnlocked(ClusterView v, LoopMemory m) {
        LocalState local = v.local();
        LeaderRace.Health health = LeaderRace.health(v, LeaderRace.receiversMaySettle(v, m));
        String ignored = health.ignored().isEmpty() ? ""
                : " (not candidates, unreachable: " + String.join(", ", health.ignored()) + ")";
        if (health.settling()) {
            return new AwaitReceivers("waiting before racing for the leader lock: " + health.whyNot()
                    + " (WAL sent by the old primary may still be arriving)" + ignored);
        }
        if (health.whyNot() == null) {
            boolean promote = local.inRecovery();
            return new AcquireLock(promote, !v.cluster().failover().isEmpty(), promote ? promoteSync(v) : null,
                    (promote ? "promoted self to leader by acquiring session lock"
                            : "acquired session lock as a leader") + ignored);
        }
        if (local.isRunningPrimary() && !v.config().pause()) {
            return new Demote(DemoteMode.IMMEDIATE_NOLOCK,
                    "demoting self because i am not the healthiest node: " + health.whyNot() + ignored);
        }
        return new NoAction("following a different leader because i am not the healthiest node: " + health.whyNot()
                + ignored);
    }

    private static Lead lead(ClusterView v) {
        Cluster c = v.cluster();
        Set<String> slots = v.config().useSlots() ? otherMembersSlots(v) : null;
        String sysid = v.local().systemId();
        String writeInit = !c.hasValidSysid() && sysid != null ? sysid : null;
        Map<String, Object> writeConfig = c.config() == null || c.config().value().isEmpty() ? v.bootstrapDcs() : null;
        List<HistoryEntry> history = v.localHistory() != null ? Timelines.mergedHistory(v)
                : c.history() == null ? List.of() : null;
        if (history != null && history.equals(c.history())) {
            history = null;
        }
        String awaiting = ManualFailover.awaiting(v);
        String reason = awaiting != null ? awaiting
                : (v.config().pause() ? "PAUSE: " : "") + "no action. I am (" + v.me() + "), the leader with the lock";
        SyncPlanner.Plan sync = SyncPlanner.plan(v);
        Map<String, String> failsafe = null;
        if (v.config().failsafeMode()) {
            Map<String, String> want = new java.util.TreeMap<>();
            for (Member mb : c.members()) {
                if (mb.data().apiUrl() != null) {
                    want.put(mb.name(), mb.data().apiUrl());
                }
            }
            failsafe = want.equals(c.failsafe()) ? null : want;
        }
        return new Lead(slots, writeInit, writeConfig, history, sync, failsafe, reason);
    }

    /** In synchronous mode a promotion first claims the sync key for us, with no standby in it. */
    private static Decision.PromoteSync promoteSync(ClusterView v) {
        return v.config().synchronousMode()
                ? new Decision.PromoteSync(v.cluster().sync().version(), v.config().synchronousModeStrict())
                : null;
    }

    private static Upstream upstream(Member m) {
        return new Upstream(m.name(), m.pgAddress());
    }
}
