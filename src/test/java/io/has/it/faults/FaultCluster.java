package io.has.it.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.has.it.ClusterHarness;
import io.has.it.Writer;
import io.has.it.Writer.Tick;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;
import org.apache.zookeeper.KeeperException;

/**
 * The fault-injection harness: a {@link ClusterHarness} of 3 real daemons with real PostgreSQL,
 * two concurrent {@link Writer}s (disjoint id ranges, each probing every member every 50 ms, so
 * whichever member is writable receives the inserts) and the checker.
 *
 * <p>A scenario is a sequence of <em>steps</em>. A step starts from a converged cluster (one
 * leader, two streaming replicas, writes flowing), injects a fault, waits (generous deadlines, never
 * asserted durations) until the cluster has converged again, and then {@link #endStep checks} the
 * step's epoch: no two members accepted writes in overlapping windows ({@link Checker#overlaps}),
 * unless the step is the documented SIGSTOP case, where the overlap is printed instead. Each step
 * declares the promotions it caused ({@link #promoted}); {@link #checkHistory} compares them with
 * the {@code history} key. Timings are printed with the prefix {@code [faults]}.
 */
public final class FaultCluster implements AutoCloseable {

    static final Duration CONVERGE = Duration.ofSeconds(180);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final List<String> REPORT = new ArrayList<>();

    /** A REST answer: status and body (status -1 when the member did not answer). */
    public record Response(int status, String body) {
    }

