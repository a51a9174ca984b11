package io.has.it;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

/**
 * A checker for lost writes and double primaries.
 *
 * <p>Every 50 ms ("tick") it takes the next id and tries {@code INSERT INTO has_check(id, ts)} with
 * that id on <em>every</em> member at once, each over its own reused autocommit connection with
 * short timeouts (connect 1 s, socket 2 s). A replica rejects the write (read-only transaction); an
 * unreachable member fails. For each tick it records which members committed and when. A tick ends
 * when every attempt has finished, so a hanging member slows ticks down but never hides a result.
 */
public final class Writer implements AutoCloseable {

    /** One tick: the id written and, per member, the instant its commit was acknowledged. */
    public record Tick(long id, Instant started, Map<String, Instant> committed) {
    }

    private static final Duration PERIOD = Duration.ofMillis(50);

    private final ClusterHarness cluster;
    private final List<String> members;
    private final Map<String, Connection> connections = new ConcurrentHashMap<>();
    private final Map<String, ExecutorService> perMember = new LinkedHashMap<>();
    private final Map<String, String> lastError = new ConcurrentHashMap<>();
    private final List<Tick> ticks = Collections.synchronizedList(new ArrayList<>());
    private final Thread loop;
    private volatile boolean running;
    private long nextId;

    /** Creates {@code has_check} on {@code leader} (as superuser); call {@link #start()} next. */
    public Writer(ClusterHarness cluster, String leader) throws SQLException {
        this(cluster, leader, 1, "has-it-writer");
    }

    /**
     * As above, writing ids {@code firstId, firstId + 1, ...}: concurrent writers on one table use
     * disjoint ranges; {@code name} prefixes the writer's thread names.
     */
    public Writer(ClusterHarness cluster, String leader, long firstId, String name) throws SQLException {
        this.cluster = cluster;
        this.nextId = firstId;
        this.members = cluster.names();
        try (Connection c = cluster.connect(leader, 5, 10); Statement s = c.createStatement()) {
            s.execute("CREATE TABLE IF NOT EXISTS has_check (id bigint PRIMARY KEY, ts timestamptz NOT NULL)");
        }
        for (String m : members) {
            perMember.put(m, Executors.newSingleThreadExecutor(r -> {
                Thread t = new Thread(r, name + "-" + m);
                t.setDaemon(true);
                return t;
            }));
        }
        this.loop = new Thread(this::run, name);
        loop.setDaemon(true);
    }

    public Writer start() {
        running = true;
        loop.start();
        return this;
    }

