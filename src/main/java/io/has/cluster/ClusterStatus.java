package io.has.cluster;

import java.util.Map;

/**
 * The {@code status} key: the leader's last published WAL position and slot positions.
 *
 * @param optime WAL position of the leader (0 when unknown)
 * @param slots  slot name to LSN; never null
 */
public record ClusterStatus(long optime, Map<String, Long> slots) {

    public static final ClusterStatus EMPTY = new ClusterStatus(0, Map.of());

    public ClusterStatus {
        slots = slots == null ? Map.of() : Map.copyOf(slots);
    }
}
