package io.has.cluster;

import java.util.List;

/**
 * The {@code sync} key.
 *
 * @param leader       the leader that wrote it, or null
 * @param syncStandby  sorted member names (empty when none)
 * @param version      znode version (-1 when absent)
 */
public record SyncState(String leader, List<String> syncStandby, int version) {

    public static final SyncState EMPTY = new SyncState(null, List.of(), -1);

    public SyncState {
        syncStandby = syncStandby == null ? List.of() : List.copyOf(syncStandby);
    }

    public boolean matches(String name) {
        return name != null && (name.equals(leader) || syncStandby.contains(name));
    }
}
