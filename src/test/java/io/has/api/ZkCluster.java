package io.has.api;

import io.has.cluster.Cluster;
import io.has.cluster.MemberData;
import io.has.cluster.PgState;
import io.has.cluster.Role;
import io.has.dcs.DcsException;
import io.has.dcs.zk.OwnDirZooKeeper;
import io.has.dcs.zk.ZooKeeperDcs;
import java.util.LinkedHashMap;
import java.util.Map;
import org.apache.curator.test.TestingServer;

/**
 * A Patroni-layout cluster "batman" in a real in-process ZooKeeper: one {@link ZooKeeperDcs} session
 * per member (so member and leader keys are real ephemerals), the golden config, pg1 holding the lock.
 */
public final class ZkCluster implements AutoCloseable {

    public static final String BASE = "/service/batman";

    private final OwnDirZooKeeper own;
    public final TestingServer zk;
    final Map<String, ZooKeeperDcs> sessions = new LinkedHashMap<>();

    public ZkCluster() throws Exception {
        own = OwnDirZooKeeper.start();
        zk = own.server();
    }

    public String connectString() {
        return zk.getConnectString();
    }

    public ZooKeeperDcs session(String member) throws DcsException {
        ZooKeeperDcs d = sessions.get(member);
        if (d == null) {
            d = new ZooKeeperDcs(zk.getConnectString(), BASE, member, 30, 10, 10);
            d.start(() -> { });
            sessions.put(member, d);
        }
        return d;
    }

    /** Publishes a member key whose api_url is {@code apiUrl}. */
    public void member(String name, Role role, int pgPort, String apiUrl, Map<String, Object> tags) throws DcsException {
        member(name, role, pgPort, apiUrl, tags, false);
    }

    /** As above, with the member's {@code pause} flag. */
    public void member(String name, Role role, int pgPort, String apiUrl, Map<String, Object> tags, boolean pause)
            throws DcsException {
        session(name).touchMember(new MemberData("postgres://127.0.0.1:" + pgPort + "/postgres", apiUrl,
                PgState.RUNNING, role, RestFixtures.VERSION, tags, RestFixtures.LSN, 1, pause));
    }

    /** pg1 leader, pg2 and pg3 replicas (api_urls as given), golden config, sysid. */
    public void standard(String api1, String api2, String api3) throws DcsException {
        session("pg1").initialize(RestFixtures.SYSID, true);
        session("pg1").setConfig(new LinkedHashMap<>(RestFixtures.goldenConfig()), -1);
        member("pg1", Role.PRIMARY, 5432, api1, Map.of());
        member("pg2", Role.REPLICA, 5433, api2, Map.of());
        member("pg3", Role.REPLICA, 5434, api3, Map.of());
        session("pg1").attemptToAcquireLeader();
    }

    public Cluster read() throws DcsException {
        return session("reader").read();
    }

    /** What the HA loop would do for a switchover: the lock moves from {@code from} to {@code to}, the key clears. */
    public void moveLeader(String from, String to) {
        try {
            session(from).releaseLeader();
            session(to).attemptToAcquireLeader();
            session(to).setFailover(io.has.cluster.Failover.NONE, -1);
        } catch (DcsException e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        for (ZooKeeperDcs d : sessions.values()) {
            d.close();
        }
        own.close();
    }
}
