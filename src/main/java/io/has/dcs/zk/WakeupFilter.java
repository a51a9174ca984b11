package io.has.dcs.zk;

import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.EventType;

/**
 * Which znode events under the base path wake the HA loop, following Patroni 3.0.2's watches
 * (reference patroni.md §1.9): children of the base (any key created or deleted, including the
 * {@code leader}), children of {@code members} (a member joins or leaves), and data changes of
 * {@code leader}, {@code config}, {@code failover} and {@code sync}. Member data and {@code status}
 * change every cycle and are deliberately not watched; they are read on the next cycle.
 */
final class WakeupFilter {

    private final ZkPaths paths;

    WakeupFilter(ZkPaths paths) {
        this.paths = paths;
    }

    boolean wakes(WatchedEvent e) {
        String path = e.getPath();
        if (path == null) {
            return false;
        }
        EventType type = e.getType();
        if (type == EventType.NodeCreated || type == EventType.NodeDeleted) {
            String parent = ZkPaths.parent(path);
            return path.equals(paths.base()) || parent.equals(paths.base()) || parent.equals(paths.members());
        }
        if (type == EventType.NodeDataChanged) {
            return path.equals(paths.leader())
                    || path.equals(paths.key(ZkPaths.CONFIG))
                    || path.equals(paths.key(ZkPaths.FAILOVER))
                    || path.equals(paths.key(ZkPaths.SYNC));
        }
        return false;
    }
}
