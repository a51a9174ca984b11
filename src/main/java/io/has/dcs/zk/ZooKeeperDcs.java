package io.has.dcs.zk;

import io.has.cluster.Cluster;
import io.has.cluster.ClusterStatus;
import io.has.cluster.Failover;
import io.has.cluster.HistoryEntry;
import io.has.cluster.Leader;
import io.has.cluster.Member;
import io.has.cluster.MemberData;
import io.has.cluster.SyncState;
import io.has.cluster.json.ClusterCodec;
import io.has.dcs.Dcs;
import io.has.dcs.DcsException;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Dcs} on ZooKeeper through Curator, with Patroni's key layout and encodings, so that
 * {@code patronictl} can read the cluster.
 *
 * <p><b>Timing.</b> The session timeout is {@code ttl}; the connection timeout is
 * {@code max(1 s, retry_timeout / 2)}. Timing-critical and atomic calls run under one deadline of
 * {@code retry_timeout} (see {@link ZkOps}: bounded waits plus retries with a backoff capped at 1 s) and
 * throw {@link DcsException} when it passes. Best-effort writes ({@link #touchMember},
 * {@link #writeStatus}, {@link #writeHistory}) get one second. {@code loop_wait} sets the connection's
 * read timeout as in Patroni, {@code max(loop_wait - 2, 2)} s ({@link ZkReadTimeout}): the client pings
 * at half of it and leaves a server it heard nothing from for that long.
 *
 * <p><b>Sessions.</b> The leader lock is the ephemeral {@code leader} znode; its lifetime is our
 * session. Ownership is always checked against the current session id, never assumed: after a new
 * session a stale node of ours is deleted and re-created, never silently adopted. A {@code ttl} change
 * in {@link #reconfigure} closes the client and opens a new session, which drops our ephemerals
 * (leader and member); the loop re-acquires and re-publishes next cycle, as Patroni does.
 *
 * <p><b>Watches.</b> One persistent recursive watch on the base path (ZooKeeper 3.6+
 * {@code addWatch}, see {@link ZkConnection}). The server keeps it armed after each event, so nothing
 * needs re-arming after it fires; it is added again after a reconnect or a new session.
 * {@link WakeupFilter} picks the events that matter; those and every connection-state change call the
 * wake-up hook on Curator's or ZooKeeper's event thread. The hook must only signal.
 *
 * <p><b>Reads.</b> {@link #read} reads every key (about ten requests) only when something may have
 * changed; otherwise it answers the previous snapshot after one request, as Patroni 3.0.2's cached
 * cluster does. The watch sees every change under the base, so the snapshot is reused only if (1) the
 * watch was confirmed for the current session before the full read began, (2) no watch or connection
 * event arrived since then, and (3) one fresh read of the {@code leader} znode, answered after every
 * earlier event was delivered (ZooKeeper delivers events and answers in order), agrees with the
 * snapshot's leader. That request also keeps the {@code retry_timeout} bound: a member that cannot reach
 * ZooKeeper fails the read exactly as before.
 *
 * <p>Calls are expected from one thread (the HA loop), except {@link #read}, which REST handlers also
 * call; the hook and state tracking are thread-safe.
 */
public final class ZooKeeperDcs implements Dcs {

    private static final Logger LOG = LoggerFactory.getLogger(ZooKeeperDcs.class);

    private static final long BEST_EFFORT_MS = 1000;

    private final String connectString;
    private final String member;
    private final String prefix;
    private final ZkPaths paths;
    private final WakeupFilter filter;
    private final ZkOps ops;
    private final ClusterReader reader;

    private volatile int ttl;
    private volatile int loopWait;
    private volatile int retryTimeout;
    private volatile ZkConnection conn;
    private volatile Runnable wakeup;
    private volatile boolean closed;

    // Write-skipping memory, valid for one session only.
    private final Object memberKeyLock = new Object();
    private volatile byte[] lastMemberBytes;
    private volatile MemberData lastMemberData; // what lastMemberBytes encodes
    private volatile long lastMemberSession;
    private volatile ClusterStatus lastStatus;

    /**
     * The last full read and what it depends on. REST handlers read too: any thread may replace it, and
     * each snapshot is checked against its own counter value, so the last writer winning is harmless.
     */
    private record Snapshot(ClusterReader.Result result, ZkConnection conn, long session, long changes) {
    }

    private volatile Snapshot snapshot;
    private final AtomicLong fullReads = new AtomicLong();

    /**
     * Creates an unconnected instance; {@link #start} connects.
     *
     * @param connectString ZooKeeper hosts, {@code host:port[,host:port...]}
     * @param basePath      the cluster's base, {@code /<namespace>/<scope>}, e.g. {@code /service/batman}
     * @param memberName    our member name: the {@code leader} value and {@code members/<name>}
     * @param ttl           session timeout in seconds (servers clamp it to 2..20 ticks)
     * @param loopWait      HA loop period in seconds: the connection's read timeout is {@code max(loopWait - 2, 2)}
     * @param retryTimeout  deadline in seconds for timing-critical and atomic calls
     */
    public ZooKeeperDcs(String connectString, String basePath, String memberName, int ttl, int loopWait,
            int retryTimeout) {
        this.connectString = connectString;
        this.member = memberName;
        this.prefix = "[" + memberName + "] ";
        this.paths = new ZkPaths(basePath);
        this.filter = new WakeupFilter(paths);
        this.ops = new ZkOps(this::client, prefix);
        this.reader = new ClusterReader(paths, ops, prefix);
        this.ttl = ttl;
        this.loopWait = loopWait;
        this.retryTimeout = retryTimeout;
    }

    // ---------------------------------------------------------------------------------------------
    // Lifecycle and connection state

    @Override
    public synchronized void start(Runnable wakeupHook) throws DcsException {
        if (closed) {
            throw new IllegalStateException(prefix + "closed");
        }
        if (conn != null) {
            throw new IllegalStateException(prefix + "already started");
        }
        this.wakeup = wakeupHook;
        ZkConnection c = open();
        try {
            if (!c.client.blockUntilConnected(retryTimeout, TimeUnit.SECONDS)) {
                c.close();
                throw new DcsException(prefix + "Could not connect to ZooKeeper " + connectString + " within retry_timeout ("
                        + retryTimeout + " s); check that the ensemble is up and reachable");
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            c.close();
            throw new DcsException(prefix + "interrupted while connecting to ZooKeeper", e);
        }
        conn = c;
        LOG.info("{}Connected to ZooKeeper {} (session 0x{}, ttl {} s), base {}", prefix, connectString,
                Long.toHexString(currentSession()), ttl, paths.base());
    }

    private ZkConnection open() {
        return ZkConnection.open(connectString, ttl, loopWait, retryTimeout, paths.base(), filter, prefix,
                this::signal);
    }

    private void signal() {
        Runnable w = wakeup;
        if (w != null && !closed) {
            try {
                w.run();
            } catch (RuntimeException e) {
                LOG.warn("{}Wake-up hook failed", prefix, e);
            }
        }
    }

    private CuratorFramework client() {
        ZkConnection c = conn;
        if (c == null || closed) {
            throw new IllegalStateException("ZooKeeperDcs is not started or already closed");
        }
        return c.client;
    }

    /** For tests: the Curator client of the current session. */
    CuratorFramework curator() {
        return client();
    }

    @Override
    public boolean isConnected() {
        ZkConnection c = conn;
        return c != null && !closed && c.isConnected();
    }

    @Override
    public long sessionId() {
        return isConnected() ? currentSession() : 0;
    }

    /** The session id of the client's current handle, whatever the connection state (0 if none). */
    private long currentSession() {
        ZkConnection c = conn;
        return c == null || closed ? 0 : c.sessionId();
    }

    /**
     * {@inheritDoc}
     *
     * <p>A new {@code retry_timeout} applies to the next call's deadline at once; the connection timeout
     * derived from it only to the next client. A new {@code ttl} closes the client (the server deletes our
     * {@code leader} and member znodes at once) and opens a new one without waiting for it to connect.
     */
    @Override
    public synchronized void reconfigure(int newTtl, int newLoopWait, int newRetryTimeout) {
        boolean ttlChanged = newTtl != ttl;
        boolean loopWaitChanged = newLoopWait != loopWait;
        ttl = newTtl;
        loopWait = newLoopWait;
        retryTimeout = newRetryTimeout;
        if (conn == null || closed) {
            return;
        }
        if (!ttlChanged) {
            if (loopWaitChanged) {
                conn.readTimeoutFor(newLoopWait); // a longer one takes effect at the next connection
            }
            return;
        }
        // A session timeout cannot change in place: new client, new session; our ephemerals drop.
        LOG.info("{}ttl changed to {} s: reconnecting to ZooKeeper with a new session", prefix, newTtl);
        conn.close();
        lastMemberSession = 0;
        conn = open(); // connects in the background; the next call waits for it within its deadline
    }

    /** The read timeout of the current ZooKeeper connection in milliseconds, -1 if unknown (tests). */
    int readTimeoutMs() {
        ZkConnection c = conn;
        return c == null ? -1 : c.readTimeout();
    }

    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        ZkConnection c = conn;
        if (c != null) {
            c.close();
        }
    }

    private Deadline critical() {
        return Deadline.in(retryTimeout * 1000L);
    }

    // ---------------------------------------------------------------------------------------------
    // Read

    @Override
    public Cluster read() throws DcsException {
        Deadline d = critical();
        ClusterReader.Result r = unchangedSnapshot(d);
        if (r == null) {
            ZkConnection c = conn;
            long session = c == null ? 0 : c.armedSession();
            long changes = c == null ? 0 : c.changes();
            if (c != null && session != c.sessionId()) {
                c.arm(); // not confirmed for this session (yet): ask again, the next read may reuse
            }
            snapshot = null;
            r = reader.read(d);
            fullReads.incrementAndGet();
            if (c != null && session != 0 && session == c.sessionId()) {
                snapshot = new Snapshot(r, c, session, changes);
            }
        }
        Cluster cluster = r.cluster();
        if (r.statusKey() != null) {
            lastStatus = r.statusKey();
        }
        // Someone deleted our member key, or it belongs to an older session: do not skip the next touch.
        long session = currentSession();
        Optional<Member> me = cluster.member(member);
        if (me.isEmpty() || me.get().session() != session) {
            lastMemberSession = 0;
        }
        return cluster;
    }

    /** The previous full read if nothing under the base can have changed since, else null. */
    private ClusterReader.Result unchangedSnapshot(Deadline d) throws DcsException {
        Snapshot s = snapshot;
        if (s == null || !unchanged(s)) {
            return null;
        }
        // One round trip: its answer comes after every event the server sent before it, and it proves
        // the connection works within retry_timeout, as a full read would.
        CuratorEvent e = ops.getData(paths.leader(), d);
        Code rc = ZkOps.code(e);
        if (rc != Code.OK && rc != Code.NONODE) {
            throw ops.unexpected(e);
        }
        if (!unchanged(s)) {
            return null;
        }
        Leader cached = s.result().cluster().leader();
        boolean same = rc == Code.NONODE ? cached == null
                : cached != null && cached.session() == e.getStat().getEphemeralOwner()
                        && cached.version() == e.getStat().getVersion();
        if (!same) {
            // cannot happen while the watch works; read everything rather than trust the snapshot
            LOG.warn("{}leader key changed without a watch event; reading the whole cluster", prefix);
            return null;
        }
        return s.result();
    }

    private boolean unchanged(Snapshot s) {
        ZkConnection c = conn;
        return c == s.conn() && !closed && c.changes() == s.changes() && c.armedSession() == s.session()
                && c.sessionId() == s.session();
    }

    /** For tests: how many times every key was read. */
    long fullReads() {
        return fullReads.get();
    }

    // ---------------------------------------------------------------------------------------------
    // Leader lock

    @Override
    public boolean attemptToAcquireLeader() throws DcsException {
        Deadline d = critical();
        CuratorEvent e = ops.create(paths.leader(), bytes(member), CreateMode.EPHEMERAL, d);
        Code rc = ZkOps.code(e);
        if (rc == Code.OK) {
            LOG.info("{}Acquired the leader lock", prefix);
            return true;
        }
        if (rc != Code.NODEEXISTS) {
            throw ops.unexpected(e);
        }
        // A create retried after a connection loss may have succeeded the first time.
        CuratorEvent g = ops.getData(paths.leader(), d);
        if (ZkOps.code(g) == Code.OK && g.getStat().getEphemeralOwner() == currentSession()
                && member.equals(text(g.getData()))) {
            return true;
        }
        LOG.info("{}Could not take out TTL lock", prefix);
        return false;
    }

    @Override
    public boolean updateLeader() throws DcsException {
        Deadline d = critical();
        CuratorEvent e = ops.getData(paths.leader(), d);
        Code rc = ZkOps.code(e);
        if (rc == Code.NONODE) {
            return attemptToAcquireLeader();
        }
        if (rc != Code.OK) {
            throw ops.unexpected(e);
        }
        if (!member.equals(text(e.getData()))) {
            return false;
        }
        Stat stat = e.getStat();
        if (stat.getEphemeralOwner() == currentSession()) {
            return true;
        }
        LOG.warn("{}Recreating the leader ZNode due to ownership mismatch (owner 0x{}, our session 0x{})", prefix,
                Long.toHexString(stat.getEphemeralOwner()), Long.toHexString(currentSession()));
        CuratorEvent del = ops.delete(paths.leader(), stat.getVersion(), d);
        Code drc = ZkOps.code(del);
        if (drc == Code.BADVERSION) {
            return false; // somebody rewrote it meanwhile: not ours to take
        }
        if (drc != Code.OK && drc != Code.NONODE) {
            throw ops.unexpected(del);
        }
        return attemptToAcquireLeader();
    }

    @Override
    public void releaseLeader() throws DcsException {
        Deadline d = critical();
        CuratorEvent e = ops.getData(paths.leader(), d);
        if (ZkOps.code(e) == Code.NONODE) {
            return;
        }
        if (ZkOps.code(e) != Code.OK) {
            throw ops.unexpected(e);
        }
        if (e.getStat().getEphemeralOwner() != currentSession()) {
            return;
        }
        CuratorEvent del = ops.delete(paths.leader(), e.getStat().getVersion(), d);
        Code rc = ZkOps.code(del);
        if (rc != Code.OK && rc != Code.NONODE && rc != Code.BADVERSION) {
            throw ops.unexpected(del);
        }
        LOG.info("{}Released the leader lock", prefix);
    }

    // ---------------------------------------------------------------------------------------------
    // Atomic writes

    @Override
    public boolean initialize(String value, boolean create) throws DcsException {
        String path = paths.key(ZkPaths.INITIALIZE);
        if (create) {
            return ops.createIfAbsent(path, bytes(value), critical());
        }
        ops.setOrCreate(path, bytes(value), critical());
        return true;
    }

    @Override
    public void cancelInitialization() throws DcsException {
        CuratorEvent e = ops.delete(paths.key(ZkPaths.INITIALIZE), -1, critical());
        if (ZkOps.code(e) != Code.OK && ZkOps.code(e) != Code.NONODE) {
            throw ops.unexpected(e);
        }
    }

    @Override
    public boolean setConfig(Map<String, Object> value, int version) throws DcsException {
        return ops.createOrCas(paths.key(ZkPaths.CONFIG), bytes(ClusterCodec.encodeConfig(value)), version, critical());
    }

    @Override
    public boolean setFailover(Failover failover, int version) throws DcsException {
        byte[] data = bytes(ClusterCodec.encodeFailover(failover));
        String path = paths.key(ZkPaths.FAILOVER);
        if (version < 0) {
            ops.setOrCreate(path, data, critical());
            return true;
        }
        return ops.createOrCas(path, data, version, critical());
    }

    @Override
    public boolean setSync(SyncState sync, int version) throws DcsException {
        return ops.createOrCas(paths.key(ZkPaths.SYNC), bytes(ClusterCodec.encodeSync(sync)), version, critical());
    }

    @Override
    public void deleteCluster() throws DcsException {
        Deadline d = critical();
        while (true) {
            CuratorEvent e = ops.deleteRecursive(paths.base(), d);
            Code rc = ZkOps.code(e);
            if (rc == Code.OK || rc == Code.NONODE) {
                LOG.info("{}Deleted cluster {}", prefix, paths.base());
                return;
            }
            if (rc != Code.NOTEMPTY || d.expired()) {
                throw ops.unexpected(e); // NOTEMPTY: a member re-registered during the delete
            }
        }
    }

    // ---------------------------------------------------------------------------------------------
    // Best-effort writes

    /** Writes the member key; the HA loop and a bootstrapping long action may both call it. */
    @Override
    public void touchMember(MemberData data) throws DcsException {
        synchronized (memberKeyLock) {
            writeMember(data);
        }
    }

    private void writeMember(MemberData data) throws DcsException {
        long session = currentSession();
        if (session != 0 && session == lastMemberSession && data.equals(lastMemberData)) {
            return; // the usual idle cycle: not even encoded
        }
        byte[] value = bytes(ClusterCodec.encodeMember(data));
        if (session != 0 && session == lastMemberSession && Arrays.equals(value, lastMemberBytes)) {
            lastMemberData = data;
            return;
        }
        Deadline d = Deadline.in(BEST_EFFORT_MS);
        String path = paths.member(member);
        if (session != 0 && session == lastMemberSession) {
            // we created it in this session: a plain set is enough
            CuratorEvent e = ops.setData(path, value, -1, d);
            if (ZkOps.code(e) == Code.OK) {
                remember(value, data, session);
                return;
            }
        }
        CuratorEvent e = ops.create(path, value, CreateMode.EPHEMERAL, d);
        if (ZkOps.code(e) == Code.NODEEXISTS) {
            CuratorEvent g = ops.getData(path, d);
            if (ZkOps.code(g) == Code.OK && g.getStat().getEphemeralOwner() == session) {
                e = ops.setData(path, value, g.getStat().getVersion(), d);
            } else {
                if (ZkOps.code(g) == Code.OK) {
                    LOG.info("{}Recreating member key owned by session 0x{}", prefix,
                            Long.toHexString(g.getStat().getEphemeralOwner()));
                    ops.delete(path, g.getStat().getVersion(), d);
                }
                e = ops.create(path, value, CreateMode.EPHEMERAL, d);
            }
        }
        if (ZkOps.code(e) != Code.OK) {
            throw ops.unexpected(e);
        }
        remember(value, data, session);
    }

    private void remember(byte[] value, MemberData data, long session) {
        lastMemberBytes = value;
        lastMemberData = data;
        lastMemberSession = session;
    }

    @Override
    public void writeStatus(ClusterStatus status) throws DcsException {
        if (status.equals(lastStatus)) {
            return;
        }
        ops.setOrCreate(paths.key(ZkPaths.STATUS), bytes(ClusterCodec.encodeStatus(status)), Deadline.in(BEST_EFFORT_MS));
        lastStatus = status;
    }

    @Override
    public void writeFailsafe(Map<String, String> failsafe) throws DcsException {
        ops.setOrCreate(paths.key(ZkPaths.FAILSAFE), bytes(ClusterCodec.encodeFailsafe(failsafe)),
                Deadline.in(BEST_EFFORT_MS));
    }

    @Override
    public void writeHistory(List<HistoryEntry> history) throws DcsException {
        ops.setOrCreate(paths.key(ZkPaths.HISTORY), bytes(ClusterCodec.encodeHistory(history)), Deadline.in(BEST_EFFORT_MS));
    }

    // ---------------------------------------------------------------------------------------------
    // Helpers

    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    private static String text(byte[] data) {
        return data == null ? "" : new String(data, StandardCharsets.UTF_8);
    }
}
