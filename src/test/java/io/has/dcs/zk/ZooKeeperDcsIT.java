package io.has.dcs.zk;

import static java.util.concurrent.TimeUnit.SECONDS;
import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTimeoutPreemptively;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.cluster.Cluster;
import io.has.cluster.ClusterStatus;
import io.has.cluster.Failover;
import io.has.cluster.HistoryEntry;
import io.has.cluster.Member;
import io.has.cluster.MemberData;
import io.has.cluster.PgState;
import io.has.cluster.Role;
import io.has.cluster.SyncState;
import io.has.dcs.DcsException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.CreateMode;
import org.apache.zookeeper.Watcher.Event.KeeperState;
import org.apache.zookeeper.ZooKeeper;
import org.apache.zookeeper.data.Stat;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInfo;
import org.junit.jupiter.api.Timeout;

/**
 * {@link ZooKeeperDcs} against a real in-process ZooKeeper (Curator TestingServer: tickTime 1 s,
 * session timeouts clamped to 2..20 s, so ttl stays at 10).
 */
@Timeout(120)
class ZooKeeperDcsIT {

    private static final int TTL = 10;
    private static final int LOOP_WAIT = 2;
    private static final int RETRY_TIMEOUT = 3;

    private OwnDirZooKeeper zk;
    private TestingServer server;
    private String base;
    private CuratorFramework raw;
    private final List<ZooKeeperDcs> opened = new ArrayList<>();

    @BeforeAll
    static void quietCurator() {
        ZkConnection.quietCuratorLogging(); // before the first Curator client of this JVM, as in the daemon
    }

    @BeforeEach
    void setUp(TestInfo info) throws Exception {
        zk = OwnDirZooKeeper.start();
        server = zk.server();
        base = "/service/" + info.getTestMethod().orElseThrow().getName();
        raw = CuratorFrameworkFactory.newClient(server.getConnectString(), 10_000, 3_000, new RetryOneTime(100));
        raw.start();
        raw.blockUntilConnected(10, SECONDS);
    }

    @AfterEach
    void tearDown() throws Exception {
        opened.forEach(ZooKeeperDcs::close);
        raw.close();
        zk.close();
    }

    private ZooKeeperDcs member(String name, Runnable wakeup) throws DcsException {
        ZooKeeperDcs dcs = new ZooKeeperDcs(server.getConnectString(), base, name, TTL, LOOP_WAIT, RETRY_TIMEOUT);
        opened.add(dcs);
        dcs.start(wakeup);
        return dcs;
    }

    private ZooKeeperDcs member(String name) throws DcsException {
        return member(name, () -> { });
    }

    private static MemberData data(String state, Role role, long lsn) {
        return new MemberData("postgres://127.0.0.1:5432/postgres", "http://127.0.0.1:8008/patroni",
                PgState.fromWire(state), role, "3.0.2", Map.of(), lsn, 1, false);
    }

    /** Expires a session on the server: a second handle joins it and closes it (ephemerals go at once). */
    private void expireSession(CuratorFramework client) throws Exception {
        ZooKeeper zk = client.getZookeeperClient().getZooKeeper();
        CountDownLatch connected = new CountDownLatch(1);
        ZooKeeper killer = new ZooKeeper(server.getConnectString(), TTL * 1000, e -> {
            if (e.getState() == KeeperState.SyncConnected) {
                connected.countDown();
            }
        }, zk.getSessionId(), zk.getSessionPasswd());
        assertTrue(connected.await(10, SECONDS));
        killer.close();
    }

    private Stat stat(String key) throws Exception {
        return raw.checkExists().forPath(base + "/" + key);
    }

    // ---------------------------------------------------------------------------------------------

    @Test
    void lockIsTakenByOneMemberOnly() throws Exception {
        ZooKeeperDcs a = member("a");
        ZooKeeperDcs b = member("b");

        assertTrue(a.attemptToAcquireLeader());
        assertFalse(b.attemptToAcquireLeader());
        assertTrue(a.updateLeader());
        assertFalse(b.updateLeader());

        Cluster c = b.read();
        assertEquals("a", c.leader().name());
        assertEquals(a.sessionId(), c.leader().session());
        assertEquals("a", new String(raw.getData().forPath(base + "/leader"), StandardCharsets.UTF_8));
        assertTrue(stat("leader").getEphemeralOwner() != 0);

        b.releaseLeader(); // not ours: a no-op
        assertNotNull(stat("leader"));
        a.releaseLeader();
        assertNull(stat("leader"));
        assertTrue(b.attemptToAcquireLeader());
    }

