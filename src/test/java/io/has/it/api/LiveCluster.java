package io.has.it.api;

import static org.awaitility.Awaitility.await;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.has.it.ClusterHarness;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import org.junit.jupiter.api.extension.AfterAllCallback;
import org.junit.jupiter.api.extension.AfterTestExecutionCallback;
import org.junit.jupiter.api.extension.BeforeAllCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * One live 3-member HAS cluster ({@link ClusterHarness}) shared by all tests of a class:
 *
 * <pre>
 * &#64;RegisterExtension static final LiveCluster live = new LiveCluster("MyIT", "scope");
 * </pre>
 *
 * <p>Before all tests it starts the cluster and waits for a leader with two streaming replicas; after
 * all tests it closes what the tests registered (in reverse order) and then the cluster, whether they
 * passed or not. A failed test makes the cluster print its members' log tails when it closes.
 */
final class LiveCluster implements BeforeAllCallback, AfterAllCallback, AfterTestExecutionCallback {

    static final ObjectMapper JSON = new ObjectMapper();
    /** Deadline for the cluster to settle (bootstrap, switchover, restart): generous, the machine is shared. */
    static final Duration SETTLE = Duration.ofSeconds(180);

    private final String label;
    private final String scope;
    private final Deque<AutoCloseable> resources = new ArrayDeque<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private ClusterHarness cluster;

    LiveCluster(String label, String scope) {
        this.label = label;
        this.scope = scope;
    }

    @Override
    public void beforeAll(ExtensionContext context) throws Exception {
        cluster = ClusterHarness.create(ClusterHarness.options().label(label).scope(scope).members(3)
                .dcsTiming(10, 2, 3));
        try {
            cluster.startAll();
            cluster.awaitLeaderAndReplicas(2, SETTLE);
        } catch (Exception | Error e) {
            cluster.markFailed();
            throw e;
        }
    }

    @Override
    public void afterTestExecution(ExtensionContext context) {
        if (context.getExecutionException().isPresent() && cluster != null) {
            cluster.markFailed();
        }
    }

    @Override
    public synchronized void afterAll(ExtensionContext context) {
        while (!resources.isEmpty()) {
            try {
                resources.pop().close();
            } catch (Exception e) {
                System.err.println(label + ": closing a test resource: " + e);
            }
        }
        if (cluster != null) {
            cluster.close();
        }
    }

    /** Closed after all tests, before the cluster. */
    synchronized <T extends AutoCloseable> T register(T resource) {
        resources.push(resource);
        return resource;
    }

    ClusterHarness cluster() {
        return cluster;
    }

    /**
     * The current leader once the cluster is settled: leader key, /primary 200, two streaming replicas,
     * and every member key saying {@code running} (a new replica streams a moment before its daemon
     * publishes the end of its clone).
     */
    String settledLeader() {
        String leader = cluster.awaitLeaderAndReplicas(2, SETTLE);
        await("every member key in ZooKeeper saying running").atMost(SETTLE).pollInterval(Duration.ofMillis(100))
                .until(() -> cluster.names().stream().allMatch(n -> {
                    JsonNode m = cluster.memberFromZk(n);
                    return m != null && "running".equals(m.path("state").asText());
                }));
        return leader;
    }

    List<String> others(String leader) {
        return cluster.names().stream().filter(n -> !n.equals(leader)).toList();
    }

    /** The member's configuration file, which both patronictl and hasctl read. */
    String config() {
        return cluster.member("pg1").config().toString();
    }

    /** GET {@code path} on a member's REST API: status and parsed body (null if not JSON), or null when unreachable. */
    Rest get(String member, String path) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(cluster.restUrl(member, path)))
                    .timeout(Duration.ofSeconds(5)).GET().build();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            JsonNode body;
            try {
                body = JSON.readTree(r.body());
            } catch (IOException e) {
                body = null;
            }
            return new Rest(r.statusCode(), r.body(), body);
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** POST with a JSON body; null when unreachable. */
    Rest post(String member, String path, String json, Duration timeout) throws InterruptedException {
        return send("POST", member, path, json, timeout);
    }

    /** {@code method} with an optional JSON body; null when unreachable. */
    Rest send(String method, String member, String path, String json, Duration timeout) throws InterruptedException {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(cluster.restUrl(member, path))).timeout(timeout)
                    .header("Content-Type", "application/json")
                    .method(method, json == null ? HttpRequest.BodyPublishers.noBody()
                            : HttpRequest.BodyPublishers.ofString(json)).build();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            return new Rest(r.statusCode(), r.body(), null);
        } catch (IOException e) {
            return null;
        }
    }

    record Rest(int status, String text, JsonNode json) {
    }

    /** The member key's JSON in ZooKeeper (never null: fails when missing). */
    JsonNode memberKey(String member) {
        JsonNode n = cluster.memberFromZk(member);
        if (n == null) {
            throw new AssertionError("no member key for " + member);
        }
        return n;
    }

    /** Where a connection to {@code port} on 127.0.0.1 lands: the server's port and whether it is in recovery. */
    record Landing(int serverPort, boolean inRecovery) {
    }

    static Landing land(int port) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", ClusterHarness.SUPERUSER);
        p.setProperty("password", ClusterHarness.SUPERUSER_PASSWORD);
        p.setProperty("connectTimeout", "3");
        p.setProperty("loginTimeout", "4");
        p.setProperty("socketTimeout", "5");
        p.setProperty("ApplicationName", "has-it-interop");
        try (Connection c = DriverManager.getConnection("jdbc:postgresql://127.0.0.1:" + port + "/postgres", p);
                Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select inet_server_port(), pg_is_in_recovery()")) {
            rs.next();
            return new Landing(rs.getInt(1), rs.getBoolean(2));
        }
    }

    private static final Set<Integer> PORTS = new HashSet<>();

    /**
     * A free TCP port on 127.0.0.1 for a tool the test starts, in 10000-19999: below ClusterHarness's
     * range (20000-31999) and below the kernel's ephemeral range, so neither can take it.
     */
    static synchronized int freePort() throws IOException {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = ThreadLocalRandom.current().nextInt(10_000, 20_000);
            if (PORTS.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new InetSocketAddress(InetAddress.getLoopbackAddress(), port), 1);
            } catch (IOException e) {
                continue;
            }
            PORTS.add(port);
            return port;
        }
        throw new IOException("no free port in 10000-19999");
    }

    /** The jar under test, as ClusterHarness finds it. */
    static String jar() {
        String override = System.getenv("HAS_IT_JAR");
        if (override != null && !override.isBlank()) {
            return override;
        }
        String jar = System.getProperty("has.jar");
        if (jar == null || jar.isBlank()) {
            throw new IllegalStateException("system property has.jar is not set (run through mvn verify)");
        }
        return jar;
    }

    /** SQL on a member (superuser). */
    void sql(String member, String statement) throws SQLException {
        try (Connection c = cluster.connect(member, 3, 10); Statement s = c.createStatement()) {
            s.execute(statement);
        }
    }
}
