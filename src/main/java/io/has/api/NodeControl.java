package io.has.api;

import io.has.dcs.Dcs;
import io.has.ha.DecisionLog;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;

/**
 * What REST handlers may ask of the daemon. Handlers validate a request, write DCS keys (through
 * {@link #dcs()}, off the IO thread) or queue a request here, and wake the loop; the HA loop performs
 * the work. Implemented by the HA loop.
 */
public interface NodeControl {

    /** Ends the HA loop's nap at once (after writing the failover or config key). */
    void wakeup();

    /** The DCS client, for handlers that must read the cluster fresh or write a key. */
    Dcs dcs();

    /** The last decisions of this node, oldest first. */
    List<DecisionLog.Entry> decisions();

    /**
     * Whether {@link #freshStatus} would read PostgreSQL for {@code s} (a running standby whose WAL
     * positions are older than a fraction of a second); then {@code GET /patroni} is answered from a
     * worker thread.
     */
    default boolean statusStale(StatusSnapshot s, long nowMs) {
        return false;
    }

    /** The status with a running standby's WAL positions read again; may block on PostgreSQL. */
    default StatusSnapshot freshStatus(StatusSnapshot s) {
        return s;
    }

    /**
     * Conditions of {@code POST /restart}; null fields are not checked.
     *
     * @param role            only restart when the node has this role ({@code primary} or {@code replica})
     * @param postgresVersion only restart when the server version is lower than this (e.g. {@code 15.4})
     * @param restartPending  only restart when a restart is pending
     * @param timeoutSeconds  how long the start may take before it counts as failed
     */
    record RestartRequest(String role, String postgresVersion, Boolean restartPending, Integer timeoutSeconds) {
    }

    /** Result of a node action: Patroni's status code and message. */
    record ActionResult(int status, String message) {
    }

    /**
     * Restarts PostgreSQL now (the loop does it between cycles). Completes with 200
     * {@code restarted successfully}, or 503 with {@code restart conditions are not satisfied},
     * {@code <action> already in progress}, {@code postgres is still starting} or {@code restart failed}.
     */
    CompletableFuture<ActionResult> restart(RestartRequest request);

    /** Schedules a restart; false when one is already scheduled (409 in Patroni). */
    boolean scheduleRestart(RestartRequest request, OffsetDateTime at);

    /** Deletes a scheduled restart; false when none was scheduled. */
    boolean cancelScheduledRestart();

    /** The scheduled restart, if any: when and with which conditions. */
    Optional<ScheduledRestart> scheduledRestart();

    /** A restart waiting for its time. */
    record ScheduledRestart(OffsetDateTime at, RestartRequest request) {
    }

    /**
     * Wipes the data directory and clones it again from the leader. Completes with 200
     * {@code reinitialize started}, or 503 with {@code Cluster has no leader, can not reinitialize},
     * {@code I am the leader, can not reinitialize} or {@code <action> already in progress}
     * ({@code force} cancels a running long action first).
     */
    CompletableFuture<ActionResult> reinitialize(boolean force);

    /**
     * Failsafe mode: the member {@code name} asks to keep running as leader while the DCS is down.
     * 200 {@code Accepted} (remembered for ttl), 500 {@code Running as a leader} when this node is a
     * primary, 502 when failsafe mode is off.
     */
    ActionResult acceptFailsafe(String name, String connUrl, String apiUrl);

    /**
     * Writes PostgreSQL's configuration again (local settings and the dynamic configuration) and reloads the
     * server ({@code POST /reload}, SIGHUP). The YAML file is not read again.
     */
    void reload();
}
