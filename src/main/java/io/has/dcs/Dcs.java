package io.has.dcs;

import io.has.cluster.Cluster;
import io.has.cluster.ClusterStatus;
import io.has.cluster.Failover;
import io.has.cluster.HistoryEntry;
import io.has.cluster.MemberData;
import io.has.cluster.SyncState;
import java.util.List;
import java.util.Map;

/**
 * The distributed configuration store as the HA loop sees it: Patroni's key layout under
 * {@code /<namespace>/<scope>/}.
 *
 * <p>Contracts, in three classes (as in Patroni's AbstractDCS):
 * <ul>
 *   <li><b>Timing-critical</b> ({@link #read}, {@link #attemptToAcquireLeader}, {@link #updateLeader},
 *       {@link #releaseLeader}): complete or throw {@link DcsException} within {@code retry_timeout}.</li>
 *   <li><b>Atomic</b> ({@link #initialize}, {@link #setConfig}, {@link #setFailover}, {@link #setSync}):
 *       compare-and-set on the znode version; a lost race returns {@code false}, never throws.</li>
 *   <li><b>Best effort</b> ({@link #touchMember}, {@link #writeStatus}, {@link #writeHistory}): at most about
 *       one second; failures are logged by the caller and retried next cycle.</li>
 * </ul>
 * Watches on {@code leader}, {@code members}, {@code config}, {@code failover} and {@code sync}, and
 * every connection-state change, call the wake-up hook given to {@link #start}; the hook must only
 * signal the loop.
 */
public interface Dcs extends AutoCloseable {

    /**
     * Connects and installs the watches.
     *
     * @param wakeup called from ZooKeeper threads when something the loop cares about changed
     * @throws DcsException if no connection can be made within {@code retry_timeout}
     */
    void start(Runnable wakeup) throws DcsException;

    /** Reads every key of the cluster in one go (Patroni's {@code get_cluster}). */
    Cluster read() throws DcsException;

    /** Our ZooKeeper session id, or 0 when not connected. */
    long sessionId();

    /** True while the client believes its connection is usable (not SUSPENDED, not LOST). */
    boolean isConnected();

    /**
     * Applies changed timing from the dynamic config. A different {@code ttl} needs a new session,
     * which drops our ephemeral nodes (Patroni does the same); the caller re-acquires next cycle.
     */
    void reconfigure(int ttl, int loopWait, int retryTimeout);

    /**
     * Creates the ephemeral {@code leader} znode holding our name.
     *
     * @return false when another session already holds it
     */
    boolean attemptToAcquireLeader() throws DcsException;

    /**
     * Confirms we still hold the lock: the {@code leader} znode exists, holds our name and its
     * ephemeralOwner is our current session. A stale node of ours from an older session is deleted and
     * re-created ("Recreating the leader ZNode due to ownership mismatch").
     *
     * @return false when the lock is held by someone else or is gone and cannot be re-created
     */
    boolean updateLeader() throws DcsException;

    /** Deletes the {@code leader} znode if (and only if) our session owns it. */
    void releaseLeader() throws DcsException;

    /**
     * Creates or updates {@code initialize}. With {@code create}, it is an atomic create that fails
     * when the key exists (the bootstrap race); otherwise it overwrites.
     *
     * @return false when the create lost the race
     */
    boolean initialize(String value, boolean create) throws DcsException;

    /** Deletes {@code initialize} (a failed bootstrap gives the race back). */
    void cancelInitialization() throws DcsException;

    /**
     * Writes {@code config}; {@code version} -1 means create.
     *
     * @return false when the version no longer matches (or the key exists for a create)
     */
    boolean setConfig(Map<String, Object> value, int version) throws DcsException;

    /** Writes (ephemeral create or set) {@code members/<name>}; skips the write if nothing changed. */
    void touchMember(MemberData data) throws DcsException;

    /** Writes {@code status}; skipped when equal to the last value written or read. */
    void writeStatus(ClusterStatus status) throws DcsException;

    /** Writes {@code failsafe} (member name → api_url); best effort, like {@code status}. */
    void writeFailsafe(Map<String, String> failsafe) throws DcsException;

    /** Writes {@code history}. */
    void writeHistory(List<HistoryEntry> history) throws DcsException;

    /**
     * Writes {@code failover}; {@link Failover#NONE} clears it ({@code {}}); {@code version} -1 means
     * unconditional.
     *
     * @return false on a version mismatch
     */
    boolean setFailover(Failover failover, int version) throws DcsException;

    /**
     * Writes {@code sync}; {@code version} -1 means create.
     *
     * @return false on a version mismatch
     */
    boolean setSync(SyncState sync, int version) throws DcsException;

    /** Recursively deletes the whole cluster ({@code hasctl remove}). */
    void deleteCluster() throws DcsException;

    /** Closes the session: our ephemeral nodes disappear at once. */
    @Override
    void close();
}
