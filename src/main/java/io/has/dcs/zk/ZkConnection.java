package io.has.dcs.zk;

import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.recipes.watch.PersistentWatcher;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Curator client with its wake-up watch. A client keeps one ZooKeeper session at a time (Curator
 * opens a new one after LOST); the whole connection is replaced when {@code ttl} changes, because a
 * session timeout cannot change in place.
 *
 * <p>Settings: session timeout {@code ttl}; connection timeout {@code max(1 s, retry_timeout / 2)}; no
 * Curator-level retries ({@link ZkOps} retries under its own deadline); {@link ConnectionPolicy} as the
 * error policy. The watch is one persistent recursive watch on the base path (ZooKeeper 3.6+
 * {@code addWatch}, through Curator's {@link PersistentWatcher}): the server keeps it armed after every
 * event and Curator re-adds it after a reconnect or a new session. Events chosen by {@link WakeupFilter}
 * and every connection-state change call {@code signal} on Curator's or ZooKeeper's event thread.
 */
final class ZkConnection {

    private static final Logger LOG = LoggerFactory.getLogger(ZkConnection.class);
    private static final String LOG_ONLY_FIRST = "curator-log-only-first-connection-issue-as-error-level";

    static {
        quietCuratorLogging();
    }

    final CuratorFramework client;
    private final PersistentWatcher watcher;
    private volatile ConnectionState lastState;

    private ZkConnection(CuratorFramework client, PersistentWatcher watcher) {
        this.client = client;
        this.watcher = watcher;
    }

    /**
     * With retries done by {@link ZkOps}, Curator would log every failed attempt during an outage as an
     * ERROR with a stack trace. This keeps only the first one per connection-state change, unless the
     * operator set the property. It only works before Curator's {@code CuratorFrameworkImpl} class is
     * loaded (it reads the property into a static final), hence the static initialiser.
     */
    static void quietCuratorLogging() {
        if (System.getProperty(LOG_ONLY_FIRST) == null) {
            System.setProperty(LOG_ONLY_FIRST, "true");
        }
    }

    /** Builds and starts the client and the watch; does not wait for the connection. */
    static ZkConnection open(String connectString, int ttl, int retryTimeout, String basePath, WakeupFilter filter,
            String prefix, Runnable signal) {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs(ttl * 1000)
                .connectionTimeoutMs(Math.max(1000, retryTimeout * 500))
                .retryPolicy(new RetryNTimes(0, 0))
                .connectionStateErrorPolicy(ConnectionPolicy.INSTANCE)
                .build();
        ZkConnection c = new ZkConnection(client, new PersistentWatcher(client, basePath, true));
        client.getConnectionStateListenable().addListener((cf, state) -> {
            c.lastState = state;
            LOG.info("{}ZooKeeper connection {}", prefix, state);
            signal.run();
        });
        c.watcher.getListenable().addListener(event -> {
            if (filter.wakes(event)) {
                signal.run();
            }
        });
        client.start();
        c.watcher.start();
        return c;
    }

    /** Not SUSPENDED or LOST, and the ZooKeeper handle is connected. */
    boolean isConnected() {
        return ConnectionPolicy.INSTANCE.isUsable(lastState) && client.getZookeeperClient().isConnected();
    }

    /** The session id of the current handle, whatever the connection state (0 if there is none). */
    long sessionId() {
        try {
            return client.getZookeeperClient().getZooKeeper().getSessionId();
        } catch (Exception e) {
            return 0;
        }
    }

    /** Closes the session: the server deletes our ephemerals at once. */
    void close() {
        watcher.close();
        client.close();
    }
}
