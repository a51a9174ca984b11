package io.has.dcs.zk;

import io.has.db.ManagedFiles;
import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;

/**
 * A started Curator {@link TestingServer} whose files live in one directory of its own, removed by
 * {@link #close}. ZooKeeper's embedded server writes a {@code zookeeper.configuration*.properties} file
 * beside its data directory at every start; with {@code new TestingServer(true)} the data directory is
 * a temp directory of Curator's, so those files piled up in /tmp.
 */
public final class OwnDirZooKeeper implements Closeable {

    private final Path dir;
    private final TestingServer server;

    private OwnDirZooKeeper(Path dir, TestingServer server) {
        this.dir = dir;
        this.server = server;
    }

    /** A server on a free port with ZooKeeper's defaults, as {@code new TestingServer(true)} starts it. */
    public static OwnDirZooKeeper start() throws Exception {
        Path dir = Files.createTempDirectory("has-test-zk-");
        try {
            InstanceSpec spec = new InstanceSpec(dir.resolve("data").toFile(), -1, -1, -1, true, -1, -1, -1,
                    Map.of(), null);
            return new OwnDirZooKeeper(dir, new TestingServer(spec, true));
        } catch (Exception | Error e) {
            ManagedFiles.deleteTree(dir);
            throw e;
        }
    }

    public TestingServer server() {
        return server;
    }

    /** Stops the server and removes its directory. */
    @Override
    public void close() throws IOException {
        try {
            server.close();
        } finally {
            ManagedFiles.deleteTree(dir);
        }
    }
}
