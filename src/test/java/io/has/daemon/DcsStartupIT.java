package io.has.daemon;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.dcs.zk.OwnDirZooKeeper;
import io.has.dcs.zk.ZooKeeperDcs;
import org.apache.curator.test.TestingServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/** {@link DcsStartup} against a real in-process ZooKeeper (Curator TestingServer). */
@Timeout(60)
class DcsStartupIT {

    private OwnDirZooKeeper zk;
    private TestingServer server;
    private ZooKeeperDcs dcs;

    @BeforeEach
    void setUp() throws Exception {
        zk = OwnDirZooKeeper.start();
        server = zk.server();
        dcs = new ZooKeeperDcs(server.getConnectString(), "/service/startup", "pg1", 10, 2, 3);
    }

    @AfterEach
    void tearDown() throws Exception {
        dcs.close();
        zk.close();
    }

    @Test
    void connectsOnItsOwnThread() throws Exception {
        DcsStartup startup = new DcsStartup("pg1", dcs, () -> { });
        startup.start();
        assertTrue(startup.await());
        assertTrue(dcs.isConnected());
    }

    @Test
    void connectsOnceZooKeeperIsUp() throws Exception {
        server.stop();
        DcsStartup startup = new DcsStartup("pg1", dcs, () -> { });
        startup.start();
        server.restart(); // within the first attempt's retry_timeout, or else at the retry 5 s later
        assertTrue(startup.await());
        assertTrue(dcs.isConnected());
    }

    @Test
    void aShutdownEndsTheAttemptsWhileZooKeeperIsDown() throws Exception {
        server.stop();
        DcsStartup startup = new DcsStartup("pg1", dcs, () -> { });
        startup.start();
        startup.cancel();
        assertFalse(startup.await());
        assertFalse(dcs.isConnected());
    }
}
