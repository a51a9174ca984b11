package io.has.db;

/**
 * One WAL sender as seen on the primary (a row of pg_stat_replication, normalised by the dialect).
 *
 * @param usename          replication user
 * @param applicationName  the standby's application_name (HAS sets it to the member name)
 * @param clientAddr       client address, or null
 * @param state            {@code streaming}, {@code catchup}, ... (lower case)
 * @param syncState        {@code async}, {@code sync}, {@code potential}, {@code quorum}
 * @param syncPriority     sync_priority
 * @param flushLsn         flush position, or null
 * @param replayLsn        replay position, or null
 */
public record ReplicationInfo(
        String usename,
        String applicationName,
        String clientAddr,
        String state,
        String syncState,
        int syncPriority,
        Long flushLsn,
        Long replayLsn) {
}
