package io.has.dcs.zk;

import org.apache.curator.framework.state.ConnectionState;
import org.apache.curator.framework.state.ConnectionStateErrorPolicy;

/**
 * The one place that decides what a Curator connection state means for HAS (like Curator's
 * {@code StandardConnectionStateErrorPolicy}): SUSPENDED and LOST are errors, so
 * {@link ZooKeeperDcs#isConnected()} is false in both.
 *
 * <p>For a leader, SUSPENDED already means "cannot renew": ZooKeeper will expire the session, and so
 * delete the leader znode, {@code ttl} seconds after the server last heard from us, whether or not
 * Curator has declared LOST yet. The HA loop must therefore stop acting as primary when a
 * timing-critical call fails within {@code retry_timeout}; it never waits for LOST. Every state change
 * also wakes the loop (see {@link ZooKeeperDcs}).
 */
final class ConnectionPolicy implements ConnectionStateErrorPolicy {

    static final ConnectionPolicy INSTANCE = new ConnectionPolicy();

    private ConnectionPolicy() {
    }

    @Override
    public boolean isErrorState(ConnectionState state) {
        return state == ConnectionState.SUSPENDED || state == ConnectionState.LOST;
    }

    /** True when the last state seen (null before the first) allows using the client. */
    boolean isUsable(ConnectionState last) {
        return last == null || !isErrorState(last);
    }
}
