package io.has.dcs.zk;

import io.has.util.Threads;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.retry.RetryNTimes;
import org.apache.zookeeper.AddWatchMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.WatchedEvent;
import org.apache.zookeeper.Watcher;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Curator client with its wake-up watch. A client keeps one ZooKeeper session at a time (Curator
 * opens a new one after LOST); the whole connection is replaced when {@code ttl} changes, because a
 * session timeout cannot change in place.
 *
 * <p>Settings: session timeout {@code ttl}; connection timeout {@code max(1 s, retry_timeout / 2)}; no
 * Curator-level retries ({@link ZkOps} retries under its own deadline); {@link ConnectionPolicy} as the
 * error policy; {@link ZkClientSettings} (no TLS stack unless asked for). The watch is one persistent
 * recursive watch on the base path (ZooKeeper 3.6+ {@code addWatch}): the server keeps it armed after
 * every event, the ZooKeeper client re-registers it after a reconnect within the session, and it is added
 * again on every (re)connection, which covers a new session. Events chosen by {@link WakeupFilter} and every connection-state change call {@code signal}
 * on Curator's or ZooKeeper's event thread.
 *
 * <p><b>Change tracking</b> (what lets {@link ZooKeeperDcs#read} reuse its last snapshot). Every event the
 * watch delivers bumps {@link #changes()}: any znode created, deleted or changed under the base, and
 * every connection event of the handle (disconnected, reconnected, expired), since a persistent watch
 * does not replay what changed while the client was away. {@link #armedSession()} is the session whose
 * {@code addWatch} the server confirmed. The watch's events and the answers to background calls are
 * delivered in order on ZooKeeper's one event thread, so once the answer to a request has arrived, every
 * change the server made before handling that request has been counted.
 */
final class ZkConnection {

    private static final Logger LOG = LoggerFactory.getLogger(ZkConnection.class);
    private static final String LOG_ONLY_FIRST = "curator-log-only-first-connection-issue-as-error-level";

    static {
        quietCuratorLogging();
    }

    final CuratorFramework client;
    private final String basePath;
    private final String prefix;
    private final AtomicLong changes = new AtomicLong();
    private final Watcher watcher;
    private volatile ConnectionState lastState;
    private volatile long armedSession;
    private volatile boolean closed;
    private volatile int readTimeoutMs;

    private ZkConnection(CuratorFramework client, String basePath, String prefix, WakeupFilter filter,
            Runnable signal) {
        this.client = client;
        this.basePath = basePath;
        this.prefix = prefix;
        this.watcher = event -> onEvent(event, filter, signal);
    }

    private void onEvent(WatchedEvent event, WakeupFilter filter, Runnable signal) {
        changes.incrementAndGet(); // first: the counter must move before anyone can see the change
        if (filter.wakes(event)) {
            signal.run();
        }
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
    static ZkConnection open(String connectString, int ttl, int loopWait, int retryTimeout, String basePath,
            WakeupFilter filter, String prefix, Runnable signal) {
        CuratorFramework client = CuratorFrameworkFactory.builder()
                .connectString(connectString)
                .sessionTimeoutMs(ttl * 1000)
                .connectionTimeoutMs(Math.max(1000, retryTimeout * 500))
                .retryPolicy(new RetryNTimes(0, 0))
                .connectionStateErrorPolicy(ConnectionPolicy.INSTANCE)
                .zkClientConfig(ZkClientSettings.fromSystemProperties())
                // the hosts of the configuration are the ensemble, as for Patroni (kazoo): no watch on
                // /zookeeper/config rewriting the connect string (and ~60 fewer classes loaded)
                .ensembleTracker(false)
                // threads named has-zk-N like the rest of HAS's; Curator's own factory (shaded Guava's
                // ThreadFactoryBuilder, String.format(Locale.ROOT, ...)) is then never loaded
                .threadFactory(Threads.factory("zk"))
                .build();
        ZkConnection c = new ZkConnection(client, basePath, prefix, filter, signal);
        c.readTimeoutMs = ZkReadTimeout.forLoopWait(loopWait);
        client.getConnectionStateListenable().addListener((cf, state) -> {
            c.lastState = state;
            c.changes.incrementAndGet();
            LOG.info("{}ZooKeeper connection {}", prefix, state);
            if (state.isConnected()) {
                c.applyReadTimeout(); // the client reset it on connecting
                c.arm(); // a new session has no watch; within the same session this is a no-op
            }
            signal.run();
        });
        client.start();
        c.arm();
        return c;
    }

    /**
     * Adds the persistent recursive watch (in the background); the session it was added in counts as
     * armed once the server confirms. Safe to call again: the server and the client keep one registration.
     */
    void arm() {
        if (closed) {
            return;
        }
        long session = sessionId();
        try {
            client.watchers().add().withMode(AddWatchMode.PERSISTENT_RECURSIVE).inBackground((cf, e) -> {
                // only if the handle that answered is still the one we asked through
                if (e.getResultCode() == Code.OK.intValue() && session != 0 && session == sessionId()) {
                    armedSession = session;
                }
            }).usingWatcher(watcher).forPath(basePath);
        } catch (Exception e) {
            LOG.debug("{}could not add the watch on {}: {}", prefix, basePath, e.toString());
        }
    }

    /**
     * Sets Patroni's read timeout for {@code loopWait} on the current connection and on later ones
     * ({@link ZkReadTimeout}).
     */
    void readTimeoutFor(int loopWait) {
        readTimeoutMs = ZkReadTimeout.forLoopWait(loopWait);
        applyReadTimeout();
    }

    /** The read timeout in force on the current connection, in milliseconds (-1: unknown). */
    int readTimeout() {
        try {
            return ZkReadTimeout.current(client.getZookeeperClient().getZooKeeper());
        } catch (Exception e) {
            return -1;
        }
    }

    private void applyReadTimeout() {
        try {
            ZkReadTimeout.apply(client.getZookeeperClient().getZooKeeper(), readTimeoutMs);
        } catch (Exception e) {
            LOG.debug("{}no ZooKeeper handle to set the read timeout on: {}", prefix, e.toString());
        }
    }

    /** Count of watch and connection events so far; any change under the base moves it. */
    long changes() {
        return changes.get();
    }

    /** The session whose watch the server confirmed, or 0. */
    long armedSession() {
        return armedSession;
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
        closed = true;
        changes.incrementAndGet();
        client.close(); // the session ends, and the server drops its watches with it
    }
}
