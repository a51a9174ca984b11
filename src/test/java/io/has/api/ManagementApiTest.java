package io.has.api;

import static io.has.api.RestFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.has.cluster.Cluster;
import io.has.cluster.Failover;
import io.has.cluster.HostPort;
import io.has.config.HasConfig;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The unsafe endpoints end to end: real Undertow, a real ZooKeeper (Curator TestingServer) holding a
 * Patroni-layout cluster, and a {@link TestControl} in place of the HA loop.
 */
class ManagementApiTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Duration DEADLINE = Duration.ofSeconds(60);

    private ZkCluster zk;
    private TestControl control;
    private RestServer server;
    private String base;
    private final AtomicReference<StatusSnapshot> current = new AtomicReference<>();
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void start() throws Exception {
        zk = new ZkCluster();
        startServer(RestSettings.plain(new HasConfig.RestApi(new HostPort("127.0.0.1", 0), null, null, null)));
        String api = base + "/patroni";
        zk.standard(api, api, api);
        current.set(RestFixtures.leaderSnapshot());
    }

    private void startServer(RestSettings settings) throws Exception {
        if (server != null) {
            server.close();
        }
        control = new TestControl(zk.session("pg1"));
        server = new RestServer(settings, current::get, control, () -> NOW);
        server.start();
        base = "http://127.0.0.1:" + server.address().getPort();
    }

    @AfterEach
    void stop() throws Exception {
        server.close();
        zk.close();
    }

    private HttpResponse<String> send(String method, String path, String body, String... headers) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(DEADLINE)
                .method(method, body == null ? HttpRequest.BodyPublishers.noBody() : HttpRequest.BodyPublishers.ofString(body));
        if (headers.length > 0) {
            b.headers(headers);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private void assertAnswer(int status, String message, HttpResponse<String> r) {
        assertEquals(status, r.statusCode(), r.body());
        assertEquals(message, r.body());
        assertEquals("text/html", r.headers().firstValue("Content-Type").orElse(""));
    }

    // ------------------------------------------------------------------ config

    @Test
    void patchConfigMergesDeletesWithNullAndKeepsStrEqualValues() throws Exception {
        HttpResponse<String> r = send("PATCH", "/config",
                "{\"ttl\":\"30\",\"loop_wait\":5,\"retry_timeout\":null,\"postgresql\":{\"parameters\":{\"max_connections\":200}}}");
        assertEquals(200, r.statusCode(), r.body());
        JsonNode doc = JSON.readTree(r.body());
        assertEquals(30, doc.get("ttl").asInt());
        assertTrue(doc.get("ttl").isInt(), "\"30\" equals 30 under str(): the stored integer stays");
        assertEquals(5, doc.get("loop_wait").asInt());
        assertFalse(doc.has("retry_timeout"));
        assertEquals(200, doc.at("/postgresql/parameters/max_connections").asInt());
        assertEquals("replica", doc.at("/postgresql/parameters/wal_level").asText(), "siblings kept");
        Map<String, Object> stored = zk.read().config().value();
        assertEquals(5, stored.get("loop_wait"));
        assertFalse(stored.containsKey("retry_timeout"));
        assertEquals(1, control.wakeups.get());
    }

    @Test
    void patchConfigLosingTheCompareAndSetIs409() throws Exception {
        server.close();
        // a second writer changes the key between our read and our write
        ConcurrentWriterDcs racing = new ConcurrentWriterDcs(zk.session("pg1"), zk.session("pg2"));
        control = new TestControl(racing);
        server = new RestServer(RestSettings.plain(new HasConfig.RestApi(new HostPort("127.0.0.1", 0), null, null, null)),
                current::get, control, () -> NOW);
        server.start();
        base = "http://127.0.0.1:" + server.address().getPort();
        HttpResponse<String> r = send("PATCH", "/config", "{\"ttl\":40}");
        assertEquals(409, r.statusCode());
        assertEquals(99, zk.read().config().value().get("ttl"), "the other writer's value stands");
    }

    @Test
    void putConfigReplacesTheWholeObject() throws Exception {
        HttpResponse<String> r = send("PUT", "/config", "{\"ttl\":20,\"loop_wait\":5,\"retry_timeout\":5}");
        assertEquals(200, r.statusCode(), r.body());
        assertEquals(Map.of("ttl", 20, "loop_wait", 5, "retry_timeout", 5), zk.read().config().value());
    }

    @Test
    void patchWithoutAConfigKeyIs503() throws Exception {
        zk.session("pg1").deleteCluster();
        HttpResponse<String> r = send("PATCH", "/config", "{\"ttl\":40}");
        assertEquals(503, r.statusCode());
        assertTrue(r.body().contains("Service Unavailable"), r.body());
    }

    @Test
    void malformedBodiesAre400AndOversizedOnes413() throws Exception {
        assertEquals(400, send("PATCH", "/config", "{\"ttl\":").statusCode());
        assertEquals(400, send("PATCH", "/config", "[1,2]").statusCode());
        assertEquals(400, send("PATCH", "/config", "{}").statusCode());
        assertEquals(400, send("PATCH", "/config", "").statusCode());
        HttpResponse<String> wrongType = send("POST", "/reinitialize", "{\"force\":\"maybe\"}");
        assertEquals(400, wrongType.statusCode());
        assertTrue(wrongType.body().contains("force must be a boolean"), wrongType.body());
        HttpResponse<String> leaderType = send("POST", "/switchover", "{\"leader\":1}");
        assertEquals(400, leaderType.statusCode());
        assertTrue(leaderType.body().contains("leader must be a string"), leaderType.body());
        // the server answers from the declared length without reading the body
        String tooBig = rawExchange("PATCH /config HTTP/1.1\r\nHost: x\r\nContent-Length: "
                + (RestServer.MAX_ENTITY_SIZE + 1) + "\r\n\r\n{");
        assertTrue(tooBig.startsWith("HTTP/1.1 413"), tooBig);
        assertEquals(Map.copyOf(RestFixtures.goldenConfig()), Map.copyOf(zk.read().config().value()));
    }

    @Test
    void aMissingContentLengthIs411WhereABodyIsRequired() throws Exception {
        String noLength = rawExchange("PATCH /config HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(noLength.startsWith("HTTP/1.1 411"), noLength);
        String optional = rawExchange("POST /reload HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n");
        assertTrue(optional.startsWith("HTTP/1.1 202"), optional);
    }

    private String rawExchange(String request) throws Exception {
        try (Socket s = new Socket("127.0.0.1", server.address().getPort())) {
            s.setSoTimeout((int) DEADLINE.toMillis());
            s.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
            return new String(s.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    // ------------------------------------------------------------------ switchover / failover

    @Test
    void switchoverValidationMessagesAndCodes() throws Exception {
        assertAnswer(400, "Switchover could be performed only from a specific leader",
                send("POST", "/switchover", "{\"candidate\":\"pg2\"}"));
        assertAnswer(400, "Failover could be performed only to a specific candidate",
                send("POST", "/failover", "{\"leader\":\"pg1\"}"));
        assertAnswer(400, "Scheduled failover is possible only from a specific leader",
                send("POST", "/failover", "{\"candidate\":\"pg2\",\"scheduled_at\":\"2030-01-01T00:00:00+00:00\"}"));
        assertAnswer(400, "Timezone information is mandatory for the scheduled switchover",
                send("POST", "/switchover", "{\"leader\":\"pg1\",\"scheduled_at\":\"2030-01-01T00:00:00\"}"));
        assertAnswer(422, "Cannot schedule switchover in the past",
                send("POST", "/switchover", "{\"leader\":\"pg1\",\"scheduled_at\":\"2020-01-01T00:00:00+00:00\"}"));
        assertAnswer(422, Schedules.UNPARSABLE,
                send("POST", "/switchover", "{\"leader\":\"pg1\",\"scheduled_at\":\"tomorrow\"}"));
        assertAnswer(400, "Switchover target and source are the same",
                send("POST", "/switchover", "{\"leader\":\"pg1\",\"candidate\":\"pg1\"}"));
        assertAnswer(412, "leader name does not match",
                send("POST", "/switchover", "{\"leader\":\"pg2\",\"candidate\":\"pg3\"}"));
        assertAnswer(412, "candidate does not exists",
                send("POST", "/switchover", "{\"leader\":\"pg1\",\"candidate\":\"pg9\"}"));
        assertTrue(zk.read().failover().isEmpty(), "nothing was written");
        assertEquals(0, control.wakeups.get());
    }

    @Test
    void pausedClusterNeedsACandidateAndRefusesSchedules() throws Exception {
        zk.session("pg1").setConfig(Map.of("ttl", 30, "pause", true), zk.read().config().version());
        assertAnswer(400, "Switchover is possible only to a specific candidate in a paused state",
                send("POST", "/switchover", "{\"leader\":\"pg1\"}"));
        assertAnswer(400, "Can't schedule switchover in the paused state",
                send("POST", "/switchover", "{\"leader\":\"pg1\",\"scheduled_at\":\"2030-01-01T00:00:00+00:00\"}"));
    }

    @Test
    void noReachableCandidateIs412() throws Exception {
        zk.member("pg2", io.has.cluster.Role.REPLICA, 5433, "http://127.0.0.1:1/patroni", Map.of());
        zk.member("pg3", io.has.cluster.Role.REPLICA, 5434, "http://127.0.0.1:1/patroni", Map.of());
        assertAnswer(412, "switchover is not possible: no good candidates have been found",
                send("POST", "/switchover", "{\"leader\":\"pg1\"}"));
    }

    @Test
    void synchronousModeRestrictsCandidates() throws Exception {
        Map<String, Object> cfg = new java.util.LinkedHashMap<>(RestFixtures.goldenConfig());
        cfg.put("synchronous_mode", true);
        zk.session("pg1").setConfig(cfg, zk.read().config().version());
        zk.session("pg1").setSync(new io.has.cluster.SyncState("pg1", List.of("pg3"), -1), -1);
        assertAnswer(412, "candidate name does not match with sync_standby",
                send("POST", "/switchover", "{\"leader\":\"pg1\",\"candidate\":\"pg2\"}"));
    }

    @Test
    void scheduledSwitchoverWritesTheKeyAndCanBeDeleted() throws Exception {
        assertAnswer(404, "no switchover is scheduled", send("DELETE", "/switchover", null));
        assertAnswer(202, "Switchover scheduled", send("POST", "/switchover",
                "{\"leader\":\"pg1\",\"candidate\":\"pg2\",\"scheduled_at\":\"2030-01-01T12:00:00+01:00\"}"));
        Failover f = zk.read().failover();
        assertEquals("pg1", f.leader());
        assertEquals("pg2", f.candidate());
        assertEquals(OffsetDateTime.parse("2030-01-01T12:00:00+01:00"), f.scheduledAt());
        assertEquals(1, control.wakeups.get());
        assertAnswer(200, "scheduled switchover deleted", send("DELETE", "/switchover", null));
        assertTrue(zk.read().failover().isEmpty());
    }

    @Test
    void switchoverWaitsForTheNewLeader() throws Exception {
        control.onWakeup.set(() -> zk.moveLeader("pg1", "pg2"));
        assertAnswer(200, "Successfully switched over to \"pg2\"",
                send("POST", "/switchover", "{\"leader\":\"pg1\",\"candidate\":\"pg2\"}"));
        Cluster c = zk.read();
        assertEquals("pg2", c.leader().name());
    }

    @Test
    void switchoverToAnyoneReportsWhoWon() throws Exception {
        control.onWakeup.set(() -> zk.moveLeader("pg1", "pg3"));
        assertAnswer(200, "Successfully switched over to \"pg3\"", send("POST", "/switchover", "{\"leader\":\"pg1\"}"));
    }

    @Test
    void failoverToAnotherCandidateSaysSo() throws Exception {
        control.onWakeup.set(() -> zk.moveLeader("pg1", "pg3"));
        assertAnswer(200, "Failed over to \"pg3\" instead of \"pg2\"",
                send("POST", "/failover", "{\"candidate\":\"pg2\"}"));
    }

    @Test
    void aSwitchoverTheLoopDropsIsReportedFailed() throws Exception {
        control.onWakeup.set(() -> {
            try {
                zk.session("pg1").setFailover(Failover.NONE, -1);
            } catch (Exception e) {
                throw new IllegalStateException(e);
            }
        });
        assertAnswer(503, "Switchover failed", send("POST", "/switchover", "{\"leader\":\"pg1\",\"candidate\":\"pg2\"}"));
    }

    // ------------------------------------------------------------------ restart, reload, reinitialize

    @Test
    void restartValidationAndResults() throws Exception {
        assertAnswer(400, "PostgreSQL role should be either primary or replica",
                send("POST", "/restart", "{\"role\":\"boss\"}"));
        assertAnswer(400, "Invalid PostgreSQL version format: X.Y or X.Y.Z is accepted: 9.6",
                send("POST", "/restart", "{\"postgres_version\":\"9.6\"}"));
        assertAnswer(400, "Timeout should be a positive number of seconds",
                send("POST", "/restart", "{\"timeout\":0}"));
        assertAnswer(400, "Unknown filter for the scheduled restart: colour",
                send("POST", "/restart", "{\"colour\":\"red\"}"));
        assertAnswer(200, "restarted successfully",
                send("POST", "/restart", "{\"role\":\"master\",\"postgres_version\":\"15.4\",\"timeout\":\"1min\"}"));
        assertEquals(new NodeControl.RestartRequest("primary", "15.4", null, 60), control.lastRestart.get());
        control.restartResult.set(new NodeControl.ActionResult(503, "restart conditions are not satisfied"));
        assertAnswer(503, "restart conditions are not satisfied", send("POST", "/restart", null));

        assertAnswer(404, "no restarts are scheduled", send("DELETE", "/restart", null));
        assertAnswer(202, "Restart scheduled", send("POST", "/restart", "{\"schedule\":\"2030-01-01T00:00:00Z\"}"));
        assertAnswer(409, "Another restart is already scheduled",
                send("POST", "/restart", "{\"schedule\":\"2030-01-01T00:00:00Z\"}"));
        assertAnswer(200, "scheduled restart deleted", send("DELETE", "/restart", null));

        current.set(RestFixtures.pausedSnapshot());
        assertAnswer(500, "Can't schedule restart in the paused state",
                send("POST", "/restart", "{\"schedule\":\"2030-01-01T00:00:00Z\"}"));
    }

    @Test
    void reloadAndReinitialize() throws Exception {
        assertAnswer(202, "reload scheduled", send("POST", "/reload", null));
        assertEquals(1, control.reloads.get());
        assertAnswer(200, "reinitialize started", send("POST", "/reinitialize", "{\"force\":true}"));
        assertEquals(true, control.lastReinitForce.get());
        control.reinitResult.set(new NodeControl.ActionResult(503, "I am the leader, can not reinitialize"));
        assertAnswer(503, "I am the leader, can not reinitialize", send("POST", "/reinitialize", null));
        assertEquals(false, control.lastReinitForce.get());
    }

    // ------------------------------------------------------------------ decisions, metrics, GET on snapshots

    @Test
    void decisionsAndHasMetrics() throws Exception {
        control.log.record(NOW - 20_000, "no_action", "no action. I am (pg1), the leader with the lock");
        control.log.record(NOW - 10_000, "no_action", "no action. I am (pg1), the leader with the lock");
        control.log.record(NOW, "demote", "demoting self because of a switchover");
        HttpResponse<String> r = send("GET", "/decisions", null);
        assertEquals(200, r.statusCode());
        JsonNode doc = JSON.readTree(r.body());
        assertEquals(2, doc.size());
        assertEquals("no_action", doc.at("/0/kind").asText());
        assertEquals(1, doc.at("/0/repeats").asInt());
        assertEquals("demoting self because of a switchover", doc.at("/1/sentence").asText());
        assertEquals(DecisionsDocument.format(NOW - 20_000), doc.at("/0/time").asText());

        String metrics = send("GET", "/metrics", null).body();
        assertTrue(metrics.contains("has_decisions{scope=\"batman\",name=\"pg1\",kind=\"no_action\"} 2\n"), metrics);
        assertTrue(metrics.contains("has_dcs_connected{scope=\"batman\",name=\"pg1\"} 1\n"), metrics);
        assertTrue(metrics.contains("has_watchdog_armed{scope=\"batman\",name=\"pg1\"} 0\n"), metrics);
    }

    @Test
    void managementAnswersFromPausedStoppedAndReplicaNodesToo() throws Exception {
        for (StatusSnapshot s : List.of(RestFixtures.replicaSnapshot(), RestFixtures.stoppedSnapshot(),
                RestFixtures.pausedSnapshot())) {
            current.set(s);
            assertEquals(202, send("POST", "/reload", null).statusCode());
            assertEquals(200, send("GET", "/config", null).statusCode());
            assertEquals(404, send("DELETE", "/switchover", null).statusCode());
        }
        current.set(null);
        assertEquals(202, send("POST", "/reload", null).statusCode(), "actions do not need a snapshot");
        assertEquals(502, send("GET", "/config", null).statusCode());
        assertEquals(501, send("POST", "/nothing", "{}").statusCode());
    }

    // ------------------------------------------------------------------ stalled clients

    @Test
    void aClientStalledMidBodyDelaysNeitherHealthChecksNorOtherActions() throws Exception {
        try (Socket stalled = new Socket("127.0.0.1", server.address().getPort())) {
            OutputStream out = stalled.getOutputStream();
            out.write("PATCH /config HTTP/1.1\r\nHost: x\r\nContent-Length: 100\r\n\r\n{\"ttl\":".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertEquals(200, send("GET", "/primary", null).statusCode());
            assertEquals(202, send("POST", "/reload", null).statusCode());
            assertEquals(200, send("PATCH", "/config", "{\"ttl\":31}").statusCode());
            InputStream in = stalled.getInputStream();
            assertNull(null, String.valueOf(in.available()));
        }
    }
}
