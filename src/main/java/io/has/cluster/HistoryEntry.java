package io.has.cluster;

/**
 * One promotion in the {@code history} key: {@code [timeline, switch_lsn, reason, timestamp, new_leader]}.
 * The last two may be null in entries written by old Patroni versions.
 */
public record HistoryEntry(int timeline, long lsn, String reason, String timestamp, String newLeader) {
}
