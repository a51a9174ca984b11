package io.has.api;

import static io.has.api.RestFixtures.LSN;
import static io.has.api.RestFixtures.NOW;
import static io.has.api.RestFixtures.config;
import static io.has.api.RestFixtures.goldenCluster;
import static io.has.api.RestFixtures.leaderSnapshot;
import static io.has.api.RestFixtures.noClusterYet;
import static io.has.api.RestFixtures.pausedSnapshot;
import static io.has.api.RestFixtures.replicaSnapshot;
import static io.has.api.RestFixtures.snapshot;
import static io.has.api.RestFixtures.stoppedSnapshot;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.has.cluster.Cluster;
import io.has.cluster.Failover;
import io.has.cluster.HistoryEntry;
import io.has.cluster.HostPort;
import io.has.cluster.PgState;
import io.has.cluster.SyncState;
import io.has.config.HasConfig;
import io.has.db.LocalState;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The REST API end to end: real Undertow on loopback, answers checked against Patroni 3.0.2's. */
class RestServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private static final AtomicReference<StatusSnapshot> CURRENT = new AtomicReference<>();
    private static RestServer server;
    private static HttpClient http;
    private static String base;

    @BeforeAll
    static void startServer() {
        server = new RestServer(new HasConfig.RestApi(new HostPort("127.0.0.1", 0), null, null, null),
                CURRENT::get, () -> NOW);
        server.start();
        base = "http://127.0.0.1:" + server.address().getPort();
        http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(DEADLINE).build();
    }

    @AfterAll
    static void stopServer() {
        server.close();
    }

    @BeforeEach
    void noSnapshot() {
        CURRENT.set(null);
    }

    private static HttpResponse<String> call(String method, String path) throws Exception {
        HttpRequest req = HttpRequest.newBuilder(URI.create(base + path)).timeout(DEADLINE)
                .method(method, HttpRequest.BodyPublishers.noBody()).build();
        return http.send(req, HttpResponse.BodyHandlers.ofString());
    }

    private static HttpResponse<String> get(String path) throws Exception {
        return call("GET", path);
    }

    private static JsonNode getJson(String path, int expectedCode) throws Exception {
        HttpResponse<String> r = get(path);
        assertEquals(expectedCode, r.statusCode(), path);
        assertEquals("application/json", r.headers().firstValue("Content-Type").orElse(""), path);
        return JSON.readTree(r.body());
    }

    // ---------------------------------------------------------------- golden status-code tables

    private static final Pattern ROW =
            Pattern.compile("(\\S+)\\s+GET (\\d{3})(?:\\s+\\(HEAD (\\d{3}), OPTIONS (\\d{3})\\))?");

    static Stream<Arguments> goldenStatusCodes() {
        List<Arguments> rows = new ArrayList<>();
        addRows(rows, "leader", RestFixtures::leaderSnapshot, GoldenRest.STATUS_CODES_LEADER);
        addRows(rows, "replica", RestFixtures::replicaSnapshot, GoldenRest.STATUS_CODES_REPLICA);
        return rows.stream();
    }

    private static void addRows(List<Arguments> rows, String situation, Supplier<StatusSnapshot> s, String table) {
        for (String line : table.strip().split("\n")) {
            Matcher m = ROW.matcher(line.strip());
            if (!m.matches()) {
                throw new IllegalArgumentException("unparsable golden row: " + line);
            }
            int getCode = Integer.parseInt(m.group(2));
            int head = m.group(3) == null ? getCode : Integer.parseInt(m.group(3));
            int options = m.group(4) == null ? getCode : Integer.parseInt(m.group(4));
            rows.add(Arguments.of(situation, s, m.group(1), "GET", getCode));
            rows.add(Arguments.of(situation, s, m.group(1), "HEAD", head));
            rows.add(Arguments.of(situation, s, m.group(1), "OPTIONS", options));
        }
    }

    @ParameterizedTest(name = "{0}: {3} {2} -> {4}")
    @MethodSource("goldenStatusCodes")
    void statusCodesMatchPatroni(String situation, Supplier<StatusSnapshot> s, String path, String method,
                                 int expected) throws Exception {
        CURRENT.set(s.get());
        HttpResponse<String> r = call(method, path);
        assertEquals(expected, r.statusCode(), situation + " " + method + " " + path);
        if (!method.equals("GET")) {
            assertEquals("", r.body());
        }
    }

    @Test
    void everyAnswerCarriesTheDateOfTheWallClockInHttpForm() throws Exception {
        // HAS writes the header itself (HttpDate); an independent formatter is the oracle
        String expected = DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
                .format(Instant.ofEpochMilli(NOW).atOffset(ZoneOffset.UTC));
        CURRENT.set(leaderSnapshot());
        for (String[] call : new String[][] {{"GET", "/patroni"}, {"HEAD", "/primary"}, {"GET", "/replica"},
                {"OPTIONS", "/health"}, {"PUT", "/nothing-here"}}) {
            HttpResponse<String> r = call(call[0], call[1]);
            assertEquals(List.of(expected), r.headers().allValues("Date"), call[0] + " " + call[1]);
        }
    }

    @Test
    void headAndOptionsAnswerWithStatusOnly() throws Exception {
        CURRENT.set(leaderSnapshot());
        HttpResponse<String> head = call("HEAD", "/primary");
        assertEquals(200, head.statusCode());
        assertEquals("", head.body());
        HttpResponse<String> headPatroni = call("HEAD", "/patroni");
        assertEquals(503, headPatroni.statusCode(), "HEAD has no /patroni handler in Patroni");
        assertEquals("", headPatroni.body());

        CURRENT.set(replicaSnapshot());
        HttpResponse<String> options = call("OPTIONS", "/replica");
        assertEquals(200, options.statusCode());
        assertEquals("", options.body());
    }

    // ---------------------------------------------------------------- status document

    @Test
    void patroniDocumentOfAPrimaryHasGoldenFieldsAndTypes() throws Exception {
        CURRENT.set(leaderSnapshot());
        JsonNode doc = getJson("/patroni", 200);
        assertSameShape(JSON.readTree(GoldenRest.PATRONI_LEADER), doc, "", Set.of("patroni.name"));
        assertEquals("primary", doc.get("role").asText(), "v4 vocabulary");
        assertEquals("running", doc.get("state").asText());
        assertEquals(LSN, doc.at("/xlog/location").asLong());
        assertEquals(150018, doc.get("server_version").asInt());
        assertEquals(1795287601, doc.get("dcs_last_seen").asLong());
        assertEquals("2026-11-21 18:59:37.815812+00:00", doc.get("postmaster_start_time").asText());
        assertEquals("pg3", doc.at("/replication/0/application_name").asText());
        assertEquals("pg1", doc.at("/patroni/name").asText());
        assertFalse(doc.has("cluster_unlocked"));
        assertFalse(doc.has("pause"));
    }

    @Test
    void patroniDocumentOfAReplicaHasGoldenFieldsAndTypes() throws Exception {
        CURRENT.set(replicaSnapshot());
        JsonNode doc = getJson("/patroni", 200);
        // patroni.name and replication_state are Patroni 4's (the golden document is 3.0.2's)
        assertSameShape(JSON.readTree(GoldenRest.PATRONI_REPLICA), doc, "", Set.of("patroni.name", "replication_state"));
        assertEquals("replica", doc.get("role").asText());
        assertEquals("streaming", doc.get("replication_state").asText());
        assertEquals(LSN, doc.at("/xlog/received_location").asLong());
        assertEquals(LSN, doc.at("/xlog/replayed_location").asLong());
        assertTrue(doc.at("/xlog/replayed_timestamp").isNull());
        assertFalse(doc.at("/xlog/paused").asBoolean());
        assertEquals("2026-11-21 18:59:50.306090+00:00", doc.get("postmaster_start_time").asText(),
                "PostgreSQL's +00 is printed as Python's str() does");
    }

    @Test
    void aReplicaWhoseWalReceiverDoesNotStreamIsInArchiveRecovery() {
        LocalState streaming = RestFixtures.runningReplica(LSN);
        LocalState notStreaming = new LocalState(PgState.RUNNING, false, streaming.systemId(), true, false, LSN, LSN,
                LSN, null, 1, 150018, null, List.of(), null, false, null);
        Map<String, Object> doc = StatusDocument.build(snapshot("pg2", notStreaming, false, goldenCluster(), config(),
                Map.of(), NOW + 10_000), null);
        assertEquals("in archive recovery", doc.get("replication_state"));
        Map<String, Object> leader = StatusDocument.build(leaderSnapshot(), null);
        assertFalse(leader.containsKey("replication_state"), "a primary has no WAL receiver");
    }

    @Test
    void everyHealthCheckGetCarriesTheStatusDocument() throws Exception {
        CURRENT.set(leaderSnapshot());
        JsonNode patroni = getJson("/patroni", 200);
        assertEquals(patroni, getJson("/replica", 503));
        assertEquals(patroni, getJson("/primary", 200));
        assertEquals(patroni, getJson("/no/such/path", 503));
    }

    @Test
    void pausedLeaderReportsPauseEverywhere() throws Exception {
        CURRENT.set(pausedSnapshot());
        assertTrue(getJson("/patroni", 200).get("pause").asBoolean());
        assertTrue(getJson("/cluster", 200).get("pause").asBoolean());
    }

    @Test
    void stoppedDatabaseReportsStateAndLastPublishedRoleOnly() throws Exception {
        CURRENT.set(stoppedSnapshot());
        JsonNode doc = getJson("/patroni", 200);
        assertEquals("stopped", doc.get("state").asText());
        assertEquals("replica", doc.get("role").asText());
        assertFalse(doc.has("xlog"));
        assertFalse(doc.has("server_version"));
        assertTrue(doc.has("patroni"));
        assertEquals(503, get("/health").statusCode());
    }

    @Test
    void beforeTheFirstCycleEverythingIsUnknown() throws Exception {
        JsonNode doc = getJson("/patroni", 200);
        assertEquals("unknown", doc.get("state").asText());
        assertTrue(doc.get("cluster_unlocked").asBoolean());
        assertEquals("unknown", getJson("/primary", 503).get("state").asText());
        assertEquals(503, get("/replica").statusCode());
        assertEquals(503, get("/readiness").statusCode());
        assertEquals(200, get("/metrics").statusCode());
    }

    @Test
    void noClusterYetMeansUnlockedAndNoDcsDocuments() throws Exception {
        CURRENT.set(noClusterYet());
        JsonNode doc = getJson("/patroni", 200);
        assertTrue(doc.get("cluster_unlocked").asBoolean());
        assertEquals(0, doc.get("dcs_last_seen").asLong());
        assertEquals(503, get("/cluster").statusCode());
        assertEquals(503, get("/history").statusCode());
        assertEquals(502, get("/config").statusCode());
        assertEquals(200, get("/replica").statusCode(), "a running replica stays in rotation");
    }

    // ---------------------------------------------------------------- /cluster, /history, /config

    @Test
    void clusterDocumentEqualsGolden() throws Exception {
        CURRENT.set(replicaSnapshot());
        JsonNode golden = JSON.readTree(GoldenRest.CLUSTER);
        JsonNode doc = getJson("/cluster", 200);
        assertEquals(golden, doc);
        for (JsonNode m : doc.get("members")) {
            if (m.get("role").asText().equals("leader")) {
                assertFalse(m.has("lag"));
            } else {
                assertEquals(0, m.get("lag").asLong());
            }
        }
        Set<String> appendixKeys = new TreeSet<>();
        JSON.readTree(GoldenRest.CLUSTER_APPENDIX).get("members").get(1).fieldNames().forEachRemaining(appendixKeys::add);
        Set<String> ours = new TreeSet<>();
        doc.get("members").get(1).fieldNames().forEachRemaining(ours::add);
        assertEquals(appendixKeys, ours);
    }

    @Test
    void clusterDocumentShowsSyncStandbyLagAndScheduledSwitchover() throws Exception {
        OffsetDateTime at = OffsetDateTime.parse("2026-11-21T20:00:00+00:00");
        Cluster c = RestFixtures.cluster(LSN + 4096, new SyncState("pg1", List.of("pg3"), 1),
                new Failover("pg1", "pg3", at, 2), List.of());
        CURRENT.set(replicaSnapshot(c, config(), Map.of()));
        JsonNode doc = getJson("/cluster", 200);
        assertEquals("sync_standby", doc.at("/members/2/role").asText());
        assertEquals("replica", doc.at("/members/1/role").asText());
        assertEquals(4096, doc.at("/members/1/lag").asLong());
        assertEquals("2026-11-21T20:00:00+00:00", doc.at("/scheduled_switchover/at").asText());
        assertEquals("pg1", doc.at("/scheduled_switchover/from").asText());
        assertEquals("pg3", doc.at("/scheduled_switchover/to").asText());
    }

    @Test
    void historyEqualsGolden() throws Exception {
        JsonNode golden = JSON.readTree(GoldenRest.HISTORY_APPENDIX);
        List<HistoryEntry> entries = new ArrayList<>();
        for (JsonNode l : golden) {
            entries.add(new HistoryEntry(l.get(0).asInt(), l.get(1).asLong(), l.get(2).asText(), l.get(3).asText(),
                    l.get(4).asText()));
        }
        Cluster c = RestFixtures.cluster(LSN, SyncState.EMPTY, Failover.NONE, entries);
        CURRENT.set(replicaSnapshot(c, config(), Map.of()));
        assertEquals(golden, getJson("/history", 200));

        CURRENT.set(replicaSnapshot());
        assertEquals(JSON.readTree("[]"), getJson("/history", 200));
    }

    @Test
    void configEqualsGoldenAndActionsWithoutALoopAre503() throws Exception {
        CURRENT.set(leaderSnapshot());
        assertEquals(JSON.readTree(GoldenRest.CONFIG), getJson("/config", 200));
        HttpResponse<String> patch = http.send(HttpRequest.newBuilder(URI.create(base + "/config")).timeout(DEADLINE)
                .method("PATCH", HttpRequest.BodyPublishers.ofString("{\"ttl\":40}")).build(),
                HttpResponse.BodyHandlers.ofString());
        assertEquals(503, patch.statusCode(), "the read-only constructor has no loop to act");
        assertEquals("the HA loop is not running", patch.body());
    }

    @Test
    void otherMethodsOnUnknownPathsAre501() throws Exception {
        CURRENT.set(leaderSnapshot());
        HttpResponse<String> r = call("POST", "/unknown");
        assertEquals(501, r.statusCode());
        assertTrue(r.body().contains("Server does not support this operation"), r.body());
        assertEquals(501, call("DELETE", "/primary").statusCode());
    }

    // ---------------------------------------------------------------- lag, tags, liveness, readiness

    @Test
    void replicaLagQueryOverHttp() throws Exception {
        Cluster behind = RestFixtures.cluster(LSN + (2L << 20), SyncState.EMPTY, Failover.NONE, List.of());
        CURRENT.set(replicaSnapshot(behind, config(), Map.of()));
        assertEquals(503, get("/replica?lag=1MB").statusCode());
        assertEquals(200, get("/replica?lag=10MB").statusCode());
        assertEquals(200, get("/replica").statusCode());

        CURRENT.set(replicaSnapshot());
        assertEquals(200, get("/replica?lag=1MB").statusCode());
    }

    @Test
    void tagFiltersOverHttp() throws Exception {
        CURRENT.set(replicaSnapshot(goldenCluster(), config(), Map.of("dc", "east", "nosync", true)));
        assertEquals(200, get("/replica?tag_dc=east").statusCode());
        assertEquals(200, get("/replica?tag_dc=east&tag_nosync=true").statusCode());
        assertEquals(503, get("/replica?tag_dc=west").statusCode());
        assertEquals(503, get("/read-only?tag_rack=r1").statusCode());
        CURRENT.set(leaderSnapshot());
        assertEquals(200, get("/primary?tag_dc=west").statusCode(), "tags are ignored for primary checks");
    }

    @Test
    void livenessAndReadinessAnswerWithEmptyBodies() throws Exception {
        CURRENT.set(leaderSnapshot());
        HttpResponse<String> live = get("/liveness");
        assertEquals(200, live.statusCode());
        assertEquals("", live.body());
        HttpResponse<String> ready = get("/readiness");
        assertEquals(200, ready.statusCode());
        assertEquals("", ready.body());

        StatusSnapshot l = leaderSnapshot();
        CURRENT.set(snapshot("pg1", l.local(), true, l.cluster(), l.config(), Map.of(), NOW - 30_000));
        assertEquals(503, get("/liveness").statusCode(), "primary overdue by ttl");
        CURRENT.set(snapshot("pg2", RestFixtures.runningReplica(LSN), false, goldenCluster(), config(), Map.of(),
                NOW - 30_000));
        assertEquals(200, get("/liveness").statusCode(), "a replica may be overdue up to 2 x ttl");

        CURRENT.set(noClusterYet());
        assertEquals(503, get("/readiness").statusCode());
        CURRENT.set(stoppedSnapshot());
        assertEquals(503, get("/readiness").statusCode());
    }

    // ---------------------------------------------------------------- /metrics

    @Test
    void metricsCarryEveryGoldenMetricExceptPatroniMaster() throws Exception {
        CURRENT.set(leaderSnapshot());
        HttpResponse<String> r = get("/metrics");
        assertEquals(200, r.statusCode());
        assertEquals("text/plain; version=0.0.4; charset=utf-8", r.headers().firstValue("Content-Type").orElse(""));
        Map<String, String> ours = helpAndType(r.body());
        ours.keySet().removeIf(k -> k.startsWith("has_"));
        Map<String, String> golden = helpAndType(GoldenRest.METRICS_LEADER);
        golden.remove("patroni_master");
        assertEquals(golden, ours, "same metric names with the same HELP and TYPE lines");
        assertFalse(r.body().contains("patroni_master"));

        Map<String, String> values = samples(r.body());
        values.keySet().removeIf(k -> k.startsWith("has_"));
        assertEquals(golden.size(), values.size(), "one sample per metric");
        String labels = "{scope=\"batman\",name=\"pg1\"}";
        assertEquals("1", values.get("patroni_primary" + labels));
        assertEquals(String.valueOf(LSN), values.get("patroni_xlog_location" + labels));
        assertEquals("150018", values.get("patroni_postgres_server_version" + labels));
        assertEquals("1795287577.815812", values.get("patroni_postmaster_start_time" + labels));
        assertEquals("1795287601", values.get("patroni_dcs_last_seen" + labels));
        assertEquals("0", values.get("patroni_replica" + labels));

        CURRENT.set(replicaSnapshot());
        Map<String, String> replica = samples(get("/metrics").body());
        String rl = "{scope=\"batman\",name=\"pg2\"}";
        assertEquals("1", replica.get("patroni_replica" + rl));
        assertEquals("0", replica.get("patroni_xlog_location" + rl));
        assertEquals(String.valueOf(LSN), replica.get("patroni_xlog_replayed_location" + rl));
    }

    /** metric name → "HELP text | TYPE". */
    private static Map<String, String> helpAndType(String text) {
        Map<String, String> help = new LinkedHashMap<>();
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (line.startsWith("# HELP ")) {
                String[] p = line.substring(7).split(" ", 2);
                help.put(p[0], p[1]);
            } else if (line.startsWith("# TYPE ")) {
                String[] p = line.substring(7).split(" ", 2);
                out.put(p[0], help.get(p[0]) + " | " + p[1]);
            }
        }
        return out;
    }

    /** "name{labels}" → value. */
    private static Map<String, String> samples(String text) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : text.split("\n")) {
            if (!line.startsWith("#") && !line.isBlank()) {
                int sp = line.lastIndexOf(' ');
                out.put(line.substring(0, sp), line.substring(sp + 1));
            }
        }
        return out;
    }

    // ---------------------------------------------------------------- connection handling

    @Test
    void twoRequestsOnOneKeepAliveConnectionBothAnswer() throws Exception {
        CURRENT.set(leaderSnapshot());
        InetSocketAddress a = server.address();
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress("127.0.0.1", a.getPort()), (int) DEADLINE.toMillis());
            socket.setSoTimeout((int) DEADLINE.toMillis());
            OutputStream out = socket.getOutputStream();
            InputStream in = socket.getInputStream();
            out.write("GET /primary HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            RawResponse first = RawResponse.read(in);
            assertEquals(200, first.status);
            assertEquals("running", JSON.readTree(first.body).get("state").asText());
            out.write("GET /replica HTTP/1.1\r\nHost: localhost\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            RawResponse second = RawResponse.read(in);
            assertEquals(503, second.status);
            assertEquals("running", JSON.readTree(second.body).get("state").asText());
        }
    }

    @Test
    void aClientStalledMidRequestLineDoesNotDelayOthers() throws Exception {
        CURRENT.set(leaderSnapshot());
        InetSocketAddress a = server.address();
        try (Socket stalled = new Socket()) {
            stalled.connect(new InetSocketAddress("127.0.0.1", a.getPort()), (int) DEADLINE.toMillis());
            OutputStream out = stalled.getOutputStream();
            out.write("GET /prim".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            // The stalled connection stays open while another client asks; only the single IO thread
            // serves both, so this proves the half-read request holds nothing.
            HttpResponse<String> r = get("/primary");
            assertEquals(200, r.statusCode());
            HttpResponse<String> head = call("HEAD", "/primary");
            assertEquals(200, head.statusCode());
        }
    }

    @Test
    void bindFailureNamesTheAddressAndLifecycleIsOneShot() {
        int port = server.address().getPort();
        RestServer clash = new RestServer(new HasConfig.RestApi(new HostPort("127.0.0.1", port), null, null, null),
                CURRENT::get);
        IllegalStateException e = assertThrows(IllegalStateException.class, clash::start);
        assertTrue(e.getMessage().contains("127.0.0.1:" + port), e.getMessage());
        clash.close();
        clash.close();
        assertThrows(IllegalStateException.class, clash::start, "a closed server cannot be restarted");
    }

    /** Minimal HTTP/1.1 response reader for the keep-alive test (Content-Length framing only). */
    private record RawResponse(int status, Map<String, String> headers, String body) {

        static RawResponse read(InputStream in) throws IOException {
            ByteArrayOutputStream head = new ByteArrayOutputStream();
            int matched = 0;
            byte[] end = {'\r', '\n', '\r', '\n'};
            while (matched < 4) {
                int b = in.read();
                if (b < 0) {
                    fail("connection closed before the response head ended: " + head);
                }
                head.write(b);
                matched = b == end[matched] ? matched + 1 : (b == '\r' ? 1 : 0);
            }
            Iterator<String> lines = List.of(head.toString(StandardCharsets.ISO_8859_1).split("\r\n")).iterator();
            int status = Integer.parseInt(lines.next().split(" ")[1]);
            Map<String, String> headers = new LinkedHashMap<>();
            while (lines.hasNext()) {
                String l = lines.next();
                int colon = l.indexOf(':');
                if (colon > 0) {
                    headers.put(l.substring(0, colon).trim().toLowerCase(), l.substring(colon + 1).trim());
                }
            }
            int length = Integer.parseInt(headers.getOrDefault("content-length", "0"));
            byte[] body = in.readNBytes(length);
            return new RawResponse(status, headers, new String(body, StandardCharsets.UTF_8));
        }
    }

    // ---------------------------------------------------------------- shape comparison

    /**
     * Same keys (objects; {@code allowedExtra} names dotted paths HAS may add) and same JSON types; a
     * golden null also admits a string (nullable timestamps); arrays compare every element to the
     * golden's first.
     */
    private static void assertSameShape(JsonNode golden, JsonNode actual, String path, Set<String> allowedExtra) {
        String where = path.isEmpty() ? "<root>" : path;
        if (golden.isNull()) {
            assertTrue(actual.isNull() || actual.isTextual(), where + ": expected null or string, got " + actual);
            return;
        }
        assertEquals(golden.getNodeType(), actual.getNodeType(), where + " type");
        if (golden.isNumber()) {
            assertEquals(golden.isIntegralNumber(), actual.isIntegralNumber(), where + " integral");
        } else if (golden.isObject()) {
            Set<String> expected = new TreeSet<>();
            golden.fieldNames().forEachRemaining(expected::add);
            Set<String> got = new TreeSet<>();
            actual.fieldNames().forEachRemaining(got::add);
            for (String k : got) {
                String child = path.isEmpty() ? k : path + "." + k;
                if (!expected.contains(k) && !allowedExtra.contains(child)) {
                    fail(where + ": unexpected key " + k);
                }
            }
            for (String k : expected) {
                String child = path.isEmpty() ? k : path + "." + k;
                assertTrue(actual.has(k), where + ": missing key " + k);
                assertSameShape(golden.get(k), actual.get(k), child, allowedExtra);
            }
        } else if (golden.isArray() && golden.size() > 0) {
            assertEquals(golden.size() > 0, actual.size() > 0, where + " emptiness");
            for (JsonNode element : actual) {
                assertSameShape(golden.get(0), element, path + "[]", allowedExtra);
            }
        }
    }
}
