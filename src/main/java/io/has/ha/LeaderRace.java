package io.has.ha;

import io.has.cluster.Cluster;
import io.has.cluster.Failover;
import io.has.cluster.Member;
import io.has.cluster.SyncState;
import io.has.db.LocalState;
import java.util.ArrayList;
import java.util.List;

/**
 * Who may take the leader lock when nobody holds it: Patroni's {@code is_healthiest_node} and
 * {@code manual_failover_process_no_leader} (reference/patroni.md §4.4, §4.6), as pure functions of
 * the view. Unreachable peers are ignored (they are not candidates) and the result names them.
 */
final class LeaderRace {

    private LeaderRace() {
    }

    /**
     * Why this member may not race (null: it may), and which peers it ignored as unreachable. With
     * {@code settling}, it would win once the WAL receivers named in {@code whyNot} have stopped.
     */
    record Health(String whyNot, List<String> ignored, boolean settling) {
        Health(String whyNot, List<String> ignored) {
            this(whyNot, ignored, false);
        }

        static Health ok(List<String> ignored) {
            return new Health(null, ignored);
        }

        static Health no(String why) {
            return new Health(why, List.of());
        }
    }

    /**
     * For how long after the former leader gave the lock up a member that would win waits for WAL receivers
     * that still stream. The old primary's processes have exited by then, but the last WAL they sent can
     * still be on its way into a standby: a receiver stops once it has written all it got, within
     * milliseconds. A receiver that keeps streaming (one cascading from another standby, or a stopped one)
     * delays the race by this much at most.
     */
    static final long RECEIVERS_SETTLE_MS = 500;

    /**
     * Whether a member that would win the race first waits for WAL receivers that still stream: only just
     * after the former leader gave the lock up itself, its member key still there (its postmaster died, or
     * it stopped for a switchover). Its server's processes have exited by then, so the receivers stop as soon
     * as they have written the last WAL they got. A leader whose session expired (node lost, frozen, cut
     * off) leaves no member key, and its PostgreSQL may still be running: its standbys' receivers can keep
     * streaming for a long time, and waiting would only delay the failover.
     */
    static boolean receiversMaySettle(ClusterView v, LoopMemory m) {
        String former = m.lastLeader();
        return former != null && v.nowMs() - m.unlockedSinceMs() < RECEIVERS_SETTLE_MS
                && v.cluster().members().stream().anyMatch(mb -> mb.name().equals(former));
    }

    /**
     * Whether {@link #health} reads the peers' status in an unlocked {@code cluster}: not when the
     * failover key names {@code me} as the candidate, who may take the lock whatever they report
     * (Patroni's {@code manual_failover_process_no_leader}). The loop then spares the candidate the
     * peer round trip on a switchover's critical path.
     */
    static boolean consultsPeers(Cluster cluster, String me) {
        return !me.equals(cluster.failover().candidate());
    }

    /**
     * @param settling the former leader gave the lock up less than {@link #RECEIVERS_SETTLE_MS} ago: a member
     *                 that would win waits while its own or a candidate peer's WAL receiver still streams
     */
    static Health health(ClusterView v, boolean settling) {
        if (!v.watchdogUsable()) {
            return Health.no("Watchdog device is not usable (watchdog mode is required)");
        }
        LocalState local = v.local();
        Failover f = v.cluster().failover();
        boolean paused = v.config().pause();
        // any failover key, scheduled or not, decides the race (Patroni): once a scheduled switchover's
        // leader has stepped down, only its candidate may take over while it is healthy
        if (!f.isEmpty()) {
            Health manual = manualFailoverNoLeader(v, settling);
            if (manual != null) {
                return manual;
            }
        }
        if (local.isRunningPrimary()) {
            return Health.ok(List.of());
        }
        if (paused) {
            return Health.no("the cluster is paused");
        }
        if (v.noFailover() || v.failoverPriority() <= 0) {
            return Health.no("I am tagged nofailover");
        }
        if (v.config().failsafeMode() && !v.cluster().failsafe().isEmpty()
                && !v.cluster().failsafe().containsKey(v.me())) {
            return Health.no("I am not listed in the failsafe key");
        }
        SyncState sync = v.cluster().sync();
        if (v.config().synchronousMode() && sync.leader() != null && !sync.matches(v.me())) {
            return Health.no("I am not a synchronous standby (" + String.join(",", sync.syncStandby())
                    + ") in synchronous_mode");
        }
        return healthiest(v, candidates(v, null), true, settling);
    }

