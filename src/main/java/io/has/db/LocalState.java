package io.has.db;

import io.has.cluster.HostPort;
import io.has.cluster.PgState;
import java.util.List;
import java.util.Objects;

/**
 * One observation of the local database server, taken by {@link LocalDatabase#probe()}. Immutable;
 * fields that could not be read are null (or 0 / empty). Nothing here is product- or version-specific:
 * the dialect has already translated control-file and catalog vocabulary.
 *
 * @param state               running, stopped, crashed, starting, ...
 * @param dataDirEmpty        true when the data directory is missing or holds no cluster
 * @param systemId            database system identifier (pg_controldata), or null
 * @param inRecovery          running as a standby; meaningless unless state is running
 * @param wasPrimary          from the control file while stopped: the cluster last ran as a primary
 *                            (crashed or shut down outside recovery), so it may need a rewind to follow
 * @param walPosition         primary: current WAL write position; replica: max(received, replayed)
 * @param receivedLsn         replica: last received position
 * @param replayedLsn         replica: last replayed position
 * @param replayedTimestamp   replica: timestamp of the last replayed transaction, or null
 * @param timeline            timeline (running: current; stopped: from the control file)
 * @param serverVersion       server_version_num, 0 when unknown
 * @param postmasterStartTime {@code YYYY-MM-DD HH:MM:SS.ffffff+TZ}, or null
 * @param replication         WAL senders (primary only)
 * @param upstream            host:port this standby is configured to stream from, or null
 * @param streaming           the WAL receiver is streaming
 * @param error               why the probe was incomplete, or null
 * @param control             the control file's facts while the server is stopped, else null
 * @param timelineExact       false only for a running standby that is not streaming and whose timeline could
 *                            not be read from its WAL segment files: the last restartpoint's timeline, which
 *                            can lag behind the timeline of the WAL it holds
 * @param leftoverProcesses   crashed: processes of the dead postmaster's server that still run (backends and
 *                            WAL senders that have not noticed yet; they can still write and send WAL)
 */
public record LocalState(
        PgState state,
        boolean dataDirEmpty,
        String systemId,
        boolean inRecovery,
        boolean wasPrimary,
        Long walPosition,
        Long receivedLsn,
        Long replayedLsn,
        String replayedTimestamp,
        Integer timeline,
        int serverVersion,
        String postmasterStartTime,
        List<ReplicationInfo> replication,
        HostPort upstream,
        boolean streaming,
        String error,
        ControlData control,
        boolean timelineExact,
        int leftoverProcesses) {

    public LocalState {
        replication = replication == null ? List.of() : List.copyOf(replication);
    }

    /**
     * A state without control-file facts (a running server, or one not inspected); the timeline is exact
     * unless this is a running standby that is not streaming.
     */
    public LocalState(PgState state, boolean dataDirEmpty, String systemId, boolean inRecovery, boolean wasPrimary,
            Long walPosition, Long receivedLsn, Long replayedLsn, String replayedTimestamp, Integer timeline,
            int serverVersion, String postmasterStartTime, List<ReplicationInfo> replication, HostPort upstream,
            boolean streaming, String error) {
        this(state, dataDirEmpty, systemId, inRecovery, wasPrimary, walPosition, receivedLsn, replayedLsn,
                replayedTimestamp, timeline, serverVersion, postmasterStartTime, replication, upstream, streaming, error,
                null, !(state == PgState.RUNNING && inRecovery && !streaming), 0);
    }

    /**
     * This state with the WAL positions and the WAL receiver's state of {@code later}, a later probe of the
     * same running standby on the same timeline; this state itself otherwise.
     */
    public LocalState withWalOf(LocalState later) {
        if (!isRunningReplica() || later == null || !later.isRunningReplica()
                || !Objects.equals(timeline, later.timeline())) {
            return this;
        }
        return new LocalState(state, dataDirEmpty, systemId, inRecovery, wasPrimary, later.walPosition(),
                later.receivedLsn(), later.replayedLsn(), later.replayedTimestamp(), timeline, serverVersion,
                postmasterStartTime, replication, upstream, later.streaming(), error, control, timelineExact,
                leftoverProcesses);
    }

    /** Nothing known yet (before the first probe). */
    public static LocalState unknown() {
        return new LocalState(PgState.UNKNOWN, false, null, false, false, null, null, null, null, null, 0, null,
                List.of(), null, false, null);
    }

    public boolean isRunning() {
        return state == PgState.RUNNING;
    }

    public boolean isRunningPrimary() {
        return state == PgState.RUNNING && !inRecovery;
    }

    public boolean isRunningReplica() {
        return state == PgState.RUNNING && inRecovery;
    }
}
