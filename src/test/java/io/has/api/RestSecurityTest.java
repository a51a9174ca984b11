package io.has.api;

import static io.has.api.RestFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.cluster.HostPort;
import io.has.config.HasConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** Basic auth and the allowlist on the unsafe endpoints (reference/patroni.md §3.2); GETs stay open. */
class RestSecurityTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    private ZkCluster zk;
    private RestServer server;
    private final HttpClient http = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeEach
    void zookeeper() throws Exception {
        zk = new ZkCluster();
        zk.standard("http://127.0.0.1:8008/patroni", "http://127.0.0.2:8009/patroni", "http://127.0.0.1:8010/patroni");
    }

    @AfterEach
    void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        zk.close();
    }

    private String start(String user, String password, List<String> allowlist, boolean includeMembers) throws Exception {
        HasConfig.RestApi api = new HasConfig.RestApi(new HostPort("127.0.0.1", 0), null, user, password);
        server = new RestServer(new RestSettings(api, null, null, null, null, "none", allowlist, includeMembers),
                RestFixtures::leaderSnapshot, new TestControl(zk.session("pg1")), () -> NOW);
        server.start();
        return "http://127.0.0.1:" + server.address().getPort();
    }

    private HttpResponse<String> send(String base, String method, String path, String authorization) throws Exception {
        HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(base + path)).timeout(DEADLINE)
                .method(method, HttpRequest.BodyPublishers.noBody());
        if (authorization != null) {
            b.header("Authorization", authorization);
        }
        return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(String user, String password) {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void unsafeEndpointsNeedTheConfiguredCredentials() throws Exception {
        String base = start("admin", "s3cret-pw", List.of(), false);
        HttpResponse<String> none = send(base, "POST", "/reload", null);
        assertEquals(401, none.statusCode());
        assertEquals("no auth header received", none.body());
        assertEquals("Basic realm=\"Patroni\"", none.headers().firstValue("WWW-Authenticate").orElse(""));
        HttpResponse<String> wrong = send(base, "POST", "/reload", basic("admin", "guess"));
        assertEquals(401, wrong.statusCode());
        assertEquals("not authenticated", wrong.body());
        assertFalse(wrong.body().contains("s3cret-pw"));
        assertEquals(401, send(base, "PATCH", "/config", basic("root", "s3cret-pw")).statusCode());
        assertEquals(401, send(base, "DELETE", "/switchover", null).statusCode());
        assertEquals(202, send(base, "POST", "/reload", basic("admin", "s3cret-pw")).statusCode());

        assertEquals(200, send(base, "GET", "/primary", null).statusCode(), "GETs are open");
        assertEquals(200, send(base, "GET", "/config", null).statusCode());
        assertEquals(200, send(base, "HEAD", "/primary", null).statusCode());
        assertFalse(send(base, "GET", "/config", null).body().contains("s3cret-pw"));
    }

    @Test
    void allowlistDeniesOtherAddressesBeforeAuth() throws Exception {
        String base = start("admin", "pw", List.of("10.0.0.0/8", "192.168.1.7"), false);
        HttpResponse<String> denied = send(base, "POST", "/reload", basic("admin", "pw"));
        assertEquals(403, denied.statusCode());
        assertEquals("Access is denied", denied.body());
        assertEquals(403, send(base, "POST", "/reload", null).statusCode(), "the allowlist is checked first");
        assertEquals(200, send(base, "GET", "/primary", null).statusCode());
        server.close();

        base = start("admin", "pw", List.of("127.0.0.0/30", "localhost"), false);
        assertEquals(202, send(base, "POST", "/reload", basic("admin", "pw")).statusCode());
    }

    @Test
    void allowlistIncludeMembersAllowsMemberHosts() throws Exception {
        // the snapshot's cluster has members on 127.0.0.1
        String base = start(null, null, List.of("10.1.1.1"), true);
        assertEquals(202, send(base, "POST", "/reload", null).statusCode());
        server.close();
        server = new RestServer(new RestSettings(new HasConfig.RestApi(new HostPort("127.0.0.1", 0), null, null, null),
                null, null, null, null, "none", List.of(), true), RestFixtures::noClusterYet,
                new TestControl(zk.session("pg1")), () -> NOW);
        server.start();
        base = "http://127.0.0.1:" + server.address().getPort();
        assertEquals(403, send(base, "POST", "/reload", null).statusCode(), "no members known yet");
    }

    @Test
    void settingsNeverPrintThePassword() {
        RestSettings s = new RestSettings(new HasConfig.RestApi(new HostPort("127.0.0.1", 8008), null, "u", "pw1234"),
                null, null, "keypass99", null, "none", List.of(), false);
        assertFalse(s.toString().contains("pw1234"));
        assertFalse(s.toString().contains("keypass99"));
        assertTrue(s.toString().contains("******"));
    }
}