    private final ClusterHarness cluster;
    private final String label;
    private final List<Writer> writers = new ArrayList<>();
    private final List<String> promotions = new ArrayList<>();
    private final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2)).build();
    private Instant epochStart;
    private String step;
    private Instant stepStart;

    private FaultCluster(ClusterHarness cluster, String label) {
        this.cluster = cluster;
        this.label = label;
    }

    /**
     * Starts the daemons, waits for the bootstrap to converge and starts both writers. The caller
     * owns the returned object (close it; it closes the harness too).
     */
    public static FaultCluster start(ClusterHarness.Options options, String label) throws Exception {
        ClusterHarness h = ClusterHarness.create(options.label(label));
        FaultCluster f = new FaultCluster(h, label);
        try {
            Instant t0 = Instant.now();
            h.startAll();
            String leader = f.awaitConverged(CONVERGE);
            f.log("bootstrap: " + leader + " leads after " + secs(Duration.between(t0, Instant.now())));
            f.writers.add(new Writer(h, leader, 1, "writer-a").start());
            f.writers.add(new Writer(h, leader, 1_000_000_001L, "writer-b").start());
            f.awaitWritesOn(leader, Instant.now());
            f.epochStart = Instant.now();
            return f;
        } catch (Exception | Error e) {
            h.markFailed();
            f.close();
            throw e;
        }
    }

    public ClusterHarness harness() {
        return cluster;
    }

    // ------------------------------------------------------------------------------------------
    // steps

    /** Begins a step: the cluster must be converged with writes on the leader; returns the leader. */
    public String beginStep(String name) {
        String leader = awaitConverged(CONVERGE);
        awaitWritesOn(leader, Instant.now());
        this.epochStart = Instant.now();
        this.step = name;
        this.stepStart = epochStart;
        log(name + ": begins with leader " + leader);
        return leader;
    }

    /** The step caused one promotion (a new timeline) of {@code member}. */
    public void promoted(String member) {
        promotions.add(member);
    }

    /**
     * Ends the step: waits for convergence and writes on the leader, checks the epoch for
     * overlapping writable members (printed, not asserted, when {@code overlapAllowed}) and the
     * {@code history} key. Returns the leader.
     */
    public String endStep(boolean overlapAllowed) {
        String leader = awaitConverged(CONVERGE);
        awaitWritesOn(leader, Instant.now());
        Instant end = Instant.now();
        List<String> overlaps = Checker.overlaps(histories(), epochStart, end);
        String took = secs(Duration.between(stepStart, end));
        if (overlapAllowed) {
            log(step + ": converged on " + leader + " after " + took + "; overlap of writable members (allowed here, "
                    + "no watchdog): " + (overlaps.isEmpty() ? "none" : "\n    " + String.join("\n    ", overlaps)));
        } else {
            assertTrue(overlaps.isEmpty(), step + ": two members accepted writes in overlapping windows:\n    "
                    + String.join("\n    ", overlaps) + "\n" + summary());
            log(step + ": converged on " + leader + " after " + took + ", no overlapping writable members");
        }
        checkHistory(leader);
        epochStart = end;
        return leader;
    }

    // ------------------------------------------------------------------------------------------
    // waiting

    /**
     * One member holds the leader key and answers {@code /primary} 200, no other does, and both
     * others are streaming replicas answering {@code /replica} 200. Tolerates an unreachable
     * ZooKeeper while it waits.
     */
    public String awaitConverged(Duration deadline) {
        String[] last = {"nothing observed"};
        return poll("a converged cluster (1 leader, 2 streaming replicas)", deadline, () -> {
            String leader = cluster.leaderFromZk();
            List<String> primaries = new ArrayList<>();
            List<String> replicas = new ArrayList<>();
            for (String n : cluster.names()) {
                if (cluster.isPrimary(n)) {
                    primaries.add(n);
                } else if (cluster.isStreamingReplica(n) && cluster.isReplicaByRest(n)) {
                    replicas.add(n);
                }
            }
            last[0] = "leader key " + leader + ", /primary on " + primaries + ", streaming replicas " + replicas;
            return leader != null && primaries.equals(List.of(leader)) && replicas.size() == 2 ? leader : null;
        }, () -> last[0]);
    }

    /** Both writers had an insert acknowledged by {@code member} in a tick started after {@code since}. */
    public void awaitWritesOn(String member, Instant since) {
        poll("writes from both writers acknowledged by " + member, Duration.ofSeconds(90), () ->
                writers.stream().allMatch(w -> w.acceptedSince(member, since)) ? Boolean.TRUE : null, this::summary);
    }

    /**
     * Waits until the other members have replayed the last write each writer had acknowledged on
     * {@code leader} when this was called, and returns that instant: every write acknowledged
     * before it is on every member (WAL is replayed in order), so it must survive any crash of the
     * leader that follows, even without synchronous replication.
     */
    public Instant awaitReplicated(String leader) {
        awaitWritesOn(leader, stepStart); // something acknowledged in this step, before the returned instant
        Instant t = Instant.now();
        List<Long> last = new ArrayList<>();
        for (Writer w : writers) {
            w.ticks().stream().filter(k -> k.committed().containsKey(leader) && k.committed().get(leader).isBefore(t))
                    .mapToLong(Tick::id).max().ifPresent(last::add);
        }
        String in = last.stream().map(String::valueOf).collect(Collectors.joining(","));
        for (String m : cluster.names()) {
            if (m.equals(leader) || last.isEmpty()) {
                continue;
            }
            poll(m + " replaying ids " + last, Duration.ofSeconds(60), () -> {
                try (Connection c = cluster.connect(m, 2, 5); Statement s = c.createStatement();
                        ResultSet rs = s.executeQuery("SELECT count(*) FROM has_check WHERE id IN (" + in + ")")) {
                    return rs.next() && rs.getLong(1) == last.size() ? Boolean.TRUE : null;
                }
            }, () -> "not replayed");
        }
        return t;
    }

    /**
     * A member other than {@code old} holds the leader key, answers {@code /primary} 200 and
     * acknowledged writes of both writers attempted after {@code since}; returns it.
     */
    public String awaitNewLeader(String old, Instant since, Duration deadline) {
        return poll("a new leader other than " + old + " accepting writes", deadline, () -> {
            String l = cluster.leaderFromZk();
            if (l == null || l.equals(old) || !cluster.isPrimary(l)
                    || !writers.stream().allMatch(w -> w.acceptedSince(l, since))) {
                return null;
            }
            return l;
        }, this::summary);
    }

    /**
     * Polls {@code probe} every 250 ms until it returns non-null, up to {@code deadline}; exceptions
     * (an unreachable ZooKeeper, a refused connection) count as "not yet".
     */
    public <T> T poll(String what, Duration deadline, Callable<T> probe, Callable<String> lastObservation) {
        long end = System.nanoTime() + deadline.toNanos();
        Exception lastError = null;
        while (true) {
            try {
                T v = probe.call();
                if (v != null) {
                    return v;
                }
            } catch (Exception e) {
                lastError = e;
            }
            if (System.nanoTime() > end) {
                String obs;
                try {
                    obs = lastObservation.call();
                } catch (Exception e) {
                    obs = e.toString();
                }
                throw new AssertionError(label + ": no " + what + " within " + deadline.toSeconds() + " s; last: " + obs
                        + (lastError == null ? "" : "; last error: " + lastError));
            }
            pause(250);
        }
    }

    // ------------------------------------------------------------------------------------------
    // checks

    /**
     * Every id acknowledged (by any member) in a tick started at or after {@code from}, at or
     * before {@code limit}, is present on {@code member}. With {@code from} = EPOCH and
     * {@code limit} = now, no acknowledged write at all may be missing.
     */
    public void assertAcknowledgedPresent(String member, Instant from, Instant limit, String why)
            throws SQLException {
        Set<Long> expected = Checker.acknowledgedBy(histories(), from, limit);
        Set<Long> present = ids(member);
        List<Long> missing = expected.stream().filter(id -> !present.contains(id)).toList();
        assertTrue(!expected.isEmpty(), "no write acknowledged before " + limit + "; " + summary());
        assertTrue(missing.isEmpty(), missing.size() + " of " + expected.size() + " writes acknowledged at or before "
                + limit + " are missing on " + member + " (" + why + "), e.g. "
                + missing.subList(0, Math.min(20, missing.size())) + "; " + summary());
        log(step + ": all " + expected.size() + " writes acknowledged at or before " + limit + " are on " + member
                + " (" + why + ")");
    }

    /**
     * The {@code history} key has one entry per promotion the steps declared, in order:
     * consecutive timelines from 1, each naming the member that promoted; the leader runs on the
     * timeline after the last entry.
     */
    public void checkHistory(String leader) {
        JsonNode history = poll("a readable history key", Duration.ofSeconds(60), () -> zkJson("history"),
                () -> "unreadable");
        List<String> named = new ArrayList<>();
        for (int i = 0; i < history.size(); i++) {
            JsonNode e = history.get(i);
            assertEquals(i + 1, e.get(0).asInt(), "timeline of history entry " + i + " in " + history);
            assertTrue(e.size() >= 5, "history entry " + i + " has [timeline, lsn, reason, timestamp, new_leader]: "
                    + history);
            named.add(e.get(4).asText());
        }
        assertEquals(promotions, named, "history entries' new leaders vs the promotions this test caused: " + history);
        JsonNode status = poll("/patroni of " + leader + " with its timeline", Duration.ofSeconds(60),
                () -> {
                    JsonNode s = cluster.patroni(leader);
                    return s != null && s.has("timeline") ? s : null;
                }, () -> "no answer");
        assertEquals(promotions.size() + 1, status.get("timeline").asInt(), "timeline of the leader " + leader
                + " after " + promotions.size() + " promotion(s): " + status);
    }

    /** The ids in {@code has_check} on {@code member}. */
    public Set<Long> ids(String member) throws SQLException {
        Set<Long> present = new HashSet<>();
        try (Connection c = cluster.connect(member, 5, 30); Statement s = c.createStatement();
                ResultSet rs = s.executeQuery("SELECT id FROM has_check")) {
            while (rs.next()) {
                present.add(rs.getLong(1));
            }
        }
        return present;
    }

    /** The write gap of a leadership change (or restart in place) at {@code fault}, as text. */
    public String writeGap(Instant fault, String from, String to) {
        Duration gap = Checker.writeGap(histories(), fault, Instant.now(), from, to);
        return gap == null ? "n/a" : secs(gap);
    }

    /** {@code sync_state} of {@code standby} in the leader's pg_stat_replication, or null. */
    public String syncStateOf(String leader, String standby) throws SQLException {
        try (Connection c = cluster.connect(leader, 2, 5);
                java.sql.PreparedStatement ps = c.prepareStatement(
                        "SELECT sync_state FROM pg_stat_replication WHERE application_name = ?")) {
            ps.setString(1, standby);
            try (ResultSet rs = ps.executeQuery()) {
                return rs.next() ? rs.getString(1) : null;
            }
        }
    }

    /** When the current step began. */
    public Instant stepStart() {
        return stepStart;
    }

    public List<List<Tick>> histories() {
        return writers.stream().map(Writer::ticks).toList();
    }

    public String summary() {
        return writers.stream().map(Writer::summary).collect(Collectors.joining("\n"));
    }

    // ------------------------------------------------------------------------------------------
    // ZooKeeper and REST

    /** The JSON value of {@code /service/<scope>/<relative>}, or null when the key does not exist. */
    public JsonNode zkJson(String relative) throws Exception {
        try {
            byte[] data = cluster.curator().getData().forPath(cluster.zkPath(relative));
            return data == null || data.length == 0 ? null : JSON.readTree(data);
        } catch (KeeperException.NoNodeException e) {
            return null;
        }
    }

    public Response post(String member, String path, String json) {
        return send(member, path, "POST", json);
    }

    public Response patch(String member, String path, String json) {
        return send(member, path, "PATCH", json);
    }

    public Response delete(String member, String path) {
        return send(member, path, "DELETE", null);
    }

    private Response send(String member, String path, String method, String json) {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(cluster.restUrl(member, path)))
                .timeout(Duration.ofSeconds(90));
        if (json == null) {
            b.method(method, HttpRequest.BodyPublishers.noBody());
        } else {
            b.header("Content-Type", "application/json")
                    .method(method, HttpRequest.BodyPublishers.ofString(json, StandardCharsets.UTF_8));
        }
        try {
            HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
            return new Response(r.statusCode(), r.body());
        } catch (IOException e) {
            return new Response(-1, e.toString());
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return new Response(-1, e.toString());
        }
    }

    // ------------------------------------------------------------------------------------------
    // output and cleanup

    /** Prints {@code [faults] <label>: <line>} and keeps it for {@link #report}. */
    public void log(String line) {
        String s = "[faults] " + label + ": " + line;
        synchronized (REPORT) {
            REPORT.add(s);
        }
        System.out.println(s);
        System.out.flush();
    }

    /** Every line logged so far in this JVM. */
    static List<String> report() {
        synchronized (REPORT) {
            return List.copyOf(REPORT);
        }
    }

    public static String secs(Duration d) {
        return String.format("%.1f s", d.toMillis() / 1000.0);
    }

    public void markFailed() {
        cluster.markFailed();
    }

    @Override
    public void close() {
        for (Writer w : writers) {
            try {
                w.close();
            } catch (RuntimeException e) {
                System.err.println("faults: closing a writer: " + e);
            }
        }
        if (!writers.isEmpty()) {
            log("writers at close:\n" + summary());
        }
        cluster.close();
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