    @Test
    void curatorRunsOnThreadsOfHasOwnFactory() throws Exception {
        // HAS's factory, not Curator's default one (shaded Guava's ThreadFactoryBuilder); the connection-state
        // thread is there once the client started
        member("a");
        List<String> names = Thread.getAllStackTraces().keySet().stream().map(Thread::getName).toList();
        assertTrue(names.stream().anyMatch(n -> n.startsWith("has-zk-")), "threads: " + names);
    }

    @Test
    void lockIsLostWhenTheHolderSessionExpires() throws Exception {
        ZooKeeperDcs a = member("a");
        ZooKeeperDcs b = member("b");
        assertTrue(a.attemptToAcquireLeader());
        long oldSession = a.sessionId();

        expireSession(a.curator());

        await().atMost(10, SECONDS).until(() -> b.read().isUnlocked());
        assertTrue(b.attemptToAcquireLeader());
        await().atMost(15, SECONDS).until(() -> a.sessionId() != 0 && a.sessionId() != oldSession);
        assertFalse(a.updateLeader());
        assertFalse(a.attemptToAcquireLeader());
        assertEquals(b.sessionId(), a.read().leader().session());
    }

    @Test
    void staleLeaderNodeOfOursIsRecreatedWithOurSession() throws Exception {
        ZooKeeperDcs a = member("a");
        // "a" from another session, as after a reconnect with a new session before the old one expired
        raw.create().creatingParentsIfNeeded().withMode(CreateMode.EPHEMERAL)
                .forPath(base + "/leader", "a".getBytes(StandardCharsets.UTF_8));
        assertEquals(raw.getZookeeperClient().getZooKeeper().getSessionId(), stat("leader").getEphemeralOwner());

        assertTrue(a.updateLeader());

        assertEquals(a.sessionId(), stat("leader").getEphemeralOwner());
        assertEquals(a.sessionId(), a.read().leader().session());
        assertTrue(a.updateLeader());
    }

    @Test
    void updateLeaderRecreatesAMissingLockButNotSomeoneElses() throws Exception {
        ZooKeeperDcs a = member("a");
        assertTrue(a.updateLeader()); // missing: created
        a.releaseLeader();
        raw.create().withMode(CreateMode.EPHEMERAL).forPath(base + "/leader", "x".getBytes(StandardCharsets.UTF_8));
        assertFalse(a.updateLeader());
        assertFalse(a.attemptToAcquireLeader());
    }

    @Test
    void watchesWakeOtherMembers() throws Exception {
        AtomicInteger wakeups = new AtomicInteger();
        Set<Thread> wakeupThreads = ConcurrentHashMap.newKeySet();
        ZooKeeperDcs b = member("b", () -> {
            wakeupThreads.add(Thread.currentThread());
            wakeups.incrementAndGet();
        });
        await().atMost(5, SECONDS).until(() -> wakeups.get() >= 1); // the CONNECTED event
        ZooKeeperDcs a = member("a");

        wakeups.set(0);
        assertTrue(a.attemptToAcquireLeader());
        await().atMost(5, SECONDS).until(() -> wakeups.get() > 0);

        wakeups.set(0);
        a.releaseLeader();
        await().atMost(5, SECONDS).until(() -> wakeups.get() > 0);

        wakeups.set(0);
        assertTrue(a.setConfig(Map.of("ttl", 30), -1));
        await().atMost(5, SECONDS).until(() -> wakeups.get() > 0);

        wakeups.set(0);
        assertTrue(a.setConfig(Map.of("ttl", 20), b.read().config().version()));
        await().atMost(5, SECONDS).until(() -> wakeups.get() > 0);

        wakeups.set(0);
        assertTrue(a.setFailover(new Failover("a", "b", null, -1), -1));
        await().atMost(5, SECONDS).until(() -> wakeups.get() > 0);

        wakeups.set(0);
        assertTrue(a.setFailover(Failover.NONE, -1));
        await().atMost(5, SECONDS).until(() -> wakeups.get() > 0);

        wakeups.set(0);
        member("c").touchMember(data("running", Role.REPLICA, 1));
        await().atMost(5, SECONDS).until(() -> wakeups.get() > 0);

        assertFalse(wakeupThreads.contains(Thread.currentThread())); // only Curator/ZooKeeper threads
    }

