package io.has.it.faults;

import io.has.db.ManagedFiles;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.curator.test.InstanceSpec;
import org.apache.zookeeper.util.ServiceUtils;

/** The 3-server ZooKeeper ensembles of the fault tests, and their four-letter commands. */
final class ZkEnsemble {

    static {
        // a server of the test's ensemble that meets a fatal error (one is killed on purpose) must not end
        // the test JVM, and every test class after it, with System.exit: ZooKeeper then only logs it
        ServiceUtils.setSystemExitProcedure(ServiceUtils.LOG_ONLY);
    }

    private ZkEnsemble() {
    }

    /**
     * Three servers on loopback, tick 1 s, sessions up to 60 s, every four-letter command allowed. Their
     * data directories live in a directory of their own that the guard removes after the class: ZooKeeper
     * writes a configuration file beside a server's data directory at every start.
     */
    static List<InstanceSpec> threeServers(FaultGuard guard) throws IOException {
        Path dir = Files.createTempDirectory("has-test-ensemble-");
        guard.register((AutoCloseable) () -> ManagedFiles.deleteTree(dir)); // first in, so closed after the servers
        List<InstanceSpec> specs = new ArrayList<>();
        for (int id = 1; id <= 3; id++) {
            specs.add(new InstanceSpec(Files.createDirectory(dir.resolve("zk" + id)).toFile(), -1, -1, -1, true, id,
                    1000, -1, Map.of("maxSessionTimeout", "60000", "admin.enableServer", "false",
                            "4lw.commands.whitelist", "*"), "127.0.0.1"));
        }
        return specs;
    }

    /** A four-letter command's answer, or the error in parentheses. */
    static String fourLetters(InstanceSpec s, String command) {
        try (Socket sock = new Socket()) {
            sock.connect(new InetSocketAddress("127.0.0.1", s.getPort()), 1000);
            sock.setSoTimeout(2000);
            OutputStream out = sock.getOutputStream();
            out.write(command.getBytes(StandardCharsets.US_ASCII));
            out.flush();
            return new String(sock.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            return "(" + e + ")";
        }
    }
}
