package io.has.ha;

import io.has.cluster.Failover;
import io.has.cluster.Member;
import io.has.db.ReplicationInfo;
import io.has.ha.Decision.ClearFailover;
import io.has.ha.Decision.Demote;
import io.has.ha.Decision.DemoteMode;
import java.util.ArrayList;
import java.util.List;

/**
 * What the leader does with a {@code failover} key (reference/patroni.md §4.6): wait for a scheduled
 * time, clear a key it cannot honour, or demote itself gracefully so the candidate can take the lock.
 */
final class ManualFailover {

    private ManualFailover() {
    }

    /**
     * The leader's decision about a pending switchover, or null when there is nothing to do now
     * (no key, or a scheduled one whose time has not come: see {@link #awaiting}).
     */
    static Decision onLeader(ClusterView v) {
        Failover f = v.cluster().failover();
        if (f.isEmpty()) {
            return null;
        }
        long now = v.nowMs();
        if (f.scheduledAt() != null) {
            long at = f.scheduledAt().toInstant().toEpochMilli();
            if (v.config().pause()) {
                return new ClearFailover(f.version(), "Can't schedule switchover in the paused state; cleared it");
            }
            if (at > now) {
                return null;
            }
            if (now - at > 1500L * v.config().loopWait()) {
                return new ClearFailover(f.version(), "Found a stale failover value, cleaning up: " + f.scheduledAt());
            }
        }
        if (f.leader() != null && !f.leader().isEmpty() && !f.leader().equals(v.me())) {
            return new ClearFailover(f.version(), "manual failover: leader name does not match: " + f.leader()
                    + " != " + v.me());
        }
        String candidate = f.candidate();
        if (candidate != null && candidate.equals(v.me())) {
            return new ClearFailover(f.version(), "manual failover: candidate " + candidate + " is already the leader");
        }
        boolean hasCandidate = candidate != null && !candidate.isEmpty();
        if (v.config().pause() && !hasCandidate) {
            return null;
        }
        List<Member> candidates = new ArrayList<>();
        for (Member m : LeaderRace.candidates(v, null)) {
            if (!hasCandidate || m.name().equals(candidate)) {
                candidates.add(m);
            }
        }
        if (hasCandidate && candidates.isEmpty()) {
            return new ClearFailover(f.version(), "manual failover: candidate " + candidate
                    + " does not exist or may not be promoted");
        }
        long own = v.local().walPosition() == null ? 0 : v.local().walPosition();
        List<String> unhealthy = new ArrayList<>();
        for (Member m : candidates) {
            PeerStatus p = v.peers().get(m.name());
            String why = p == null || !p.reachable() ? "unreachable"
                    : !p.inRecovery() ? "not a replica"
                    : p.nofailover() ? "tagged nofailover"
                    : p.watchdogFailed() ? "without a usable watchdog"
                    : own - position(v, m.name(), p.walPosition()) > v.config().maximumLagOnFailover() ? "lagging"
                    : null;
            if (why == null) {
                int kill = v.config().synchronousMode() ? v.config().primaryStopTimeout() : 0;
                return new Demote(DemoteMode.GRACEFUL, kill, "manual failover: demoting myself"
                        + (hasCandidate ? " in favour of " + candidate : ""));
            }
            unhealthy.add(m.name() + " is " + why);
        }
        return new ClearFailover(f.version(), "manual failover: no healthy candidate ("
                + (unhealthy.isEmpty() ? "no other members" : String.join(", ", unhealthy)) + "); cleared the request");
    }

    /**
     * How far a candidate has WAL: what it reported over REST, which is as old as its last HA cycle
     * (up to loop_wait), or what our WAL sender for it confirmed at this cycle's probe, whichever is
     * further. Right after the candidate (re)started, with writes going on, its report alone can be
     * a loop behind and refuse a switchover to a replica that streams in step.
     */
    static long position(ClusterView v, String member, long reported) {
        long best = reported;
        for (ReplicationInfo r : v.local().replication()) {
            if (member.equals(r.applicationName())) {
                best = Math.max(best, Math.max(r.flushLsn() == null ? 0 : r.flushLsn(),
                        r.replayLsn() == null ? 0 : r.replayLsn()));
            }
        }
        return best;
    }

    /** The sentence for a leader waiting for its scheduled switchover, or null when none is waiting. */
    static String awaiting(ClusterView v) {
        Failover f = v.cluster().failover();
        if (f.isEmpty() || f.scheduledAt() == null || f.scheduledAt().toInstant().toEpochMilli() <= v.nowMs()) {
            return null;
        }
        return "Awaiting failover at " + f.scheduledAt() + " (in " + (f.scheduledAt().toInstant().toEpochMilli()
                - v.nowMs()) / 1000 + " seconds)";
    }
}
