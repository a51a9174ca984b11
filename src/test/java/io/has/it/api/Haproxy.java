package io.has.it.api;

import io.has.it.ClusterHarness;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A real HAProxy in front of a HAS cluster with the configuration Patroni documents (haproxy.cfg in
 * Patroni's repository; docs "Using HAProxy"): a TCP listener per role whose servers are the members'
 * PostgreSQL ports, health-checked with {@code OPTIONS /primary} resp. {@code OPTIONS /replica} on their
 * REST ports. Runs in the foreground ({@code -db}) as a child of the test JVM, with its config and log in
 * a fresh directory; {@link #close()} stops it (SIGTERM, then SIGKILL) and removes the directory.
 */
final class Haproxy implements AutoCloseable {

    private final Process process;
    private final Path dir;
    private final Path log;
    final int primaryPort;
    final int replicaPort;

    private Haproxy(Process process, Path dir, Path log, int primaryPort, int replicaPort) {
        this.process = process;
        this.dir = dir;
        this.log = log;
        this.primaryPort = primaryPort;
        this.replicaPort = replicaPort;
    }

    /** The documented configuration for {@code cluster}'s members, listening on the two given ports. */
    static String config(ClusterHarness cluster, int primaryPort, int replicaPort) {
        StringBuilder cfg = new StringBuilder("""
                global
                    maxconn 100

                defaults
                    log global
                    mode tcp
                    retries 2
                    timeout client 30m
                    timeout connect 4s
                    timeout server 30m
                    timeout check 5s
                """);
        cfg.append(listener(cluster, "primary", primaryPort, "/primary", ""));
        cfg.append(listener(cluster, "replicas", replicaPort, "/replica", "    balance roundrobin\n"));
        return cfg.toString();
    }

    private static String listener(ClusterHarness cluster, String name, int port, String check, String extra) {
        StringBuilder b = new StringBuilder("\nlisten ").append(name).append('\n')
                .append("    bind 127.0.0.1:").append(port).append('\n')
                .append(extra)
                .append("    option httpchk OPTIONS ").append(check).append('\n')
                .append("    http-check expect status 200\n")
                .append("    default-server inter 1s fall 2 rise 1 on-marked-down shutdown-sessions\n");
        for (String m : cluster.names()) {
            ClusterHarness.Member member = cluster.member(m);
            b.append("    server ").append(m).append(" 127.0.0.1:").append(member.pgPort())
                    .append(" maxconn 100 check port ").append(member.apiPort()).append('\n');
        }
        return b.toString();
    }

    /** Writes the configuration, validates it with {@code haproxy -c} and starts haproxy. */
    static Haproxy start(String haproxy, ClusterHarness cluster) throws Exception {
        Path dir = Files.createTempDirectory(Path.of("/tmp"), "has-it-haproxy-");
        try {
            int primary = LiveCluster.freePort();
            int replicas = LiveCluster.freePort();
            Path cfg = dir.resolve("haproxy.cfg");
            Files.writeString(cfg, config(cluster, primary, replicas), StandardCharsets.UTF_8);
            Tool.Result check = Tool.run(Duration.ofSeconds(60), haproxy, "-c", "-f", cfg.toString());
            if (check.exit() != 0) {
                throw new IllegalStateException("haproxy -c rejects the configuration:\n" + check.describe()
                        + "\n" + Files.readString(cfg));
            }
            Path log = dir.resolve("haproxy.log");
            Process p = new ProcessBuilder(haproxy, "-db", "-f", cfg.toString()).redirectErrorStream(true)
                    .redirectOutput(log.toFile()).redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")))
                    .directory(dir.toFile()).start();
            return new Haproxy(p, dir, log, primary, replicas);
        } catch (Exception | Error e) {
            delete(dir);
            throw e;
        }
    }

    /** haproxy's own output so far (server state changes, alerts). */
    String log() {
        try {
            return Files.readString(log, StandardCharsets.ISO_8859_1);
        } catch (IOException e) {
            return "(no haproxy log: " + e.getMessage() + ")";
        }
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        try {
            process.destroy();
            if (!process.waitFor(20, TimeUnit.SECONDS)) {
                process.destroyForcibly();
                process.waitFor(10, TimeUnit.SECONDS);
            }
            System.out.println("----- haproxy log -----\n" + log());
        } finally {
            delete(dir);
        }
    }

    private static void delete(Path dir) {
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("cannot delete " + dir + ": " + e);
        }
    }
}
