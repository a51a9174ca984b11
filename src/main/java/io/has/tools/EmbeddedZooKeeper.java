package io.has.tools;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import org.apache.zookeeper.client.FourLetterWordMain;
import org.apache.zookeeper.server.embedded.ExitHandler;
import org.apache.zookeeper.server.embedded.ZooKeeperServerEmbedded;

/**
 * A single standalone ZooKeeper server for a laptop demo or CI, standing in for a real ensemble.
 *
 * <pre>
 * java -cp has.jar io.has.tools.EmbeddedZooKeeper --port 2181 --data-dir DIR [--tick-time 1000]
 *      [--max-session-timeout 60000] [--host 127.0.0.1]
 * </pre>
 *
 * <p>Prints {@code ZooKeeper ready on <host>:<port>} on stdout once the server answers the
 * {@code ruok} four-letter word, then serves until SIGTERM or SIGINT, closes the server and exits.
 * All four-letter words are enabled; the admin server is disabled. Exit status: 0 after a signal
 * (the JVM reports 143/130), 1 when the server cannot start, 2 on a usage error.
 *
 * <p>This is not a production ZooKeeper: one node, no quorum, no authentication.
 */
public final class EmbeddedZooKeeper {

    private static final Duration READY_DEADLINE = Duration.ofSeconds(60);

    private EmbeddedZooKeeper() {
    }

    /** Parsed command line. */
    record Options(String host, int port, Path dataDir, int tickTime, int maxSessionTimeout) {

        static Options parse(String[] args) {
            String host = "127.0.0.1";
            Integer port = null;
            Path dataDir = null;
            int tickTime = 1000;
            int maxSessionTimeout = 60_000;
            for (int i = 0; i < args.length; i++) {
                String arg = args[i];
                switch (arg) {
                    case "--port" -> port = parseInt(arg, value(args, ++i, arg));
                    case "--data-dir" -> dataDir = Path.of(value(args, ++i, arg));
                    case "--tick-time" -> tickTime = parseInt(arg, value(args, ++i, arg));
                    case "--max-session-timeout" -> maxSessionTimeout = parseInt(arg, value(args, ++i, arg));
                    case "--host" -> host = value(args, ++i, arg);
                    case "-h", "--help" -> throw new UsageException(null);
                    default -> throw new UsageException("unknown argument: " + arg);
                }
            }
            if (port == null || port < 1 || port > 65535) {
                throw new UsageException("--port 1..65535 is required");
            }
            if (dataDir == null) {
                throw new UsageException("--data-dir is required");
            }
            if (tickTime < 1) {
                throw new UsageException("--tick-time must be positive");
            }
            if (maxSessionTimeout < 2 * tickTime) {
                throw new UsageException("--max-session-timeout must be at least 2 x --tick-time");
            }
            return new Options(host, port, dataDir.toAbsolutePath(), tickTime, maxSessionTimeout);
        }

        private static String value(String[] args, int i, String option) {
            if (i >= args.length) {
                throw new UsageException(option + " needs a value");
            }
            return args[i];
        }

        private static int parseInt(String option, String value) {
            try {
                return Integer.parseInt(value);
            } catch (NumberFormatException e) {
                throw new UsageException(option + ": not a number: " + value);
            }
        }

        /** ZooKeeper server properties (zoo.cfg keys). */
        Properties toProperties() {
            Properties p = new Properties();
            p.setProperty("tickTime", Integer.toString(tickTime));
            p.setProperty("clientPort", Integer.toString(port));
            p.setProperty("clientPortAddress", host);
            p.setProperty("dataDir", dataDir.resolve("data").toString());
            p.setProperty("minSessionTimeout", Integer.toString(2 * tickTime));
            p.setProperty("maxSessionTimeout", Integer.toString(maxSessionTimeout));
            p.setProperty("maxClientCnxns", "0");
            // unknown keys become zookeeper.* system properties (QuorumPeerConfig.parseProperties)
            p.setProperty("admin.enableServer", "false");
            p.setProperty("4lw.commands.whitelist", "*");
            return p;
        }
    }

