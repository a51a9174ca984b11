package io.has.db;

/**
 * What the control file says about a stopped server, already translated from the product's
 * vocabulary by the {@link Dialect}.
 *
 * @param systemId      database system identifier, or null
 * @param clusterState  the raw state text (for logs only; decisions use the booleans)
 * @param wasPrimary    the cluster last ran outside recovery (crashed or stopped as a primary)
 * @param cleanShutdown the server was shut down cleanly (no crash recovery needed)
 * @param timeline      timeline of the latest checkpoint, or null
 * @param checkpointLsn location of the latest checkpoint, or null
 * @param rewindable    WAL hint logging or data checksums are on, so a rewind tool can work
 */
public record ControlData(
        String systemId,
        String clusterState,
        boolean wasPrimary,
        boolean cleanShutdown,
        Integer timeline,
        Long checkpointLsn,
        boolean rewindable) {
}
