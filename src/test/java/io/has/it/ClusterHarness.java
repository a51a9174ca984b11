package io.has.it;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.ServerSocket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.GroupPrincipal;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.nio.file.attribute.UserPrincipalLookupService;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.LocalTime;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.apache.curator.framework.CuratorFramework;
import org.apache.curator.framework.CuratorFrameworkFactory;
import org.apache.curator.retry.RetryOneTime;
import org.apache.curator.test.InstanceSpec;
import org.apache.curator.test.TestingServer;
import org.apache.zookeeper.KeeperException;

/**
 * N real {@code has} daemons, each beside its own real PostgreSQL, on an in-process ZooKeeper.
 *
 * <p>Everything lives in one base directory under /tmp ({@code has-it-*}). When the JVM runs as
 * root, the directory is owned by {@code postgres} and every daemon is started as
 * {@code runuser -u postgres -- java ... -jar has.jar <member>.yml} (PostgreSQL refuses to run as
 * root); otherwise as the current user. Each daemon writes {@code <member>.log} in the base dir.
 *
 * <p>{@link #close()} stops every daemon (SIGTERM, then SIGKILL after a deadline), stops leftover
 * postmasters of this harness's data directories (found through {@code postmaster.pid} and checked
 * through the process's working directory), kills whatever else still runs with its cwd or command
 * line inside the base directory, stops ZooKeeper and deletes the base directory. It never
 * signals a process it cannot prove it started. Logs are copied to
 * {@code <build dir>/it-logs/<label>/} before deletion, and their tails are printed when
 * {@link #markFailed} was called.
 */
public final class ClusterHarness implements AutoCloseable {

    /** What to build; the defaults are a 3-member cluster with fast failover. */
    public static final class Options {
        int members = 3;
        String scope = "it";
        String label = "cluster";
        int ttl = 10;
        int loopWait = 2;
        int retryTimeout = 3;
        long maximumLagOnFailover = 1_048_576;
        /** {@code postgresql.bin_dir} (null: {@link #findPgBin()}). */
        String binDir;
        /** Extra keys of the {@code postgresql} section (null: none); see {@link #postgresqlYaml}. */
        java.util.function.BiFunction<ClusterHarness, Member, String> postgresqlYaml;
        /** Extra {@code postgresql.parameters}. */
        final Map<String, String> parameters = new LinkedHashMap<>();
        final Map<String, Map<String, Object>> tags = new LinkedHashMap<>();
        List<String> javaOpts = List.of("-Xmx96m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1");
        Duration stopDeadline = Duration.ofSeconds(30);
        /** Replaces the daemon command line (self-tests of the harness only). */
        Function<Member, List<String>> commandOverride;
        /** A ZooKeeper the test owns (e.g. a TestingCluster); null: the harness starts its own. */
        String externalZooKeeper;

        public Options members(int n) {
            this.members = n;
            return this;
        }

        /** {@code postgresql.bin_dir} of every member (default: Debian's PostgreSQL, see findPgBin). */
        public Options binDir(Path dir) {
            this.binDir = dir.toString();
            return this;
        }

        /**
         * Extra keys of every member's {@code postgresql} section (for example {@code bin_name},
         * {@code create_replica_methods} and a method's section), as YAML whose top-level keys are
         * not indented; the function sees the harness (for {@link ClusterHarness#jar()}) and the member.
         */
        public Options postgresqlYaml(java.util.function.BiFunction<ClusterHarness, Member, String> yaml) {
            this.postgresqlYaml = yaml;
            return this;
        }

        /** One more {@code postgresql.parameters} entry of every member (the value is written as is). */
        public Options parameter(String name, String value) {
            this.parameters.put(name, value);
            return this;
        }

        public Options scope(String s) {
            this.scope = s;
            return this;
        }

        /** Names the log folder under it-logs/. */
        public Options label(String s) {
            this.label = s;
            return this;
        }

        /** bootstrap.dcs ttl / loop_wait / retry_timeout (seconds). */
        public Options dcsTiming(int ttlSeconds, int loopWaitSeconds, int retryTimeoutSeconds) {
            this.ttl = ttlSeconds;
            this.loopWait = loopWaitSeconds;
            this.retryTimeout = retryTimeoutSeconds;
            return this;
        }

