package io.has.cluster;

import java.time.OffsetDateTime;

/**
 * The {@code failover} key: a requested switchover (leader set) or failover (candidate only).
 *
 * @param leader      switchover source, or null
 * @param candidate   target member ({@code member} on the wire), or null
 * @param scheduledAt when to act, or null for now
 * @param version     znode version (-1 when the key does not exist)
 */
public record Failover(String leader, String candidate, OffsetDateTime scheduledAt, int version) {

    public static final Failover NONE = new Failover(null, null, null, -1);

    /** Patroni treats a key without leader and candidate as empty. */
    public boolean isEmpty() {
        return (leader == null || leader.isEmpty()) && (candidate == null || candidate.isEmpty());
    }
}