    @Test
    void startFailsWithinRetryTimeoutWhenZooKeeperIsDown() throws Exception {
        server.stop();
        ZooKeeperDcs a = new ZooKeeperDcs(server.getConnectString(), base, "a", TTL, LOOP_WAIT, RETRY_TIMEOUT);
        opened.add(a);
        assertTimeoutPreemptively(Duration.ofSeconds(RETRY_TIMEOUT + 10),
                () -> assertThrows(DcsException.class, () -> a.start(() -> { })));
        assertFalse(a.isConnected());
        assertEquals(0, a.sessionId());

        server.restart();
        a.start(() -> { }); // may be retried after a failure
        assertTrue(a.isConnected());
    }

    @Test
    void memberLeavingWakesOthers() throws Exception {
        AtomicInteger wakeups = new AtomicInteger();
        ZooKeeperDcs b = member("b", wakeups::incrementAndGet);
        ZooKeeperDcs c = member("c");
        c.touchMember(data("running", Role.REPLICA, 1));
        await().atMost(5, SECONDS).until(() -> b.read().member("c").isPresent());
        wakeups.set(0);
        c.close();
        await().atMost(5, SECONDS).until(() -> wakeups.get() > 0);
        assertTrue(b.read().member("c").isEmpty());
    }

    @Test
    void connectionLossMakesReadFailAndRecovers() throws Exception {
        AtomicInteger wakeups = new AtomicInteger();
        ZooKeeperDcs a = member("a", wakeups::incrementAndGet);
        assertTrue(a.isConnected());
        a.read();

        server.stop();
        assertTimeoutPreemptively(Duration.ofSeconds(RETRY_TIMEOUT + 10),
                () -> assertThrows(DcsException.class, a::read));
        assertThrows(DcsException.class, a::updateLeader);
        await().atMost(10, SECONDS).until(() -> !a.isConnected());
        assertEquals(0, a.sessionId());
        assertTrue(wakeups.get() > 0);

        server.restart();
        await().atMost(30, SECONDS).ignoreExceptions().until(() -> a.read() != null);
        await().atMost(10, SECONDS).until(a::isConnected);
        assertTrue(a.attemptToAcquireLeader());
    }

    @Test
    void garbageInEveryKeyDoesNotBreakRead() throws Exception {
        ZooKeeperDcs a = member("a");
        byte[] garbage = {(byte) 0xff, (byte) 0xfe, '{', 'x', 0};
        for (String key : List.of("initialize", "config", "history", "sync", "members/x", "status",
                "optime/leader", "failover")) {
            raw.create().creatingParentsIfNeeded().forPath(base + "/" + key, garbage);
        }
        raw.create().withMode(CreateMode.EPHEMERAL).forPath(base + "/leader", garbage);

        Cluster c = a.read();
        a.read(); // warned once; reading again is quiet and still fine

        assertNotNull(c.initialize());
        assertFalse(c.hasValidSysid());
        assertTrue(c.config().value().isEmpty());
        assertEquals(0, c.config().version());
        assertNull(c.history());
        assertEquals(0, c.timeline());
        assertEquals(new SyncState(null, List.of(), 0), c.sync());
        assertTrue(c.failover().isEmpty());
        assertEquals(0, c.failover().version());
        assertEquals(ClusterStatus.EMPTY, c.status());
        assertFalse(c.isUnlocked()); // an unreadable lock is still a lock
        Member x = c.member("x").orElseThrow();
        assertEquals(PgState.UNKNOWN, x.data().state());
        assertNull(x.data().role());

        // valid UTF-8, wrong shapes
        for (String key : List.of("config", "history", "sync", "members/x", "status", "failover")) {
            raw.setData().forPath(base + "/" + key, "[\"x\",{}]".getBytes(StandardCharsets.UTF_8));
        }
        raw.setData().forPath(base + "/optime/leader", "1234".getBytes(StandardCharsets.UTF_8));
        c = a.read();
        assertTrue(c.config().value().isEmpty());
        assertNull(c.history());
        assertEquals(new ClusterStatus(1234, Map.of()), c.status()); // legacy fallback
        assertEquals(PgState.UNKNOWN, c.member("x").orElseThrow().data().state());

        // and the leader can CAS-overwrite garbage
        assertTrue(a.setSync(new SyncState("a", List.of("x"), -1), c.sync().version()));
        assertTrue(a.setFailover(Failover.NONE, c.failover().version()));
        assertEquals(List.of("x"), a.read().sync().syncStandby());
    }

