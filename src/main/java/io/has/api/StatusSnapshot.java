package io.has.api;

import io.has.cluster.Cluster;
import io.has.config.DynamicConfig;
import io.has.db.LocalState;
import java.util.Map;

/**
 * What the REST API answers from: published by the HA loop at the end of every cycle and read by the
 * handlers without any I/O. Immutable.
 *
 * @param scope             cluster name
 * @param name              this member's name
 * @param version           HAS version reported as {@code patroni.version}
 * @param local             last probe of the local database
 * @param holdsLock         this node held the leader lock at the end of the cycle
 * @param lockValidUntilMs  epoch ms until which the lock is known valid (last confirmation + ttl)
 * @param cluster           last successful DCS read, or null when the DCS was never read
 * @param dcsLastSeenMs     epoch ms of the last successful DCS read (0 = never)
 * @param config            dynamic config in force
 * @param tags              this member's tags
 * @param systemId          database system identifier, or null
 * @param nextRunMs         epoch ms at which the next cycle is due (for /liveness)
 * @param createdMs         epoch ms this snapshot was taken (its local state read)
 * @param stats             how the last cycle went and what the appliance parts hold
 */
public record StatusSnapshot(
        String scope,
        String name,
        String version,
        LocalState local,
        boolean holdsLock,
        long lockValidUntilMs,
        Cluster cluster,
        long dcsLastSeenMs,
        DynamicConfig config,
        Map<String, Object> tags,
        String systemId,
        long nextRunMs,
        long createdMs,
        LoopStats stats) {

    /**
     * @param loopDurationSec duration of the last HA cycle
     * @param dcsLatencySec   duration of the last ZooKeeper read of the cluster
     * @param vipHeld         this node holds the virtual IP
     * @param watchdogArmed   the watchdog is armed
     * @param watchdogFailed  the watchdog is required but not usable (Patroni's {@code watchdog_failed})
     * @param failsafeActive  failsafe mode is carrying the cluster through a DCS outage (Patroni's
     *                        {@code failsafe_mode_is_active})
     */
    public record LoopStats(double loopDurationSec, double dcsLatencySec, boolean vipHeld, boolean watchdogArmed,
            boolean watchdogFailed, boolean failsafeActive) {
        public static final LoopStats NONE = new LoopStats(0, 0, false, false, false, false);
    }

    public StatusSnapshot {
        tags = tags == null ? Map.of() : Map.copyOf(tags);
        stats = stats == null ? LoopStats.NONE : stats;
    }

    /** A snapshot without loop statistics (tests and the first cycle). */
    public StatusSnapshot(String scope, String name, String version, LocalState local, boolean holdsLock,
            long lockValidUntilMs, Cluster cluster, long dcsLastSeenMs, DynamicConfig config, Map<String, Object> tags,
            String systemId, long nextRunMs, long createdMs) {
        this(scope, name, version, local, holdsLock, lockValidUntilMs, cluster, dcsLastSeenMs, config, tags, systemId,
                nextRunMs, createdMs, LoopStats.NONE);
    }

    /** This snapshot with {@code newLocal}, read at {@code readMs}. */
    public StatusSnapshot withLocal(LocalState newLocal, long readMs) {
        return new StatusSnapshot(scope, name, version, newLocal, holdsLock, lockValidUntilMs, cluster, dcsLastSeenMs,
                config, tags, systemId, nextRunMs, readMs, stats);
    }

    /** True when the node believes it is the leader: it held the lock and that is still within ttl. */
    public boolean isLeader(long nowMs) {
        return holdsLock && nowMs < lockValidUntilMs;
    }

    public boolean paused() {
        return config.pause();
    }
}