    static final class UsageException extends RuntimeException {
        UsageException(String message) {
            super(message);
        }
    }

    public static void main(String[] args) {
        Options options;
        try {
            options = Options.parse(args);
        } catch (UsageException e) {
            PrintStream out = e.getMessage() == null ? System.out : System.err;
            if (e.getMessage() != null) {
                out.println("EmbeddedZooKeeper: " + e.getMessage());
            }
            out.println("usage: java -cp has.jar io.has.tools.EmbeddedZooKeeper --port PORT --data-dir DIR"
                    + " [--tick-time MS] [--max-session-timeout MS] [--host ADDR]");
            System.exit(e.getMessage() == null ? 0 : 2);
            return;
        }
        // Both system properties are also set through the properties; setting them here first
        // covers code paths that read them before the configuration is parsed.
        System.setProperty("zookeeper.admin.enableServer", "false");
        System.setProperty("zookeeper.4lw.commands.whitelist", "*");
        int status = run(options);
        // A ZooKeeper thread can outlive close(); never let it keep the JVM alive (dependencies.md §4).
        System.exit(status);
    }

    private static int run(Options options) {
        // Without this check a second server on a busy port would find the first one answering
        // ruok and claim to be ready.
        try (ServerSocket probe = new ServerSocket()) {
            probe.setReuseAddress(true);
            probe.bind(new InetSocketAddress(options.host(), options.port()));
        } catch (IOException e) {
            System.err.println("EmbeddedZooKeeper: cannot listen on " + options.host() + ":" + options.port()
                    + ": " + e.getMessage());
            return 1;
        }
        ZooKeeperServerEmbedded server;
        try {
            Files.createDirectories(options.dataDir());
            deleteStaleConfigurations(options.dataDir());
            server = ZooKeeperServerEmbedded.builder()
                    .baseDir(options.dataDir())
                    .configuration(options.toProperties())
                    // a fatal server error (e.g. the port was taken after the check) ends the process
                    .exitHandler(ExitHandler.EXIT)
                    .build();
            server.start();
        } catch (Exception e) {
            System.err.println("EmbeddedZooKeeper: cannot start on " + options.host() + ":" + options.port()
                    + ": " + e);
            return 1;
        }

        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            server.close();
            System.out.println("ZooKeeper stopped");
            System.out.flush();
            stopped.countDown();
        }, "has-zk-shutdown"));

        if (!awaitReady(options.host(), options.port())) {
            System.err.println("EmbeddedZooKeeper: server on " + options.host() + ":" + options.port()
                    + " did not answer ruok within " + READY_DEADLINE.toSeconds() + " s");
            return 1;
        }
        System.out.println("ZooKeeper ready on " + options.host() + ":" + options.port());
        System.out.flush();
        try {
            stopped.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return 0;
    }

    /** ZooKeeperServerEmbedded writes a new zookeeper.configuration*.properties file at every start. */
    private static void deleteStaleConfigurations(Path dir) throws IOException {
        try (DirectoryStream<Path> stale = Files.newDirectoryStream(dir, "zookeeper.configuration*.properties")) {
            for (Path p : stale) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Polls the {@code ruok} four-letter word until {@code imok} or the deadline. */
    private static boolean awaitReady(String host, int port) {
        long deadline = System.nanoTime() + READY_DEADLINE.toNanos();
        while (System.nanoTime() < deadline) {
            try {
                String answer = FourLetterWordMain.send4LetterWord(host, port, "ruok", false, 1000);
                if (answer.trim().equals("imok")) {
                    return true;
                }
            } catch (IOException | RuntimeException e) {
                // not accepting connections yet
            } catch (Exception e) {
                return false;
            }
            try {
                Thread.sleep(50); // poll interval inside the deadline loop
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return false;
    }
}
