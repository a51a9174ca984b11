package io.has.it.appliance;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.has.it.ClusterHarness;
import java.io.File;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.HttpURLConnection;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * Real {@code has} daemons, each beside its own PostgreSQL, each in its own network namespace (a
 * "host"), and a standalone ZooKeeper ({@code io.has.tools.EmbeddedZooKeeper}) in another one, all on
 * the bridge of a {@link Netns}. Each daemon runs as {@code ip netns exec NS setpriv --reuid=postgres ...
 * --ambient-caps=+net_admin,+net_raw java -jar has.jar NAME.yml}: the capabilities has.service grants, so
 * the daemon adds and removes the VIP itself. PostgreSQL listens on 0.0.0.0:5432 of its namespace (so it
 * answers on the VIP) and has its own unix socket directory (the namespaces share the file system).
 *
 * <p>The test talks to the hosts from a client namespace through an {@link NsThread}. {@link #close()}
 * stops the daemons (SIGTERM, then SIGKILL), kills what is left in the member namespaces, stops
 * ZooKeeper, copies the logs to {@code <build dir>/it-logs/<label>-*} and deletes the base directory;
 * the namespaces themselves belong to the {@link Netns}.
 */
final class NsCluster implements AutoCloseable {

    static final String RUN_AS = "postgres";
    static final String SUPERUSER_PASSWORD = "secret";
    private static final ObjectMapper JSON = new ObjectMapper();

    /** One member: a daemon + PostgreSQL in namespace {@code ns} with address {@code address}. */
    static final class Member {
        final String name;
        final String ns;
        final String address;
        final Path dir;
        final Path config;
        final Path log;
        volatile Process process;

        Member(String name, String ns, String address, Path dir, Path config, Path log) {
            this.name = name;
            this.ns = ns;
            this.address = address;
            this.dir = dir;
            this.config = config;
            this.log = log;
        }
    }

    private final String label;
    private final String scope;
    private final Path base;
    private final Path jar;
    private final String pgBin;
    private final NsThread client;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private Process zk;
    private String zkConnect;
    private boolean failed;

    NsCluster(String label, String scope, NsThread client) throws IOException {
        this.label = label;
        this.scope = scope;
        this.client = client;
        this.pgBin = pgBin();
        this.base = Files.createTempDirectory(Path.of("/tmp"), "has-ns-");
        Files.setPosixFilePermissions(base, PosixFilePermissions.fromString("rwxr-xr-x"));
        this.jar = base.resolve("has.jar");
        ClusterHarness.copyJar(Host.jar(), jar);
    }

    Path base() {
        return base;
    }

    Path jar() {
        return jar;
    }

    String zkConnect() {
        return zkConnect;
    }

    /** Starts the standalone ZooKeeper in namespace {@code ns} on {@code address}:2181 and waits until it answers. */
    void zookeeper(String ns, String address) throws IOException {
        Path dir = Files.createDirectory(base.resolve("zk"));
        Path log = base.resolve("zk.log");
        zk = new ProcessBuilder("ip", "netns", "exec", ns, java(), "-Xmx128m", "-XX:+UseSerialGC",
                "-cp", jar.toString(), "io.has.tools.EmbeddedZooKeeper", "--port", "2181", "--data-dir", dir.toString(),
                "--host", address, "--max-session-timeout", "60000")
                .redirectErrorStream(true).redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null"))).start();
        long end = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        while (!Host.read(log).contains("ZooKeeper ready")) {
            if (!zk.isAlive() || System.nanoTime() > end) {
                throw new AssertionError("ZooKeeper did not start in " + ns + ":\n" + Host.read(log));
            }
            pause(100);
        }
        zkConnect = address + ":2181";
    }

    /** Declares a member and writes its configuration; {@code extraYaml} is appended (top-level keys). */
    Member member(String name, String ns, String address, String extraYaml) throws IOException {
        Path dir = Files.createDirectory(base.resolve(name));
        Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
        Host.must("chown " + RUN_AS + ":" + RUN_AS + " " + dir, Duration.ofSeconds(10));
        Member m = new Member(name, ns, address, dir, base.resolve(name + ".yml"), base.resolve(name + ".log"));
        Files.writeString(m.config, yaml(m) + extraYaml);
        Files.setPosixFilePermissions(m.config, PosixFilePermissions.fromString("rw-r--r--"));
        members.put(name, m);
        return m;
    }

    private String yaml(Member m) {
        return """
                scope: %1$s
                namespace: /service
                name: %2$s
                restapi:
                  listen: %3$s:8008
                  connect_address: %3$s:8008
                zookeeper:
                  hosts: ['%4$s']
                bootstrap:
                  dcs:
                    ttl: 10
                    loop_wait: 2
                    retry_timeout: 3
                    maximum_lag_on_failover: 1048576
                    postgresql:
                      use_pg_rewind: true
                      use_slots: true
                      parameters: {}
                  initdb: [{encoding: UTF8}, data-checksums]
                  pg_hba:
                  - local all all trust
                  - host replication replicator 10.77.0.0/24 md5
                  - host all all 10.77.0.0/24 md5
                  - host all all 127.0.0.1/32 md5
                postgresql:
                  listen: 0.0.0.0:5432
                  connect_address: %3$s:5432
                  data_dir: %5$s/data
                  bin_dir: %6$s
                  pgpass: %5$s/pgpass
                  authentication:
                    superuser: {username: postgres, password: %7$s}
                    replication: {username: replicator, password: rep-pass}
                    rewind: {username: rewind_user, password: rewind-pass}
                  parameters:
                    unix_socket_directories: '%5$s'
                tags: {}
                """.formatted(scope, m.name, m.address, zkConnect, m.dir, pgBin, SUPERUSER_PASSWORD);
    }

    Member member(String name) {
        Member m = members.get(name);
        if (m == null) {
            throw new IllegalArgumentException("no member " + name);
        }
        return m;
    }

    List<String> names() {
        return List.copyOf(members.keySet());
    }

    /** Starts the daemon of {@code name} in its namespace as postgres with ambient CAP_NET_ADMIN + CAP_NET_RAW. */
    void start(String name) throws IOException {
        Member m = member(name);
        List<String> cmd = new ArrayList<>(List.of("ip", "netns", "exec", m.ns, "setpriv", "--reuid=" + RUN_AS,
                "--regid=" + RUN_AS, "--init-groups", "--inh-caps=+net_admin,+net_raw",
                "--ambient-caps=+net_admin,+net_raw", java(), "-Xmx96m", "-XX:+UseSerialGC",
                "-XX:TieredStopAtLevel=1", "-jar", jar.toString(), m.config.toString()));
        Files.writeString(m.log, "=== " + LocalTime.now() + " test: starting " + String.join(" ", cmd) + "\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(cmd).directory(m.dir.toFile()).redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(m.log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("HOME", m.dir.toString());
        m.process = pb.start(); // ip netns exec and setpriv exec: this pid is the JVM of the daemon
    }

    boolean isRunning(String name) {
        Process p = member(name).process;
        return p != null && p.isAlive();
    }

    /** SIGTERM to the daemon (what {@code systemctl stop} sends); waits for it to exit (SIGKILL after 60 s). */
    boolean sigterm(String name) {
        Process p = member(name).process;
        if (p == null || !p.isAlive()) {
            return true;
        }
        signal(p.pid(), "CONT");
        p.destroy();
        if (await(p, Duration.ofSeconds(60))) {
            return true;
        }
        p.destroyForcibly();
        await(p, Duration.ofSeconds(30));
        return false;
    }

    void signal(String name, String sig) {
        Process p = member(name).process;
        if (p != null && p.isAlive()) {
            signal(p.pid(), sig);
        }
    }

    /**
     * kill -9 of every process of the member's host (its namespace): the daemon, the postmaster and its
     * children. Returns what was killed.
     */
    String kill9Host(String name) {
        Member m = member(name);
        String out = Host.sh("for p in $(ip netns pids " + m.ns + "); do echo \"$p $(tr '\\0' ' ' < /proc/$p/cmdline"
                + " | cut -c1-80)\"; kill -9 $p; done", Duration.ofSeconds(30)).stdout();
        Process p = m.process;
        if (p != null) {
            await(p, Duration.ofSeconds(30));
        }
        long end = System.nanoTime() + Duration.ofSeconds(30).toNanos();
        while (!Host.sh("ip netns pids " + m.ns, Duration.ofSeconds(10)).stdout().isBlank()
                && System.nanoTime() < end) {
            pause(50);
        }
        return out;
    }

    String log(String name) {
        return Host.read(member(name).log);
    }

    // ------------------------------------------------------------------ the client side (NsThread)

    /** GET status code of {@code path} on the member's REST API, -1 when unreachable. */
    int restStatus(String name, String path) {
        try {
            return client.call(() -> http("GET", url(name, path), null).status);
        } catch (Exception e) {
            return -1;
        }
    }

    /** GET /patroni, or null. */
    JsonNode patroni(String name) {
        try {
            Response r = client.call(() -> http("GET", url(name, "/patroni"), null));
            return r.status > 0 && !r.body.isBlank() ? JSON.readTree(r.body) : null;
        } catch (Exception e) {
            return null;
        }
    }

    /** POST {@code body} (JSON) to {@code path}; "status body". */
    String post(String name, String path, String body) throws Exception {
        Response r = client.call(() -> http("POST", url(name, path), body));
        return r.status + " " + r.body;
    }

    /** Leader name from GET /cluster of any member that answers, or null. */
    String leader() {
        for (String n : members.keySet()) {
            try {
                Response r = client.call(() -> http("GET", url(n, "/cluster"), null));
                if (r.status == 200) {
                    for (JsonNode mem : JSON.readTree(r.body).path("members")) {
                        if ("leader".equals(mem.path("role").asText())) {
                            return mem.path("name").asText();
                        }
                    }
                    return null;
                }
            } catch (Exception e) {
                // try the next member
            }
        }
        return null;
    }

    /** The server is in recovery and streaming (asked over SQL from the client namespace). */
    boolean isStreamingReplica(String name) {
        try {
            return client.call(() -> {
                try (Connection c = connect(member(name).address, 2, 3);
                        var rs = c.createStatement().executeQuery("select pg_is_in_recovery(), "
                                + "(select status from pg_stat_wal_receiver limit 1)")) {
                    return rs.next() && rs.getBoolean(1) && "streaming".equals(rs.getString(2));
                }
            });
        } catch (Exception e) {
            return false;
        }
    }

    private String url(String name, String path) {
        return "http://" + member(name).address + ":8008" + path;
    }

    record Response(int status, String body) {
    }

    /** A blocking HTTP call (creates its socket in the calling thread, i.e. in its namespace). */
    static Response http(String method, String url, String body) {
        try {
            HttpURLConnection c = (HttpURLConnection) new URL(url).openConnection();
            c.setConnectTimeout(2000);
            c.setReadTimeout(30_000);
            c.setRequestMethod(method);
            if (body != null) {
                c.setDoOutput(true);
                c.setRequestProperty("Content-Type", "application/json");
                try (OutputStream o = c.getOutputStream()) {
                    o.write(body.getBytes(StandardCharsets.UTF_8));
                }
            }
            int status = c.getResponseCode();
            InputStream in = status >= 400 ? c.getErrorStream() : c.getInputStream();
            String text = in == null ? "" : new String(in.readAllBytes(), StandardCharsets.UTF_8);
            c.disconnect();
            return new Response(status, text);
        } catch (IOException e) {
            return new Response(-1, e.toString());
        }
    }

    /** A superuser JDBC connection to {@code host}:5432 with short timeouts (seconds). */
    static Connection connect(String host, int connectTimeout, int socketTimeout) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", "postgres");
        p.setProperty("password", SUPERUSER_PASSWORD);
        p.setProperty("connectTimeout", Integer.toString(connectTimeout));
        p.setProperty("loginTimeout", Integer.toString(connectTimeout + 1));
        p.setProperty("socketTimeout", Integer.toString(socketTimeout));
        p.setProperty("ApplicationName", "has-vip-it");
        return DriverManager.getConnection("jdbc:postgresql://" + host + ":5432/postgres", p);
    }

    // ------------------------------------------------------------------ cleanup

    void markFailed() {
        failed = true;
    }

    @Override
    public void close() {
        try {
            if (failed) {
                for (Member m : members.values()) {
                    System.out.println("----- " + m.name + " log tail (" + m.log + ")\n" + tail(m.log, 60));
                }
                System.out.println("----- zk.log tail\n" + tail(base.resolve("zk.log"), 20));
            }
            List<Thread> stoppers = new ArrayList<>();
            for (Member m : members.values()) {
                Thread t = new Thread(() -> sigterm(m.name), "stop-" + m.name);
                t.start();
                stoppers.add(t);
            }
            for (Thread t : stoppers) {
                t.join(120_000);
            }
            for (Member m : members.values()) {
                kill9Host(m.name); // a postmaster the daemon left behind
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.err.println("NsCluster.close: " + e);
        } finally {
            if (zk != null) {
                zk.destroy();
                if (!await(zk, Duration.ofSeconds(30))) {
                    zk.destroyForcibly();
                    await(zk, Duration.ofSeconds(10));
                }
            }
            saveLogs();
            delete(base);
        }
    }

    private void saveLogs() {
        try {
            Path dest = Path.of(System.getProperty("has.build.dir", "target"), "it-logs",
                    label + "-" + base.getFileName());
            Files.createDirectories(dest);
            try (Stream<Path> s = Files.list(base)) {
                for (Path p : s.filter(p -> p.toString().endsWith(".log") || p.toString().endsWith(".yml")).toList()) {
                    Files.copy(p, dest.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("NsCluster: cannot save logs: " + e);
        }
    }

    static void delete(Path dir) {
        if (dir == null || !Files.exists(dir)) {
            return;
        }
        try (Stream<Path> walk = Files.walk(dir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("cannot delete " + dir + ": " + e);
        }
    }

    static String tail(Path file, int lines) {
        List<String> all = Host.read(file).lines().toList();
        return String.join("\n", all.subList(Math.max(0, all.size() - lines), all.size()));
    }

    static String java() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }

    static String pgBin() {
        String configured = System.getProperty("has.pg.bin", System.getenv("HAS_PG_BIN"));
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin")).filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(Path::toString)).map(Path::toString)
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL under /usr/lib/postgresql"));
        } catch (IOException e) {
            throw new IllegalStateException("no PostgreSQL found (set -Dhas.pg.bin)", e);
        }
    }

    static void signal(long pid, String sig) {
        Host.sh("kill -" + sig + " " + pid, Duration.ofSeconds(10));
    }

    static boolean await(Process p, Duration d) {
        try {
            return p.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }

    static void pause(long ms) {
        try {
            Thread.sleep(ms); // poll interval inside a deadline loop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException(e);
        }
    }
}
