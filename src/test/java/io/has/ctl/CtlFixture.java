package io.has.ctl;

import io.has.api.RestFixtures;
import io.has.api.RestServer;
import io.has.api.RestSettings;
import io.has.api.TestControl;
import io.has.api.ZkCluster;
import io.has.cluster.Cluster;
import io.has.cluster.HostPort;
import io.has.cluster.Role;
import io.has.config.HasConfig;
import java.util.List;
import java.util.Map;

/**
 * The cluster hasctl talks to in tests: "batman" in a real ZooKeeper with pg1 leading, every member's
 * api_url pointing at one real REST server (pg1's, backed by a {@link TestControl}).
 */
final class CtlFixture implements AutoCloseable {

    final ZkCluster zk;
    TestControl control;
    private RestServer server;

    CtlFixture() throws Exception {
        zk = new ZkCluster();
    }

    String connectString() {
        return zk.connectString();
    }

    String apiUrl() {
        return "http://127.0.0.1:" + server.address().getPort() + "/patroni";
    }

    void start(String user, String password) throws Exception {
        control = new TestControl(zk.session("pg1"));
        server = new RestServer(new RestSettings(new HasConfig.RestApi(new HostPort("127.0.0.1", 0), null, user, password),
                null, null, null, null, "none", List.of(), false), RestFixtures::leaderSnapshot, control,
                () -> RestFixtures.NOW);
        server.start();
        zk.standard(apiUrl(), apiUrl(), apiUrl());
    }

    /** What each member's loop does after a config change: publish the pause flag in its member key. */
    void publishPause() {
        try {
            Cluster c = zk.read();
            boolean pause = Boolean.TRUE.equals(c.config().value().get("pause"));
            String leader = c.leader() == null ? "" : c.leader().name();
            int port = 5432;
            for (String name : List.of("pg1", "pg2", "pg3")) {
                zk.member(name, name.equals(leader) ? Role.PRIMARY : Role.REPLICA, port++, apiUrl(), Map.of(), pause);
            }
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Override
    public void close() throws Exception {
        server.close();
        zk.close();
    }
}
