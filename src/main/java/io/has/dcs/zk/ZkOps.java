package io.has.dcs.zk;

import io.has.dcs.DcsException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Supplier;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.BackgroundCallback;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;

/**
 * Single ZooKeeper operations bounded by a {@link Deadline}.
 *
 * <p>Each operation is issued through Curator's background API and awaited on a future for at most the
 * time left, so a call returns or throws by its deadline even when a request is stuck on a half-open
 * connection (ZooKeeper's own read timeout is 2/3 of the session timeout, longer than
 * {@code retry_timeout}). Curator itself is configured not to retry; transient failures
 * (connection loss, session expired/moved, operation timeout) are retried here with a backoff from
 * 100 ms doubling to 1 s (kazoo's command retry in Patroni), as long as time is left. Result codes
 * that are answers (NONODE, NODEEXISTS, BADVERSION, NOTEMPTY) are returned to the caller.
 *
 * <p>A request that timed out locally may still be executed by the server later (as with kazoo); the
 * callers' next read observes its effect.
 */
final class ZkOps {

    /** Starts one background operation that reports to {@code callback}. */
    @FunctionalInterface
    interface Start {
        void start(CuratorFramework client, BackgroundCallback callback) throws Exception;
    }

    private static final long FIRST_BACKOFF_MS = 100;
    private static final long MAX_BACKOFF_MS = 1000;

    private final Supplier<CuratorFramework> client;
    private final String prefix;

    /**
     * @param client the current client; asked again on every attempt (it changes on reconfigure)
     * @param prefix log and message prefix naming the member, e.g. {@code "[pg1] "}
     */
    ZkOps(Supplier<CuratorFramework> client, String prefix) {
        this.client = client;
        this.prefix = prefix;
    }

    CuratorEvent getData(String path, Deadline d) throws DcsException {
        return call("get " + path, d, (c, cb) -> c.getData().inBackground(cb).forPath(path));
    }

    CuratorEvent getChildren(String path, Deadline d) throws DcsException {
        return call("list " + path, d, (c, cb) -> c.getChildren().inBackground(cb).forPath(path));
    }

    /** Creates with any missing parents (persistent, empty data, as kazoo's makepath does). */
    CuratorEvent create(String path, byte[] data, CreateMode mode, Deadline d) throws DcsException {
        return call("create " + path, d,
                (c, cb) -> c.create().creatingParentsIfNeeded().withMode(mode).inBackground(cb).forPath(path, data));
    }

    /** Sets data; {@code version} -1 means any version. */
    CuratorEvent setData(String path, byte[] data, int version, Deadline d) throws DcsException {
        return call("set " + path, d, (c, cb) -> c.setData().withVersion(version).inBackground(cb).forPath(path, data));
    }

    /** Deletes; {@code version} -1 means any version. */
    CuratorEvent delete(String path, int version, Deadline d) throws DcsException {
        return call("delete " + path, d, (c, cb) -> c.delete().withVersion(version).inBackground(cb).forPath(path));
    }

    CuratorEvent deleteRecursive(String path, Deadline d) throws DcsException {
        return call("delete -r " + path, d,
                (c, cb) -> c.delete().deletingChildrenIfNeeded().inBackground(cb).forPath(path));
    }

    /** Persistent create; false when the key exists. */
    boolean createIfAbsent(String path, byte[] data, Deadline d) throws DcsException {
        CuratorEvent e = create(path, data, CreateMode.PERSISTENT, d);
        Code rc = code(e);
        if (rc == Code.OK || rc == Code.NODEEXISTS) {
            return rc == Code.OK;
        }
        throw unexpected(e);
    }

    /** {@code version} -1: create (false when it exists); otherwise set if the version still matches. */
    boolean createOrCas(String path, byte[] data, int version, Deadline d) throws DcsException {
        if (version < 0) {
            return createIfAbsent(path, data, d);
        }
        CuratorEvent e = setData(path, data, version, d);
        Code rc = code(e);
        if (rc == Code.OK) {
            return true;
        }
        if (rc == Code.BADVERSION || rc == Code.NONODE) {
            return false;
        }
        throw unexpected(e);
    }

    /** Unconditional set, creating the key (and parents) if missing. */
    void setOrCreate(String path, byte[] data, Deadline d) throws DcsException {
        CuratorEvent e = setData(path, data, -1, d);
        if (code(e) == Code.NONODE) {
            e = create(path, data, CreateMode.PERSISTENT, d);
            if (code(e) == Code.NODEEXISTS) {
                e = setData(path, data, -1, d);
            }
        }
        if (code(e) != Code.OK) {
            throw unexpected(e);
        }
    }

    static Code code(CuratorEvent e) {
        return Code.get(e.getResultCode());
    }

    /** Error for a result code the caller did not expect (for example NOAUTH). */
    DcsException unexpected(CuratorEvent e) {
        return new DcsException(prefix + e.getType() + " " + e.getPath() + " failed: " + code(e));
    }

    private CuratorEvent call(String what, Deadline d, Start start) throws DcsException {
        long backoff = FIRST_BACKOFF_MS;
        Code last = null;
        while (!d.expired()) {
            CompletableFuture<CuratorEvent> result = new CompletableFuture<>();
            try {
                start.start(client.get(), (c, event) -> result.complete(event));
            } catch (Exception e) {
                // IllegalStateException once the client is closed; anything else is equally fatal here
                throw new DcsException(prefix + what + " could not be started: " + e, e);
            }
            CuratorEvent event;
            try {
                event = result.get(Math.max(1, d.remainingMs()), TimeUnit.MILLISECONDS);
            } catch (TimeoutException e) {
                break;
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DcsException(prefix + what + " interrupted", e);
            } catch (ExecutionException e) {
                // the callback only ever completes normally
                throw new IllegalStateException(e);
            }
            last = code(event);
            if (!isTransient(last)) {
                return event;
            }
            if (d.remainingMs() <= backoff) {
                break;
            }
            try {
                Thread.sleep(backoff);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                throw new DcsException(prefix + what + " interrupted", e);
            }
            backoff = Math.min(2 * backoff, MAX_BACKOFF_MS);
        }
        throw new DcsException(prefix + what + " did not complete before its deadline"
                + (last == null ? "" : " (last error: " + last + ")"));
    }

    private static boolean isTransient(Code c) {
        return c == Code.CONNECTIONLOSS
                || c == Code.OPERATIONTIMEOUT
                || c == Code.SESSIONEXPIRED
                || c == Code.SESSIONMOVED;
    }
}