        public Options tag(String member, String key, Object value) {
            tags.computeIfAbsent(member, k -> new LinkedHashMap<>()).put(key, value);
            return this;
        }

        public Options javaOpts(List<String> opts) {
            this.javaOpts = List.copyOf(opts);
            return this;
        }

        public Options stopDeadline(Duration d) {
            this.stopDeadline = d;
            return this;
        }

        /**
         * Use this ZooKeeper connect string (an ensemble the test starts and stops) instead of the
         * harness's own TestingServer.
         */
        public Options externalZooKeeper(String connectString) {
            this.externalZooKeeper = connectString;
            return this;
        }

        Options commandOverride(Function<Member, List<String>> f) {
            this.commandOverride = f;
            return this;
        }
    }

    /** One member's fixed facts and its current process. */
    public static final class Member {
        final String name;
        final int pgPort;
        final int apiPort;
        final Path dir;
        final Path config;
        final Path log;
        volatile Process process;

        Member(String name, int pgPort, int apiPort, Path dir, Path config, Path log) {
            this.name = name;
            this.pgPort = pgPort;
            this.apiPort = apiPort;
            this.dir = dir;
            this.config = config;
            this.log = log;
        }

        public String name() {
            return name;
        }

        public Path dataDir() {
            return dir.resolve("data");
        }

        public Path config() {
            return config;
        }

        public int pgPort() {
            return pgPort;
        }

        public int apiPort() {
            return apiPort;
        }

        /** The daemon's log file (its stdout and stderr, and the harness's own lines). */
        public Path log() {
            return log;
        }
    }

    public static final String SUPERUSER = "postgres";
    public static final String SUPERUSER_PASSWORD = "secret";
    static final String RUN_AS = "postgres";
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<ClusterHarness> OPEN = java.util.concurrent.ConcurrentHashMap.newKeySet();