    /**
     * The leader race while a manual failover or switchover is pending. Returns null when the key does
     * not decide the matter and the ordinary race applies.
     */
    private static Health manualFailoverNoLeader(ClusterView v, boolean settling) {
        Failover f = v.cluster().failover();
        String candidate = f.candidate();
        if (candidate != null && !candidate.isEmpty()) {
            if (candidate.equals(v.me())) {
                return Health.ok(List.of());
            }
            if (v.config().pause()) {
                return Health.no("the cluster is paused and " + candidate + " is the failover candidate");
            }
            PeerStatus p = v.peers().get(candidate);
            if (p != null && p.reachable() && p.inRecovery() && !p.nofailover() && !p.watchdogFailed()) {
                return Health.no("the failover candidate " + candidate + " is healthy");
            }
        }
        if (v.config().synchronousMode() && v.cluster().sync().leader() != null
                && !v.cluster().sync().matches(v.me())) {
            return Health.no("I am not in the sync key and a manual failover is pending");
        }
        if (f.leader() == null || f.leader().isEmpty()) {
            return null;
        }
        if (f.leader().equals(v.me())) {
            // I was the leader: I take over only if nobody else is healthy
            List<Member> others = new ArrayList<>();
            for (Member m : candidates(v, f.leader())) {
                if (!m.name().equals(candidate)) {
                    others.add(m);
                }
            }
            return anyHealthy(v, others) ? Health.no("another healthy member can take over after the switchover")
                    : Health.ok(List.of());
        }
        return healthiest(v, candidates(v, f.leader()), false, settling);
    }

    private static boolean anyHealthy(ClusterView v, List<Member> members) {
        for (Member m : members) {
            PeerStatus p = v.peers().get(m.name());
            if (p != null && p.reachable() && p.inRecovery() && !p.nofailover() && !p.watchdogFailed()) {
                return true;
            }
        }
        return false;
    }

    private static Health healthiest(ClusterView v, List<Member> candidates, boolean checkLag, boolean settling) {
        LocalState local = v.local();
        long own = local.walPosition() == null ? 0 : local.walPosition();
        long optime = v.cluster().status().optime();
        long maxLag = v.config().maximumLagOnFailover();
        if (checkLag && optime > 0 && optime - own > maxLag) {
            return Health.no("my wal position " + own + " lags the last known leader position " + optime
                    + " by more than " + maxLag + " bytes (maximum_lag_on_failover)");
        }
        List<String> ignored = new ArrayList<>();
        List<String> streaming = new ArrayList<>();
        if (local.isRunningReplica() && local.streaming()) {
            streaming.add(v.me());
        }
        for (Member peer : candidates) {
            PeerStatus p = v.peers().get(peer.name());
            if (p == null || !p.reachable()) {
                ignored.add(peer.name());
                continue;
            }
            if (p.nofailover() || p.watchdogFailed()) {
                continue;
            }
            if (!p.inRecovery()) {
                return new Health("primary (" + p.name() + ") is still alive", ignored);
            }
            if (p.streaming()) {
                streaming.add(p.name());
            }
            if (p.walPosition() > own) {
                return new Health(p.name() + " has a more advanced wal position (" + p.walPosition() + " > " + own
                        + ")", ignored);
            }
            if (p.walPosition() == own && priorityOf(peer) > v.failoverPriority()) {
                return new Health(p.name() + " has the same wal position and a higher failover_priority", ignored);
            }
        }
        if (settling && !streaming.isEmpty()) {
            return new Health("the WAL receiver of " + String.join(", ", streaming) + " still streams", ignored, true);
        }
        return Health.ok(ignored);
    }

    /**
     * Other members that might take the lock: published an api_url, not tagged nofailover, not
     * {@code exclude}; in synchronous mode with a sync key, only the sync leader and standbys.
     */
    static List<Member> candidates(ClusterView v, String exclude) {
        SyncState sync = v.cluster().sync();
        boolean syncOnly = v.config().synchronousMode() && sync.leader() != null;
        List<Member> out = new ArrayList<>();
        for (Member mb : v.cluster().members()) {
            if (mb.name().equals(v.me()) || mb.name().equals(exclude) || mb.data().apiUrl() == null
                    || mb.data().noFailover() || (syncOnly && !sync.matches(mb.name()))) {
                continue;
            }
            out.add(mb);
        }
        return out;
    }

    static int priorityOf(Member m) {
        Object v = m.data().tags().get("failover_priority");
        if (v instanceof Number n) {
            return n.intValue();
        }
        return 1;
    }
}
