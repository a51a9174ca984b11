package io.has.db;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.cluster.HostPort;
import io.has.config.HasConfig;
import io.has.db.postgres.PostgresDialect;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class LocalConnectorTest {

    private static LocalConnector connector(String password) {
        HasConfig.Credentials su = new HasConfig.Credentials("postgres", password, null);
        HasConfig.Postgresql pg = new HasConfig.Postgresql("127.0.0.1", 1, new HostPort("127.0.0.1", 1),
                Path.of("/d/data"), null, null, 60, "postgres", su, su, null, Map.of(), List.of(), false, List.of(),
                List.of());
        return new LocalConnector(new PostgresDialect(null, 15), pg);
    }

    private static List<Thread> peers() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().startsWith("has-jdbc-warm-up-peer") && t.isAlive()).toList();
    }

    @Test
    void theWarmUpDrivesTheDriverAgainstASocketOfItsOwnAndEndsWithItsPeer() throws Exception {
        for (String password : new String[] {"secret", null}) {
            int sent = connector(password).warmUpInBackground().get(20, TimeUnit.SECONDS);
            assertTrue(sent > 0, "the driver sent its first message to the warm-up's socket: " + sent);
            for (Thread peer : peers()) {
                peer.join(20_000);
            }
            assertTrue(peers().isEmpty(), "the peer ends when the driver closes or the warm-up closes its socket");
        }
    }
}
