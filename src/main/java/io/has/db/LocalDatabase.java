package io.has.db;

import io.has.cluster.HostPort;
import java.util.Set;

/**
 * The local database server as the HA code drives it. Implementations hide every product- and
 * version-specific detail (binaries, flags, file formats, SQL) behind a dialect.
 *
 * <p>Every method is idempotent: it first checks whether its goal already holds (promoting a primary,
 * starting a running server, stopping a stopped one all succeed at once). Every external call has a
 * deadline: JDBC statements 2 s, pg_ctl {@code postgresql.pg_ctl_timeout}.
 */
public interface LocalDatabase extends AutoCloseable {

    /** Observes the server; never throws and never blocks longer than a few seconds. */
    LocalState probe();

    /**
     * Reads a running server again over the probe connection, from any thread, for a status request
     * between two HA cycles (no liveness check, no control file); {@code upstream} as in the last probe.
     * Null when this database cannot do that. Never throws.
     */
    default LocalState probeRunning(HostPort upstream) {
        return null;
    }

    /**
     * Creates a new cluster: initdb with {@code bootstrap.initdb}, HAS's configuration files, start as
     * primary, then the superuser password, the replication and rewind users and {@code bootstrap.users}.
     * Returns once the server accepts writes.
     */
    void bootstrap() throws DbException;

    /**
     * Clones the data directory from a running member (pg_basebackup or the configured
     * {@code create_replica_methods}) and configures it as a standby of that member. Does not start it.
     */
    void createReplica(Upstream source) throws DbException;

    /**
     * Starts the server. With a null upstream and {@code standby} false it starts as a primary;
     * with {@code standby} true it starts in recovery following {@code upstream} (none when null).
     * Returns once it accepts connections or fails.
     */
    void start(boolean standby, Upstream upstream) throws DbException;

    /**
     * The current timeline's history as the server recorded it: one entry per timeline switch
     * (timeline left, switch position, reason), oldest first, timestamp and leader left null.
     * Empty on the first timeline.
     */
    java.util.List<io.has.cluster.HistoryEntry> timelineHistory() throws DbException;

    /** Stops (fast) and starts the running server in the role it has now. */
    void restart() throws DbException;

    /** Stops the server (no-op when stopped). */
    void stop(StopMode mode) throws DbException;

    /**
     * Stops the server; if it is still running after {@code killAfterSeconds} (greater than 0), kills
     * the postmaster (Patroni's {@code primary_stop_timeout} in synchronous mode). 0 means
     * {@link #stop(StopMode)}.
     */
    void stop(StopMode mode, int killAfterSeconds) throws DbException;

    /**
     * Promotes a standby and waits until it accepts writes; then starts a CHECKPOINT beside the caller
     * ({@link #checkpointAfterPromotePending}).
     */
    void promote() throws DbException;

    /**
     * Whether the CHECKPOINT after the last promotion is not done yet: until it is, pg_control names the
     * old timeline, and no former primary may rewind against this server.
     */
    default boolean checkpointAfterPromotePending() {
        return false;
    }

    /** Starts the CHECKPOINT after the last promotion again if it failed; the leader calls it every cycle. */
    default void ensureCheckpointAfterPromote() {
    }

    /**
     * Makes a running standby stream from {@code upstream}, reloading or restarting as the product
     * requires.
     */
    void follow(Upstream upstream) throws DbException;

    /**
     * Rewinds a stopped former primary so it can follow {@code source} (crash recovery first when the
     * control file says it was not shut down cleanly). Leaves it configured as a standby, stopped.
     */
    void rewind(Upstream source) throws DbException;

    /**
     * True when {@link #rewind} can run the product's rewind tool here (for PostgreSQL: a pg_rewind of
     * the server's major version is installed). When false the HA layer should re-clone a diverged
     * former primary; {@link #rewind} itself then falls back to removing the data directory and
     * cloning from the source. Constant while the daemon runs.
     */
    default boolean canRewind() {
        return true;
    }

    /** Deletes the data directory's contents (before a re-clone). */
    void removeDataDirectory() throws DbException;

    /**
     * Makes the set of physical replication slots on this primary equal {@code names} (creating the
     * missing ones, dropping the other physical ones). Returns false when something is left for a later
     * call (an unwanted slot still in use).
     */
    boolean syncReplicationSlots(Set<String> names) throws DbException;

    /**
     * Creates the missing slots of {@code names} on a running standby, reserving no WAL: after a promotion
     * they are there before any member follows. Drops nothing. Returns true at once where the dialect has
     * no such slots ({@link Dialect#slotsOnStandby}).
     */
    default boolean syncStandbySlots(Set<String> names) throws DbException {
        return true;
    }

    /**
     * Applies the cluster-wide settings (server parameters, use_slots, pg_hba) from the DCS
     * {@code config} key. Called before the first start and whenever the key changes; writes files
     * and reloads a running server, never restarts it.
     */
    void applyDynamicConfig(io.has.config.DynamicConfig config) throws DbException;

    /**
     * Sets which standbys the primary waits for: {@code names} empty = none (asynchronous), null = any
     * standby ({@code *}: strict mode without candidates blocks writes). Reloads; a no-op when unchanged.
     */
    void setSynchronousStandbys(java.util.List<String> names, int count) throws DbException;

    /**
     * Asks to be told, on another thread, the moment the postmaster of a running server exits — a
     * crash or a planned stop alike: the HA loop only wakes up on it and lets {@link #probe()} say
     * what happened. The server running now, and every one started later, is watched. A no-op where
     * the platform cannot watch a process without polling; exits are then seen by the next probe.
     * {@code onExit} is also called when the CHECKPOINT after a promotion is done. It must not block.
     */
    default void watchPostmaster(Runnable onExit) {
    }

    @Override
    void close();
}
