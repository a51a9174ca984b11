package io.has.dcs.zk;

import java.lang.reflect.Field;
import org.apache.zookeeper.ClientCnxn;
import org.apache.zookeeper.ZooKeeper;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Patroni's read timeout for the ZooKeeper connection: {@code max(loop_wait - 2, 2)} seconds.
 *
 * <p>The client sends a ping when it has sent nothing for about half its read timeout, and when it has
 * heard nothing from the server for a whole read timeout it drops the connection and moves to the next
 * server of the ensemble, within the same session. The Java client derives the read timeout from the
 * session timeout (two thirds of it: 20 s with ttl 30) and has no setting for it. A server that hangs
 * without closing the connection (stopped process, lost network path) then went unnoticed for longer
 * than {@code retry_timeout}: the leader's calls failed for the whole {@code retry_timeout} and it
 * demoted, although two servers of three were fine. Patroni (kazoo) pings at half of
 * {@code max(loop_wait - 2, 2)} s and gives up on a server after that read timeout; HAS does the same by
 * setting the client's {@code ClientCnxn.readTimeout} after each connection (the client sets it itself
 * on every connection, from the negotiated session timeout). The value is only ever lowered.
 *
 * <p>The field is private to the ZooKeeper client (3.9): when it is missing (another client version),
 * HAS says so once and keeps the client's own timeout. {@code ZooKeeperDcsIT} checks the value in force.
 */
final class ZkReadTimeout {

    private static final Logger LOG = LoggerFactory.getLogger(ZkReadTimeout.class);
    private static final Field CNXN;
    private static final Field READ_TIMEOUT;
    private static volatile boolean warned;

    static {
        Field cnxn = null;
        Field readTimeout = null;
        try {
            cnxn = ZooKeeper.class.getDeclaredField("cnxn");
            readTimeout = ClientCnxn.class.getDeclaredField("readTimeout");
            cnxn.setAccessible(true);
            readTimeout.setAccessible(true);
        } catch (ReflectiveOperationException | RuntimeException e) {
            cnxn = null;
            readTimeout = null;
            LOG.warn("this ZooKeeper client has no read timeout HAS can set ({}): a hung ZooKeeper server is "
                    + "left after two thirds of ttl instead of max(loop_wait - 2, 2) s", e.toString());
            warned = true;
        }
        CNXN = cnxn;
        READ_TIMEOUT = readTimeout;
    }

    private ZkReadTimeout() {
    }

    /** Patroni's read timeout for {@code loop_wait} seconds, in milliseconds. */
    static int forLoopWait(int loopWait) {
        return Math.max(loopWait - 2, 2) * 1000;
    }

    /** The connection's read timeout in milliseconds (0 before its first connection), or -1. */
    static int current(ZooKeeper zk) {
        return apply(zk, 0);
    }

    /**
     * Lowers the connection's read timeout to {@code millis}; returns the timeout in force afterwards, or
     * -1 when it cannot be read (no connection object, or a client without the field).
     */
    static int apply(ZooKeeper zk, int millis) {
        if (CNXN == null || zk == null) {
            return -1;
        }
        try {
            Object cnxn = CNXN.get(zk);
            if (cnxn == null) {
                return -1;
            }
            int current = READ_TIMEOUT.getInt(cnxn);
            // 0 until the first connection: the client sets its own value then, and the connection event
            // that follows lowers it
            if (millis > 0 && current > millis) {
                READ_TIMEOUT.setInt(cnxn, millis);
                return millis;
            }
            return current;
        } catch (IllegalAccessException | RuntimeException e) {
            if (!warned) {
                warned = true;
                LOG.warn("cannot set the ZooKeeper client's read timeout: {}", e.toString());
            }
            return -1;
        }
    }
}