    static {
        // Last line of defence: a JVM killed by the build tool still stops what it started.
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            for (ClusterHarness h : OPEN) {
                h.close();
            }
        }, "has-it-harness-shutdown"));
    }

    private final Options options;
    private final boolean root;
    private final Path baseDir;
    private final Path jar;
    private final String pgBin;
    private final TestingServer zk;
    private final CuratorFramework curator;
    private final Map<String, Member> members = new LinkedHashMap<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private final AtomicBoolean failed = new AtomicBoolean();
    private final AtomicBoolean closed = new AtomicBoolean();

    private ClusterHarness(Options options) throws Exception {
        this.options = options;
        this.root = isRoot();
        this.pgBin = options.binDir != null ? options.binDir : findPgBin();
        Path sourceJar = hasJar();
        if (!Files.isReadable(sourceJar)) {
            throw new IllegalStateException("has.jar " + sourceJar + " is missing; run mvn package first");
        }
        this.baseDir = Files.createTempDirectory(Path.of("/tmp"), "has-it-");
        OPEN.add(this);
        try {
            Files.setPosixFilePermissions(baseDir, PosixFilePermissions.fromString("rwxr-xr-x"));
            if (root) {
                // postgres must read the jar even when the checkout lives under a closed home directory
                this.jar = baseDir.resolve("has.jar");
                copyJar(sourceJar, jar);
                chownToRunAs(baseDir);
            } else {
                this.jar = sourceJar;
            }
            if (options.externalZooKeeper == null) {
                Path zkDir = Files.createDirectory(baseDir.resolve("zk"));
                Map<String, Object> zkProps = Map.of("maxSessionTimeout", "60000", "admin.enableServer", "false",
                        "4lw.commands.whitelist", "*");
                InstanceSpec spec = new InstanceSpec(zkDir.toFile(), freePort(), -1, -1, false, 1, 1000, 0, zkProps,
                        "127.0.0.1");
                this.zk = new TestingServer(spec, true);
            } else {
                this.zk = null;
            }
            this.curator = CuratorFrameworkFactory.newClient(zkConnectString(), 30_000, 5_000,
                    new RetryOneTime(500));
            curator.start();
            if (!curator.blockUntilConnected(30, TimeUnit.SECONDS)) {
                throw new IllegalStateException("cannot connect to the test ZooKeeper " + zkConnectString());
            }
            for (int i = 1; i <= options.members; i++) {
                String name = "pg" + i;
                Path dir = Files.createDirectory(baseDir.resolve(name));
                Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
                if (root) {
                    chownToRunAs(dir);
                }
                Member m = new Member(name, freePort(), freePort(), dir, baseDir.resolve(name + ".yml"),
                        baseDir.resolve(name + ".log"));
                members.put(name, m);
            }
            for (Member m : members.values()) {
                Files.writeString(m.config, yaml(m));
            }
        } catch (Exception | Error e) {
            close();
            throw e;
        }
    }

    /** Starts ZooKeeper and writes the member configurations; no daemon runs yet. */
    public static ClusterHarness create(Options options) throws Exception {
        return new ClusterHarness(options);
    }

    public static Options options() {
        return new Options();
    }

    // ------------------------------------------------------------------------------------------
    // configuration

    private String yaml(Member m) {
        StringBuilder tags = new StringBuilder();
        // the template ends inside postgresql.parameters: extra parameters, then extra postgresql keys
        options.parameters.forEach((k, v) -> tags.append("    ").append(k).append(": ").append(v).append('\n'));
        if (options.postgresqlYaml != null) {
            options.postgresqlYaml.apply(this, m).lines()
                    .forEach(l -> tags.append(l.isBlank() ? "" : "  " + l).append('\n'));
        }
        Map<String, Object> t = options.tags.getOrDefault(m.name, Map.of());
        if (t.isEmpty()) {
            tags.append("tags: {}\n");
        } else {
            tags.append("tags:\n");
            t.forEach((k, v) -> tags.append("  ").append(k).append(": ").append(v).append('\n'));
        }
        return """
                scope: %s
                namespace: /service
                name: %s
                restapi:
                  listen: 127.0.0.1:%d
                  connect_address: 127.0.0.1:%d
                zookeeper:
                  hosts: [%s]
                bootstrap:
                  dcs:
                    ttl: %d
                    loop_wait: %d
                    retry_timeout: %d
                    maximum_lag_on_failover: %d
                    postgresql:
                      use_pg_rewind: true
                      use_slots: true
                      parameters: {}
                  initdb: [{encoding: UTF8}, data-checksums]
                  pg_hba:
                  - local all all trust
                  - host replication replicator 127.0.0.1/32 md5
                  - host all all 127.0.0.1/32 md5
                postgresql:
                  listen: 127.0.0.1:%d
                  connect_address: 127.0.0.1:%d
                  data_dir: %s
                  bin_dir: %s
                  pgpass: %s
                  authentication:
                    superuser: {username: %s, password: %s}
                    replication: {username: replicator, password: rep-pass}
                    rewind: {username: rewind_user, password: rewind-pass}
                  parameters:
                    unix_socket_directories: '%s'
                """.formatted(options.scope, m.name, m.apiPort, m.apiPort,
                Stream.of(zkConnectString().split(",")).map(h -> "'" + h + "'").collect(Collectors.joining(", ")),
                options.ttl, options.loopWait, options.retryTimeout, options.maximumLagOnFailover,
                m.pgPort, m.pgPort, m.dataDir(), pgBin, m.dir.resolve("pgpass"), SUPERUSER,
                SUPERUSER_PASSWORD, m.dir) + tags;
    }

    // ------------------------------------------------------------------------------------------
    // accessors

    public List<String> names() {
        return List.copyOf(members.keySet());
    }

    public Member member(String name) {
        Member m = members.get(name);
        if (m == null) {
            throw new IllegalArgumentException("no member " + name + " in " + members.keySet());
        }
        return m;
    }

    /** The daemon jar the members run (a copy in the base directory when running as root). */
    public Path jar() {
        return jar;
    }

    public Path baseDir() {
        return baseDir;
    }

    public String zkConnectString() {
        return zk != null ? zk.getConnectString() : options.externalZooKeeper;
    }

    /** Stops the harness's ZooKeeper server (its data and port are kept for {@link #restartZooKeeper}). */
    public void stopZooKeeper() throws IOException {
        ownZooKeeper().stop();
    }

    /** Starts the harness's ZooKeeper server again, on the same port with the same data. */
    public void restartZooKeeper() throws Exception {
        ownZooKeeper().restart();
    }

    private TestingServer ownZooKeeper() {
        if (zk == null) {
            throw new IllegalStateException("this harness uses an external ZooKeeper " + options.externalZooKeeper);
        }
        return zk;
    }

    public String scope() {
        return options.scope;
    }

    public int ttl() {
        return options.ttl;
    }

    public String jdbcUrl(String name) {
        return "jdbc:postgresql://127.0.0.1:" + member(name).pgPort + "/postgres";
    }

    public String restUrl(String name, String path) {
        return "http://127.0.0.1:" + member(name).apiPort + path;
    }

    public boolean runsAsRoot() {
        return root;
    }

    // ------------------------------------------------------------------------------------------
    // process control

    public void startAll() throws IOException {
        for (String name : members.keySet()) {
            start(name);
        }
    }

    /** Starts the member's daemon (a no-op if it is running). */
    public synchronized void start(String name) throws IOException {
        Member m = member(name);
        if (m.process != null && m.process.isAlive()) {
            return;
        }
        List<String> cmd = new ArrayList<>();
        if (options.commandOverride != null) {
            cmd.addAll(options.commandOverride.apply(m));
        } else {
            cmd.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
            cmd.addAll(options.javaOpts);
            cmd.add("-jar");
            cmd.add(jar.toString());
            cmd.add(m.config.toString());
        }
        if (root) {
            cmd.addAll(0, List.of("runuser", "-u", RUN_AS, "--"));
        }
        Files.writeString(m.log, "=== " + LocalTime.now() + " harness: starting " + String.join(" ", cmd) + "\n",
                StandardCharsets.UTF_8, java.nio.file.StandardOpenOption.CREATE,
                java.nio.file.StandardOpenOption.APPEND);
        ProcessBuilder pb = new ProcessBuilder(cmd)
                .directory(m.dir.toFile())
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.appendTo(m.log.toFile()))
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        m.process = pb.start();
    }

    public boolean isDaemonRunning(String name) {
        Process p = member(name).process;
        return p != null && p.isAlive();
    }

    /**
     * The daemon's own process: with runuser, its single child. Signals go to the daemon, not to
     * runuser, because runuser forks and answers SIGTERM by passing it on and sending SIGKILL 2 s
     * later, which would turn every graceful stop into a crash.
     */
    Optional<ProcessHandle> daemonProcess(String name) {
        Process p = member(name).process;
        if (p == null || !p.isAlive()) {
            return Optional.empty();
        }
        if (!root) {
            return Optional.of(p.toHandle());
        }
        long deadline = System.nanoTime() + Duration.ofSeconds(10).toNanos();
        while (System.nanoTime() < deadline && p.isAlive()) {
            Optional<ProcessHandle> child = p.toHandle().children().findFirst();
            if (child.isPresent()) {
                return child;
            }
            pause(20);
        }
        return Optional.empty();
    }

    /** SIGKILL to the daemon only; its PostgreSQL keeps running. */
    public void kill9Daemon(String name) {
        Member m = member(name);
        daemonProcess(name).ifPresent(ProcessHandle::destroyForcibly);
        if (root && m.process != null && m.process.isAlive()) {
            signal(m.process.pid(), "CONT"); // runuser may have stopped itself after a sigstop
        }
        Process p = m.process;
        if (p != null) {
            awaitExit(p, Duration.ofSeconds(30));
        }
    }

    /** SIGKILL to the member's postmaster (pid from {@code postmaster.pid}); true if one was killed. */
    public boolean kill9Postmaster(String name) {
        Optional<ProcessHandle> pm = postmaster(name);
        pm.ifPresent(ProcessHandle::destroyForcibly);
        pm.ifPresent(h -> Processes.awaitGone(h, Duration.ofSeconds(30)));
        return pm.isPresent();
    }

    /** SIGSTOP to the daemon (a frozen JVM: no heartbeats, its sockets stay open). */
    public void sigstop(String name) {
        daemonProcess(name).ifPresent(h -> signal(h.pid(), "STOP"));
    }

    /** SIGHUP to the daemon (a reload, as {@code systemctl reload} sends it). */
    public void hangup(String name) {
        daemonProcess(name).ifPresent(h -> signal(h.pid(), "HUP"));
    }

    /**
     * SIGCONT to the daemon, and to runuser: runuser stops itself when its child stops (it mimics
     * a shell's job control) and would otherwise never reap the daemon.
     */
    public void sigcont(String name) {
        Process p = member(name).process;
        daemonProcess(name).ifPresent(h -> signal(h.pid(), "CONT"));
        if (root && p != null && p.isAlive()) {
            signal(p.pid(), "CONT");
        }
    }

    /** Graceful stop: SIGTERM to the daemon, SIGKILL after the stop deadline. */
    public void stop(String name) {
        Member m = member(name);
        Process p = m.process;
        if (p == null || !p.isAlive()) {
            return;
        }
        sigcont(name); // a stopped process cannot handle SIGTERM
        daemonProcess(name).ifPresent(ProcessHandle::destroy);
        if (!awaitExit(p, options.stopDeadline)) {
            appendLog(m, "harness: daemon did not stop within " + options.stopDeadline.toSeconds()
                    + " s after SIGTERM, sending SIGKILL");
            daemonProcess(name).ifPresent(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
            awaitExit(p, Duration.ofSeconds(30));
        }
    }

    /**
     * The live postmaster of this member's data directory. Its pid comes from the first line of
     * {@code postmaster.pid}; it counts only if that process's working directory is the data dir
     * (a postmaster chdirs there), so a recycled pid is never mistaken for it.
     */
    public Optional<ProcessHandle> postmaster(String name) {
        Path data = member(name).dataDir();
        Path pidFile = data.resolve("postmaster.pid");
        try {
            if (!Files.isReadable(pidFile)) {
                return Optional.empty();
            }
            List<String> lines = Files.readAllLines(pidFile);
            if (lines.isEmpty()) {
                return Optional.empty();
            }
            long pid = Long.parseLong(lines.get(0).trim());
            Optional<ProcessHandle> h = ProcessHandle.of(pid);
            if (h.isEmpty() || Processes.gone(h.get())) {
                return Optional.empty();
            }
            Path cwd = Path.of("/proc", Long.toString(pid), "cwd").toRealPath();
            return cwd.equals(data.toRealPath()) ? h : Optional.empty();
        } catch (IOException | NumberFormatException e) {
            return Optional.empty();
        }
    }

    private static boolean awaitExit(Process p, Duration d) {
        try {
            return p.waitFor(d.toMillis(), TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return !p.isAlive();
        }
    }

    /** Sends {@code SIG<sig>} to process {@code pid} with kill(1). */
    public static void signal(long pid, String sig) {
        try {
            Process k = new ProcessBuilder("kill", "-" + sig, Long.toString(pid))
                    .redirectErrorStream(true).redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
            k.waitFor(10, TimeUnit.SECONDS);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    // ------------------------------------------------------------------------------------------
    // observation

    /** GET {@code path} on the member's REST API; the status code, or -1 when unreachable. */
    public int restStatus(String name, String path) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(restUrl(name, path)))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            return http.send(req, HttpResponse.BodyHandlers.discarding()).statusCode();
        } catch (IOException e) {
            return -1;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    /** The parsed {@code GET /patroni} document, or null when the member does not answer. */
    public JsonNode patroni(String name) {
        try {
            HttpRequest req = HttpRequest.newBuilder(URI.create(restUrl(name, "/patroni")))
                    .timeout(Duration.ofSeconds(2)).GET().build();
            HttpResponse<String> r = http.send(req, HttpResponse.BodyHandlers.ofString());
            if (r.body() == null || r.body().isBlank()) {
                return null;
            }
            return JSON.readTree(r.body());
        } catch (IOException e) {
            return null;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return null;
        }
    }

    /** REST {@code GET /primary} answers 200. */
    public boolean isPrimary(String name) {
        return restStatus(name, "/primary") == 200;
    }

    /** REST {@code GET /replica} answers 200. */
    public boolean isReplicaByRest(String name) {
        return restStatus(name, "/replica") == 200;
    }

    /** The server is in recovery and its WAL receiver is streaming (asked over SQL). */
    public boolean isStreamingReplica(String name) {
        try (Connection c = connect(name, 2, 3); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("select pg_is_in_recovery(), "
                        + "(select status from pg_stat_wal_receiver limit 1)")) {
            return rs.next() && rs.getBoolean(1) && "streaming".equals(rs.getString(2));
        } catch (SQLException e) {
            return false;
        }
    }

    /** A superuser connection with short timeouts (seconds). */
    public Connection connect(String name, int connectTimeoutSeconds, int socketTimeoutSeconds) throws SQLException {
        Properties p = new Properties();
        p.setProperty("user", SUPERUSER);
        p.setProperty("password", SUPERUSER_PASSWORD);
        p.setProperty("connectTimeout", Integer.toString(connectTimeoutSeconds));
        p.setProperty("loginTimeout", Integer.toString(connectTimeoutSeconds + 1));
        p.setProperty("socketTimeout", Integer.toString(socketTimeoutSeconds));
        p.setProperty("tcpKeepAlive", "true");
        p.setProperty("ApplicationName", "has-it");
        return DriverManager.getConnection(jdbcUrl(name), p);
    }

    /** The content of {@code /service/<scope>/leader}, or null when there is no leader key. */
    public String leaderFromZk() {
        try {
            byte[] data = curator.getData().forPath(zkPath("leader"));
            return data == null ? null : new String(data, StandardCharsets.UTF_8).trim();
        } catch (KeeperException.NoNodeException e) {
            return null;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read " + zkPath("leader"), e);
        }
    }

    /** The JSON of {@code /service/<scope>/members/<name>}, or null. */
    public JsonNode memberFromZk(String name) {
        try {
            return JSON.readTree(curator.getData().forPath(zkPath("members/" + name)));
        } catch (KeeperException.NoNodeException e) {
            return null;
        } catch (Exception e) {
            throw new IllegalStateException("cannot read member key of " + name, e);
        }
    }

    public String zkPath(String relative) {
        return "/service/" + options.scope + "/" + relative;
    }

    public CuratorFramework curator() {
        return curator;
    }

    /**
     * Waits until one member holds the ZooKeeper leader key and answers {@code /primary} 200, no
     * other member answers {@code /primary} 200, and at least {@code expectedReplicas} other members
     * are streaming replicas. Returns the leader's name.
     */
    public String awaitLeaderAndReplicas(int expectedReplicas, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        String last = "nothing observed yet";
        while (true) {
            String leader = leaderFromZk();
            List<String> primaries = new ArrayList<>();
            List<String> replicas = new ArrayList<>();
            for (String n : members.keySet()) {
                if (isPrimary(n)) {
                    primaries.add(n);
                } else if (isStreamingReplica(n)) {
                    replicas.add(n);
                }
            }
            last = "leader key=" + leader + ", /primary 200 on " + primaries + ", streaming replicas " + replicas;
            if (leader != null && primaries.equals(List.of(leader)) && replicas.size() >= expectedReplicas) {
                return leader;
            }
            if (System.nanoTime() > end) {
                throw new AssertionError("no leader with " + expectedReplicas + " streaming replicas within "
                        + deadline.toSeconds() + " s; last observation: " + last);
            }
            pause(500);
        }
    }

    // ------------------------------------------------------------------------------------------
    // failure reporting and cleanup

    /** Remember that the test failed: close() prints every member's log tail. */
    public void markFailed() {
        failed.set(true);
    }

    /** Prints the last {@code lines} lines of every log to stdout. */
    public void dumpLogs(int lines) {
        StringBuilder out = new StringBuilder();
        out.append("\n===== has cluster logs (").append(options.label).append(", base dir ").append(baseDir)
                .append(") =====\n");
        for (Member m : members.values()) {
            out.append("----- ").append(m.name).append(" (").append(m.log).append(", last ").append(lines)
                    .append(" lines)\n").append(tail(m.log, lines));
            JsonNode doc = patroni(m.name);
            out.append("----- ").append(m.name).append(" GET /patroni: ").append(doc).append('\n');
        }
        try {
            out.append("----- leader key: ").append(leaderFromZk()).append('\n');
        } catch (RuntimeException e) {
            out.append("----- leader key: unreadable (").append(e.getMessage()).append(")\n");
        }
        System.out.println(out);
        System.out.flush();
    }

    static String tail(Path file, int lines) {
        try {
            if (!Files.exists(file)) {
                return "(no log)\n";
            }
            List<String> all = Files.readAllLines(file, StandardCharsets.ISO_8859_1);
            return all.subList(Math.max(0, all.size() - lines), all.size()).stream()
                    .collect(Collectors.joining("\n", "", "\n"));
        } catch (IOException e) {
            return "(cannot read: " + e.getMessage() + ")\n";
        }
    }

    private void appendLog(Member m, String line) {
        try {
            Files.writeString(m.log, "=== " + LocalTime.now() + " " + line + "\n", StandardCharsets.UTF_8,
                    java.nio.file.StandardOpenOption.CREATE, java.nio.file.StandardOpenOption.APPEND);
        } catch (IOException e) {
            // logging the harness's own actions must not fail a test
        }
    }

    /** Stops everything this harness started and removes its files. Idempotent; never throws. */
    @Override
    public void close() {
        if (!closed.compareAndSet(false, true)) {
            return;
        }
        try {
            if (failed.get()) {
                dumpLogs(80);
            }
            // 1. daemons, in parallel: SIGTERM, then SIGKILL after the deadline
            List<Thread> stoppers = new ArrayList<>();
            for (Member m : members.values()) {
                Thread t = new Thread(() -> {
                    try {
                        stop(m.name);
                    } catch (RuntimeException e) {
                        System.err.println("harness: stopping " + m.name + ": " + e);
                    }
                }, "has-it-stop-" + m.name);
                t.start();
                stoppers.add(t);
            }
            for (Thread t : stoppers) {
                t.join(options.stopDeadline.plusSeconds(40).toMillis());
            }
            // 2. postmasters the daemons left behind
            for (Member m : members.values()) {
                stopLeftoverPostmaster(m);
            }
            // 3. anything else still living in our directory (a backend, a pg_basebackup, ...)
            List<ProcessHandle> leftovers = Processes.under(baseDir);
            if (!leftovers.isEmpty()) {
                System.err.println("harness: killing processes left in " + baseDir + ":\n"
                        + Processes.describe(leftovers));
                Processes.killAll(leftovers);
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (RuntimeException e) {
            System.err.println("harness: close: " + e);
        } finally {
            if (curator != null) {
                curator.close();
            }
            if (zk != null) {
                try {
                    zk.close();
                } catch (IOException | RuntimeException e) {
                    System.err.println("harness: closing ZooKeeper: " + e);
                }
            }
            saveLogs();
            deleteBaseDir();
            OPEN.remove(this);
        }
    }

    private void stopLeftoverPostmaster(Member m) {
        Optional<ProcessHandle> pm = postmaster(m.name);
        if (pm.isEmpty()) {
            return;
        }
        ProcessHandle h = pm.get();
        List<ProcessHandle> children = h.children().toList();
        appendLog(m, "harness: postmaster " + h.pid() + " still running after the daemon stopped; immediate shutdown");
        signal(h.pid(), "QUIT");
        if (!Processes.awaitGone(h, Duration.ofSeconds(15))) {
            h.destroyForcibly();
            Processes.awaitGone(h, Duration.ofSeconds(10));
        }
        for (ProcessHandle c : children) {
            // children of our postmaster (checked: same parent at listing time and still alive)
            if (c.isAlive() && c.parent().map(p -> p.pid() == h.pid()).orElse(true)) {
                c.destroyForcibly();
            }
        }
    }

    private void saveLogs() {
        try {
            String buildDir = System.getProperty("has.build.dir", "target");
            Path dest = Path.of(buildDir, "it-logs", options.label + "-" + baseDir.getFileName());
            Files.createDirectories(dest);
            try (Stream<Path> logs = Files.list(baseDir)) {
                for (Path p : logs.filter(p -> p.toString().endsWith(".log") || p.toString().endsWith(".yml"))
                        .toList()) {
                    Files.copy(p, dest.resolve(p.getFileName()), StandardCopyOption.REPLACE_EXISTING);
                }
            }
        } catch (IOException | RuntimeException e) {
            System.err.println("harness: cannot save logs: " + e);
        }
    }

    private void deleteBaseDir() {
        if (Boolean.getBoolean("has.it.keep")) {
            System.out.println("harness: keeping " + baseDir + " (-Dhas.it.keep=true)");
            return;
        }
        try (Stream<Path> walk = Files.walk(baseDir)) {
            for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                Files.deleteIfExists(p);
            }
        } catch (IOException | UncheckedIOException e) {
            System.err.println("harness: cannot delete " + baseDir + ": " + e);
        }
    }

    // ------------------------------------------------------------------------------------------
    // helpers

    static boolean isRoot() {
        try {
            Object uid = Files.getAttribute(Path.of("/proc/self"), "unix:uid", LinkOption.NOFOLLOW_LINKS);
            return Integer.valueOf(0).equals(uid);
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    static void chownToRunAs(Path p) throws IOException {
        UserPrincipalLookupService lookup = p.getFileSystem().getUserPrincipalLookupService();
        PosixFileAttributeView view = Files.getFileAttributeView(p, PosixFileAttributeView.class,
                LinkOption.NOFOLLOW_LINKS);
        view.setOwner(lookup.lookupPrincipalByName(RUN_AS));
        GroupPrincipal group = lookup.lookupPrincipalByGroupName(RUN_AS);
        view.setGroup(group);
    }

    static String findPgBin() {
        String configured = System.getProperty("has.pg.bin", System.getenv("HAS_PG_BIN"));
        if (configured != null && !configured.isBlank()) {
            return configured;
        }
        Path p15 = Path.of("/usr/lib/postgresql/15/bin");
        if (Files.isExecutable(p15.resolve("initdb"))) {
            return p15.toString();
        }
        try (Stream<Path> versions = Files.list(Path.of("/usr/lib/postgresql"))) {
            return versions.map(v -> v.resolve("bin"))
                    .filter(b -> Files.isExecutable(b.resolve("initdb")))
                    .max(Comparator.comparing(b -> Integer.parseInt(b.getParent().getFileName().toString()
                            .replaceAll("\\D", "0"))))
                    .map(Path::toString)
                    .orElseThrow(() -> new IllegalStateException("no PostgreSQL under /usr/lib/postgresql"));
        } catch (IOException e) {
            throw new IllegalStateException("no PostgreSQL found (set -Dhas.pg.bin)", e);
        }
    }

    private static final Set<Integer> HANDED_OUT = new HashSet<>();

    /**
     * A currently free TCP port on 127.0.0.1, never the same twice in this JVM. It is taken below
     * the kernel's ephemeral range (32768+ here), so an outgoing connection's local port can never
     * occupy it when a restarted member binds it again.
     */
    static synchronized int freePort() throws IOException {
        for (int attempt = 0; attempt < 1000; attempt++) {
            int port = java.util.concurrent.ThreadLocalRandom.current().nextInt(20_000, 32_000);
            if (HANDED_OUT.contains(port)) {
                continue;
            }
            try (ServerSocket s = new ServerSocket()) {
                s.setReuseAddress(false);
                s.bind(new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), port), 1);
            } catch (IOException e) {
                continue; // in use
            }
            HANDED_OUT.add(port);
            return port;
        }
        throw new IOException("no free port found in 20000-31999");
    }

    /**
     * The daemon jar: the {@code has.jar} system property set by failsafe, unless the environment
     * variable {@code HAS_IT_JAR} names another build to test.
     */
    static Path hasJar() {
        String override = System.getenv("HAS_IT_JAR");
        return Path.of(override != null && !override.isBlank() ? override : requiredProperty("has.jar"));
    }

    /**
     * Copies the daemon jar to {@code dest} with has-extra.jar beside it (the jar's manifest and index name
     * it: scripts/SplitJar.java), both readable by everyone.
     */
    public static void copyJar(Path source, Path dest) throws IOException {
        Path extra = dest.resolveSibling("has-extra.jar");
        Files.copy(source, dest, StandardCopyOption.REPLACE_EXISTING);
        Files.copy(source.resolveSibling("has-extra.jar"), extra, StandardCopyOption.REPLACE_EXISTING);
        for (Path p : List.of(dest, extra)) {
            Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rw-r--r--"));
        }
    }

    static String requiredProperty(String key) {
        String v = System.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("system property " + key + " is not set (run through mvn verify)");
        }
        return v;
    }

    static void pause(long millis) {
        try {
            Thread.sleep(millis); // poll interval inside a deadline loop
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted", e);
        }
    }
}
