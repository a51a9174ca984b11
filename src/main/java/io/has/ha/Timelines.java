package io.has.ha;

import io.has.cluster.HistoryEntry;
import io.has.cluster.Member;
import io.has.db.ControlData;
import io.has.db.LocalState;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Timeline rules of the decider: the {@code history} key, and whether a node may follow a leader on a
 * newer timeline as it is, or must be rewound first (reference/patroni.md §1.4, §4.8). Pure functions.
 */
final class Timelines {

    /** Start of the sentence of a standby stopped because its WAL went past the leader's fork point. */
    static final String DIVERGED = "stopping to rejoin by rewind: ";

    private static final DateTimeFormatter HISTORY_TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx").withZone(ZoneOffset.UTC);

    private Timelines() {
    }

    /**
     * Why a running standby cannot follow the leader without a rewind — it replayed WAL past the point
     * where the leader's timeline forked from its own (Patroni's rewind check on follow) — or null. Its
     * timeline is the one a former primary's data was started on, else the standby's own when exact
     * (streaming, or read from its WAL segment files): a standby that kept streaming from a frozen old
     * leader after the new one forked is caught here. A timeline read from the last restartpoint alone
     * can lag behind the WAL the standby holds, so it never counts: a healthy standby stopped on it would
     * miss the next leader race. WAL received but not replayed past the fork does not count either: the
     * WAL receiver overwrites it when it streams the leader's timeline.
     */
    static String divergence(ClusterView v, Member leader, LoopMemory m) {
        LocalState local = v.local();
        Integer ours = m.primaryDataTimeline() != null ? m.primaryDataTimeline()
                : local.timelineExact() ? local.timeline() : null;
        Integer theirs = leader.data().timeline();
        Long replayed = local.replayedLsn() != null ? local.replayedLsn() : local.walPosition();
        if (!local.isRunningReplica() || ours == null || theirs == null || ours >= theirs || replayed == null
                || v.cluster().history() == null) {
            return null;
        }
        for (HistoryEntry e : v.cluster().history()) {
            if (e.timeline() == ours && replayed > e.lsn()) {
                return "my replayed wal position " + replayed + " on timeline " + ours + " is past the fork point "
                        + e.lsn() + " of " + leader.name() + "'s timeline " + theirs;
            }
        }
        return null;
    }

    /**
     * A cleanly shut-down former primary need not be rewound when the new timeline forked after its
     * shutdown checkpoint: the history key's entry for our timeline records the fork position (at or
     * below the true one), so "fork > our checkpoint" proves the new leader replayed all our WAL.
     */
    static boolean forkedAfterMyShutdown(ClusterView v, Integer ourTimeline) {
        ControlData cd = v.local().control();
        List<HistoryEntry> history = v.cluster().history();
        if (cd == null || !cd.cleanShutdown() || cd.checkpointLsn() == null || ourTimeline == null || history == null) {
            return false;
        }
        for (HistoryEntry e : history) {
            if (e.timeline() == ourTimeline) {
                return e.lsn() > cd.checkpointLsn();
            }
        }
        return false;
    }

    /**
     * The {@code history} key from the server's own timeline history file (exact fork positions),
     * keeping the timestamp and new leader of entries the key already has, and stamping new entries
     * with now and this member — Patroni's rule. Trimmed to {@code max_timelines_history}.
     */
    static List<HistoryEntry> mergedHistory(ClusterView v) {
        List<HistoryEntry> known = Objects.requireNonNullElse(v.cluster().history(), List.of());
        List<HistoryEntry> history = new ArrayList<>();
        for (HistoryEntry e : v.localHistory()) {
            HistoryEntry old = known.stream().filter(k -> k.timeline() == e.timeline()).findFirst().orElse(null);
            boolean stamped = old != null && old.timestamp() != null;
            history.add(new HistoryEntry(e.timeline(), e.lsn(), e.reason(),
                    stamped ? old.timestamp() : HISTORY_TIME.format(Instant.ofEpochMilli(v.nowMs())),
                    stamped ? old.newLeader() : v.me()));
        }
        int max = v.config().maxTimelinesHistory();
        if (max > 0 && history.size() > max) {
            history = new ArrayList<>(history.subList(history.size() - max, history.size()));
        }
        return history;
    }

    /** Whether the {@code history} key already records the fork into {@code timeline}. */
    static boolean historyCovers(List<HistoryEntry> history, int timeline) {
        return timeline <= 1 || (history != null && history.stream().anyMatch(e -> e.timeline() == timeline - 1));
    }
}
