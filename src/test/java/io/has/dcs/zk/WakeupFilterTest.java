package io.has.dcs.zk;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher.Event.EventType;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.junit.jupiter.api.Test;

class WakeupFilterTest {

    private final WakeupFilter filter = new WakeupFilter(new ZkPaths("/service/batman"));

    private boolean wakes(EventType type, String path) {
        return filter.wakes(new WatchedEvent(type, KeeperState.SyncConnected, path));
    }

    @Test
    void keysCreatedOrDeletedWake() {
        assertTrue(wakes(EventType.NodeCreated, "/service/batman"));
        assertTrue(wakes(EventType.NodeDeleted, "/service/batman/leader"));
        assertTrue(wakes(EventType.NodeCreated, "/service/batman/initialize"));
        assertTrue(wakes(EventType.NodeCreated, "/service/batman/members/pg2"));
        assertTrue(wakes(EventType.NodeDeleted, "/service/batman/members/pg2"));
    }

    @Test
    void onlyWatchedKeysWakeOnDataChanges() {
        for (String key : new String[] {"leader", "config", "failover", "sync"}) {
            assertTrue(wakes(EventType.NodeDataChanged, "/service/batman/" + key), key);
        }
        for (String key : new String[] {"status", "history", "initialize", "members/pg1", "optime/leader"}) {
            assertFalse(wakes(EventType.NodeDataChanged, "/service/batman/" + key), key);
        }
    }

    @Test
    void otherClustersAndConnectionEventsDoNotWake() {
        assertFalse(wakes(EventType.NodeCreated, "/service/batman2/leader"));
        assertFalse(wakes(EventType.NodeCreated, "/service/batman/optime/leader"));
        assertFalse(filter.wakes(new WatchedEvent(EventType.None, KeeperState.Disconnected, null)));
    }
}