    @Test
    void initializeRaceHasExactlyOneWinner() throws Exception {
        ZooKeeperDcs a = member("a");
        ZooKeeperDcs b = member("b");
        CompletableFuture<Boolean> fa = CompletableFuture.supplyAsync(() -> initialize(a));
        CompletableFuture<Boolean> fb = CompletableFuture.supplyAsync(() -> initialize(b));
        assertTrue(fa.get() ^ fb.get());
        assertEquals("", a.read().initialize());

        ZooKeeperDcs winner = fa.get() ? a : b;
        assertTrue(winner.initialize("7710701428579163618", false));
        assertTrue(b.read().hasValidSysid());

        winner.cancelInitialization();
        assertNull(a.read().initialize());
        assertTrue(b.initialize("7710701428579163618", false)); // overwrite creates when missing
        assertEquals("7710701428579163618", a.read().initialize());
    }

    private static boolean initialize(ZooKeeperDcs dcs) {
        try {
            return dcs.initialize("", true);
        } catch (DcsException e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void configCasRejectsStaleVersions() throws Exception {
        ZooKeeperDcs a = member("a");
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("ttl", 30);
        config.put("loop_wait", 10);
        config.put("postgresql", Map.of("use_slots", true));
        assertTrue(a.setConfig(config, -1));
        assertFalse(a.setConfig(config, -1)); // exists

        Cluster.ConfigKey read = a.read().config();
        assertEquals(config, read.value());
        assertEquals(List.of("ttl", "loop_wait", "postgresql"), new ArrayList<>(read.value().keySet()));
        assertEquals("{\"ttl\":30,\"loop_wait\":10,\"postgresql\":{\"use_slots\":true}}",
                new String(raw.getData().forPath(base + "/config"), StandardCharsets.UTF_8));

        assertTrue(a.setConfig(Map.of("ttl", 20), read.version()));
        assertFalse(a.setConfig(Map.of("ttl", 40), read.version()));
        Cluster.ConfigKey again = a.read().config();
        assertEquals(Map.of("ttl", 20), again.value());
        assertTrue(again.mzxid() > read.mzxid());
    }

    @Test
    void syncAndFailoverUseVersions() throws Exception {
        ZooKeeperDcs a = member("a");
        assertTrue(a.setSync(new SyncState("a", List.of("c", "b"), -1), -1));
        assertFalse(a.setSync(new SyncState("a", List.of(), -1), -1));
        SyncState sync = a.read().sync();
        assertEquals(new SyncState("a", List.of("b", "c"), 0), sync);
        assertEquals("{\"leader\":\"a\",\"sync_standby\":\"b,c\"}",
                new String(raw.getData().forPath(base + "/sync"), StandardCharsets.UTF_8));
        assertTrue(a.setSync(SyncState.EMPTY, sync.version()));
        assertFalse(a.setSync(new SyncState("a", List.of("b"), -1), sync.version()));

        OffsetDateTime at = OffsetDateTime.of(2030, 1, 2, 3, 4, 5, 0, ZoneOffset.UTC);
        assertTrue(a.setFailover(new Failover("a", "b", at, -1), -1));
        Failover f = a.read().failover();
        assertEquals(new Failover("a", "b", at, 0), f);
        assertTrue(a.setFailover(Failover.NONE, f.version()));
        assertFalse(a.setFailover(new Failover("a", "c", null, -1), f.version()));
        assertTrue(a.read().failover().isEmpty());
        assertEquals("{}", new String(raw.getData().forPath(base + "/failover"), StandardCharsets.UTF_8));
    }

    @Test
    void touchMemberWritesOnlyChangesAndOwnsItsKey() throws Exception {
        ZooKeeperDcs a = member("a");
        a.touchMember(data("running", Role.PRIMARY, 100));
        Stat s = stat("members/a");
        assertEquals(a.sessionId(), s.getEphemeralOwner());
        assertEquals(0, s.getVersion());

        a.touchMember(data("running", Role.PRIMARY, 100));
        assertEquals(0, stat("members/a").getVersion()); // unchanged: not written

        a.touchMember(data("running", Role.PRIMARY, 200));
        assertEquals(1, stat("members/a").getVersion());
        Member m = a.read().member("a").orElseThrow();
        assertEquals(200L, m.data().xlogLocation());
        assertEquals(Role.PRIMARY, m.data().role());
        assertEquals(a.sessionId(), m.session());

        // a key of ours owned by another session is replaced
        raw.delete().forPath(base + "/members/a");
        raw.create().withMode(CreateMode.EPHEMERAL).forPath(base + "/members/a", "{}".getBytes(StandardCharsets.UTF_8));
        a.read(); // notices the foreign owner
        a.touchMember(data("running", Role.PRIMARY, 200));
        assertEquals(a.sessionId(), stat("members/a").getEphemeralOwner());
        assertEquals(200L, a.read().member("a").orElseThrow().data().xlogLocation());
    }

    @Test
    void statusHistoryAndDelete() throws Exception {
        ZooKeeperDcs a = member("a");
        a.writeStatus(new ClusterStatus(100, Map.of("s", 5L)));
        assertEquals(0, stat("status").getVersion());
        a.writeStatus(new ClusterStatus(100, Map.of("s", 5L)));
        assertEquals(0, stat("status").getVersion()); // equal to the last written: skipped
        a.writeStatus(new ClusterStatus(101, Map.of()));
        assertEquals(1, stat("status").getVersion());
        assertEquals(new ClusterStatus(101, Map.of()), a.read().status());

        List<HistoryEntry> history = List.of(new HistoryEntry(1, 67311712, "no recovery target specified",
                "2026-11-21T19:01:26.524776+00:00", "pg2"));
        a.writeHistory(List.of());
        assertEquals(1, a.read().timeline());
        a.writeHistory(history);
        assertEquals(history, a.read().history());
        assertEquals(2, a.read().timeline());

        a.deleteCluster();
        assertNull(raw.checkExists().forPath(base));
        assertEquals(Cluster.EMPTY, a.read());
    }

    @Test
    void readTimeoutIsPatronisOnEveryConnectionAndFollowsLoopWait() throws Exception {
        // the client's own would be two thirds of the session timeout (6.7 s); Patroni's is max(2 - 2, 2) s
        ZooKeeperDcs a = member("a");
        await().atMost(10, SECONDS).until(() -> a.readTimeoutMs() == 2000);
        long session = a.sessionId();

        a.reconfigure(TTL, 5, RETRY_TIMEOUT); // 3 s: never raised in place, so from the next connection on
        assertEquals(2000, a.readTimeoutMs());
        server.restart(); // the client reconnects within its session and sets its own value first
        await().atMost(15, SECONDS).until(() -> a.readTimeoutMs() == 3000);
        assertEquals(session, a.sessionId());

        a.reconfigure(TTL, LOOP_WAIT, RETRY_TIMEOUT); // lowered in place
        assertEquals(2000, a.readTimeoutMs());
    }

    @Test
    void ttlChangeStartsANewSessionAndDropsEphemerals() throws Exception {
        ZooKeeperDcs a = member("a");
        assertTrue(a.attemptToAcquireLeader());
        a.touchMember(data("running", Role.PRIMARY, 1));
        long before = a.sessionId();

        a.reconfigure(TTL, 5, RETRY_TIMEOUT); // same ttl: same session
        assertEquals(before, a.sessionId());

        a.reconfigure(8, LOOP_WAIT, RETRY_TIMEOUT);
        await().atMost(10, SECONDS).until(() -> a.sessionId() != 0 && a.sessionId() != before);
        await().atMost(5, SECONDS).until(() -> stat("leader") == null && stat("members/a") == null);
        assertTrue(a.updateLeader());
        a.touchMember(data("running", Role.PRIMARY, 1)); // same data, new session: written again
        assertEquals(a.sessionId(), stat("members/a").getEphemeralOwner());
    }

    @Test
    void closeRemovesEphemeralsAtOnce() throws Exception {
        ZooKeeperDcs a = member("a");
        ZooKeeperDcs b = member("b");
        assertTrue(a.attemptToAcquireLeader());
        a.touchMember(data("running", Role.PRIMARY, 1));
        assertNotEquals(0, a.sessionId());
        a.close();
        assertFalse(a.isConnected());
        assertEquals(0, a.sessionId());
        await().atMost(5, SECONDS).until(() -> b.read().isUnlocked() && b.read().members().isEmpty());
        assertThrows(DcsException.class, a::read);
    }

    // ---------------------------------------------------------------------------------------------
    // Reads that reuse the previous snapshot

    /** Reads until one is answered from the previous snapshot (the watch is confirmed in the background). */
    private static void awaitReuse(ZooKeeperDcs dcs) {
        await().atMost(10, SECONDS).until(() -> {
            long before = dcs.fullReads();
            dcs.read();
            return dcs.fullReads() == before;
        });
    }

    private void setMember(String name, MemberData d) throws Exception {
        raw.setData().forPath(base + "/members/" + name,
                io.has.cluster.json.ClusterCodec.encodeMember(d).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void unchangedClusterIsAnsweredFromTheSnapshotAndEveryChangeIsSeenAtOnce() throws Exception {
        ZooKeeperDcs a = member("a");
        ZooKeeperDcs b = member("b");
        assertTrue(a.attemptToAcquireLeader());
        a.touchMember(data("running", Role.PRIMARY, 100));
        b.touchMember(data("running", Role.REPLICA, 100));
        awaitReuse(a);
        long full = a.fullReads();
        Cluster idle = a.read();
        assertEquals(full, a.fullReads(), "nothing changed: one request, no full read");
        assertEquals(100L, idle.member("b").orElseThrow().data().xlogLocation());

        // another client's write is visible in the very next read (the watch event precedes the answer)
        setMember("b", data("running", Role.REPLICA, 200));
        assertEquals(200L, a.read().member("b").orElseThrow().data().xlogLocation());
        assertEquals(full + 1, a.fullReads());

        // a new key, a deleted member, the leader key released and taken by someone else
        raw.create().forPath(base + "/failover", "{\"leader\": \"a\", \"member\": \"b\"}".getBytes(StandardCharsets.UTF_8));
        assertEquals("b", a.read().failover().candidate());
        b.close();
        await().atMost(10, SECONDS).until(() -> stat("members/b") == null);
        assertTrue(a.read().member("b").isEmpty());
        a.releaseLeader();
        ZooKeeperDcs c = member("c");
        assertTrue(c.attemptToAcquireLeader());
        assertEquals("c", a.read().leader().name());

        // and quiet again: reused
        awaitReuse(a);
    }

    @Test
    void ownWritesAreReadBack() throws Exception {
        ZooKeeperDcs a = member("a");
        a.touchMember(data("running", Role.PRIMARY, 100));
        awaitReuse(a);
        a.touchMember(data("running", Role.PRIMARY, 300));
        assertEquals(300L, a.read().member("a").orElseThrow().data().xlogLocation());
        a.writeStatus(new ClusterStatus(300, Map.of()));
        assertEquals(new ClusterStatus(300, Map.of()), a.read().status());
    }

    @Test
    void connectionLossDropsTheSnapshot() throws Exception {
        ZooKeeperDcs a = member("a");
        ZooKeeperDcs b = member("b");
        b.touchMember(data("running", Role.REPLICA, 100));
        awaitReuse(a);
        long full = a.fullReads();

        server.stop();
        assertThrows(DcsException.class, a::read);
        server.restart();
        await().atMost(30, SECONDS).ignoreExceptions().until(() -> a.read() != null);
        assertTrue(a.fullReads() > full, "the first read after a disconnection reads every key");
        await().atMost(30, SECONDS).ignoreExceptions().until(() -> raw.checkExists().forPath(base) != null);
        awaitReuse(a);
        setMember("b", data("running", Role.REPLICA, 400));
        assertEquals(400L, a.read().member("b").orElseThrow().data().xlogLocation());
    }

    @Test
    void newSessionRearmsTheWatchBeforeTheSnapshotIsTrustedAgain() throws Exception {
        ZooKeeperDcs a = member("a");
        ZooKeeperDcs b = member("b");
        b.touchMember(data("running", Role.REPLICA, 100));
        awaitReuse(a);
        long before = a.sessionId();

        expireSession(a.curator());
        // written while a's session is being replaced, before its new watch exists
        setMember("b", data("running", Role.REPLICA, 500));
        await().atMost(30, SECONDS).ignoreExceptions()
                .until(() -> a.sessionId() != 0 && a.sessionId() != before
                        && a.read().member("b").orElseThrow().data().xlogLocation() == 500L);

        awaitReuse(a); // the watch of the new session is confirmed
        setMember("b", data("running", Role.REPLICA, 600));
        assertEquals(600L, a.read().member("b").orElseThrow().data().xlogLocation());
    }
}
