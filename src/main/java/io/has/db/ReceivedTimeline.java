package io.has.db;

import java.util.Objects;

/**
 * The timeline of a running standby, kept exact while its WAL receiver is gone. The probe reads a
 * standby's timeline from the WAL receiver ({@code received_tli}) and, without one, from the last
 * restartpoint ({@code pg_control_checkpoint()}), which lags behind replay: a standby that streamed
 * timeline 8 reports 7 again the moment its upstream dies. This remembers the highest timeline the
 * receiver reported since the postmaster started (a standby's timeline never goes back) and uses it
 * while it exceeds the restartpoint's; the result is marked exact when it is that remembered timeline,
 * which the divergence check relies on. Not thread-safe (the probe is synchronized).
 */
final class ReceivedTimeline {

    private String postmasterStart;
    private Integer highest;

    /** {@code s}, with the remembered timeline when it is a standby's and exceeds the reported one. */
    LocalState apply(LocalState s) {
        if (!s.isRunningReplica() || s.timeline() == null || s.postmasterStartTime() == null) {
            postmasterStart = null;
            highest = null;
            return s;
        }
        if (!Objects.equals(postmasterStart, s.postmasterStartTime())) {
            postmasterStart = s.postmasterStartTime();
            highest = null;
        }
        if (s.streaming()) {
            highest = highest == null ? s.timeline() : Math.max(highest, s.timeline());
            return s;
        }
        if (highest == null) {
            return s; // the restartpoint's timeline: not exact
        }
        return new LocalState(s.state(), s.dataDirEmpty(), s.systemId(), s.inRecovery(), s.wasPrimary(),
                s.walPosition(), s.receivedLsn(), s.replayedLsn(), s.replayedTimestamp(), Math.max(highest, s.timeline()),
                s.serverVersion(), s.postmasterStartTime(), s.replication(), s.upstream(), s.streaming(), s.error(),
                s.control(), highest >= s.timeline());
    }
}