    /** Stops writing; waits for the tick in progress. */
    public void stop() {
        running = false;
        try {
            loop.join(Duration.ofSeconds(30).toMillis());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    @Override
    public void close() {
        stop();
        perMember.values().forEach(ExecutorService::shutdownNow);
        connections.values().forEach(Writer::closeQuietly);
        connections.clear();
    }

    private void run() {
        long next = System.nanoTime();
        while (running) {
            long id = nextId++;
            Instant started = Instant.now();
            Map<String, Instant> committed = new ConcurrentHashMap<>();
            List<CompletableFuture<Void>> attempts = new ArrayList<>();
            for (String m : members) {
                attempts.add(CompletableFuture.runAsync(() -> {
                    Instant at = tryInsert(m, id);
                    if (at != null) {
                        committed.put(m, at);
                    }
                }, perMember.get(m)));
            }
            try {
                CompletableFuture.allOf(attempts.toArray(CompletableFuture[]::new)).get(60, TimeUnit.SECONDS);
            } catch (Exception e) {
                // an attempt is bounded by the JDBC timeouts; this only guards against the impossible
                lastError.put("writer", e.toString());
            }
            ticks.add(new Tick(id, started, Map.copyOf(committed)));
            next += PERIOD.toNanos();
            long wait = next - System.nanoTime();
            if (wait > 0) {
                ClusterHarness.pause(TimeUnit.NANOSECONDS.toMillis(wait));
            } else {
                next = System.nanoTime(); // a slow tick: do not try to catch up
            }
        }
    }

    /** The commit instant, or null if the member did not accept the write. */
    private Instant tryInsert(String member, long id) {
        Connection c = connections.get(member);
        try {
            if (c == null) {
                c = cluster.connect(member, 1, 2);
                connections.put(member, c);
            }
            try (PreparedStatement ps = c.prepareStatement("INSERT INTO has_check (id, ts) VALUES (?, now())")) {
                ps.setLong(1, id);
                ps.executeUpdate(); // autocommit: returns once the commit is acknowledged
            }
            return Instant.now();
        } catch (SQLException e) {
            lastError.put(member, e.getSQLState() + " " + e.getMessage());
            // 25006 read-only transaction: a healthy replica, keep its connection
            if (c != null && !"25006".equals(e.getSQLState())) {
                connections.remove(member);
                closeQuietly(c);
            }
            return null;
        }
    }

    private static void closeQuietly(Connection c) {
        try {
            c.close();
        } catch (SQLException | RuntimeException e) {
            // already broken
        }
    }

    // ------------------------------------------------------------------------------------------
    // observations and checks

    public List<Tick> ticks() {
        synchronized (ticks) {
            return List.copyOf(ticks);
        }
    }

    /** True if {@code member} acknowledged a write that was attempted after {@code t}. */
    public boolean acceptedSince(String member, Instant t) {
        return ticks().stream().anyMatch(k -> k.started().isAfter(t) && k.committed().containsKey(member));
    }

    /** The highest id {@code member} acknowledged before {@code t}, or -1. */
    public long lastAcknowledged(String member, Instant t) {
        return ticks().stream().filter(k -> k.committed().containsKey(member) && k.committed().get(member).isBefore(t))
                .mapToLong(Tick::id).max().orElse(-1);
    }

    public long acknowledgedBy(String member) {
        return ticks().stream().filter(k -> k.committed().containsKey(member)).count();
    }

    /** No tick in which two members both accepted the write. */
    public void assertNeverTwoWritable() {
        List<Tick> both = ticksWithTwoWritable(ticks());
        if (!both.isEmpty()) {
            throw new AssertionError(both.size() + " tick(s) in which two members accepted a write, e.g. "
                    + both.subList(0, Math.min(5, both.size())) + "; " + summary());
        }
    }

    /** The ticks in which more than one member committed. */
    static List<Tick> ticksWithTwoWritable(List<Tick> ticks) {
        return ticks.stream().filter(k -> k.committed().size() > 1).toList();
    }

    /** Ids acknowledged (by any member) before {@code limit}, in order. */
    static Set<Long> acknowledgedBefore(List<Tick> ticks, Instant limit) {
        Set<Long> ids = new TreeSet<>();
        for (Tick k : ticks) {
            if (k.committed().values().stream().anyMatch(at -> at.isBefore(limit))) {
                ids.add(k.id());
            }
        }
        return ids;
    }

    /**
     * Every id whose commit was acknowledged (by any member) more than 1 s before {@code t} is
     * present on {@code member}.
     */
    public void assertAcknowledgedBefore(Instant t, String member) throws SQLException {
        Instant limit = t.minusSeconds(1);
        Set<Long> expected = acknowledgedBefore(ticks(), limit);
        Set<Long> present = new HashSet<>();
        try (Connection c = cluster.connect(member, 5, 30); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM has_check")) {
            while (rs.next()) {
                present.add(rs.getLong(1));
            }
        }
        List<Long> missing = expected.stream().filter(id -> !present.contains(id)).toList();
        if (expected.isEmpty()) {
            throw new AssertionError("no write was acknowledged before " + limit + "; " + summary());
        }
        if (!missing.isEmpty()) {
            throw new AssertionError(missing.size() + " of " + expected.size() + " writes acknowledged before "
                    + limit + " are missing on " + member + ", e.g. "
                    + missing.subList(0, Math.min(20, missing.size())) + "; " + summary());
        }
    }

    /** Ticks, acknowledgements per member and the last error per member. */
    public String summary() {
        List<Tick> all = ticks();
        Map<String, Long> acks = new LinkedHashMap<>();
        for (String m : members) {
            acks.put(m, all.stream().filter(k -> k.committed().containsKey(m)).count());
        }
        return "writer: " + all.size() + " ticks, acknowledged per member " + acks + ", last errors "
                + lastError.entrySet().stream().map(e -> e.getKey() + "=" + e.getValue())
                        .collect(Collectors.joining("; ", "{", "}"));
    }
}
