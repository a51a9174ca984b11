package io.has.api;

import static io.has.api.RestFixtures.NOW;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.api.tls.PemFiles;
import io.has.api.tls.TlsContexts;
import io.has.cluster.HostPort;
import io.has.config.HasConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.interfaces.RSAPrivateCrtKey;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * https with certificates made by {@code openssl} in the test: PEM loading (PKCS#8, PKCS#1, encrypted
 * PKCS#8), {@code verify_client} required/optional, and stalled TLS clients.
 */
class TlsRestServerTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);
    @TempDir
    static Path dir;
    private static ZkCluster zk;
    private RestServer server;

    @BeforeAll
    static void certificates() throws Exception {
        Files.writeString(dir.resolve("san.ext"), "subjectAltName=IP:127.0.0.1,DNS:localhost\n");
        openssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", "ca.key", "-out", "ca.crt", "-days", "2",
                "-subj", "/CN=has-test-ca");
        for (String who : List.of("server", "client")) {
            openssl("req", "-newkey", "rsa:2048", "-nodes", "-keyout", who + ".key", "-out", who + ".csr",
                    "-subj", "/CN=" + who);
            openssl("x509", "-req", "-in", who + ".csr", "-CA", "ca.crt", "-CAkey", "ca.key", "-CAcreateserial",
                    "-out", who + ".crt", "-days", "2", "-extfile", "san.ext");
        }
        openssl("rsa", "-in", "server.key", "-traditional", "-out", "server.pkcs1.key");
        openssl("pkcs8", "-topk8", "-in", "server.key", "-out", "server.enc.key", "-passout", "pass:keypass99");
        zk = new ZkCluster();
        zk.standard("https://127.0.0.1:1/patroni", "https://127.0.0.1:1/patroni", "https://127.0.0.1:1/patroni");
    }

    @AfterAll
    static void stopZooKeeper() throws Exception {
        zk.close();
    }

    @AfterEach
    void stop() {
        if (server != null) {
            server.close();
        }
    }

    private static void openssl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).directory(dir.toFile()).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(p.waitFor(60, TimeUnit.SECONDS) && p.exitValue() == 0, String.join(" ", cmd) + ": " + out);
    }

    private String start(String keyFile, String keyPassword, String verifyClient) throws Exception {
        RestSettings s = new RestSettings(new HasConfig.RestApi(new HostPort("127.0.0.1", 0), null, null, null),
                dir.resolve("server.crt"), dir.resolve(keyFile), keyPassword, dir.resolve("ca.crt"), verifyClient,
                List.of(), false);
        server = new RestServer(s, RestFixtures::leaderSnapshot, new TestControl(zk.session("pg1")), () -> NOW);
        server.start();
        return "https://127.0.0.1:" + server.address().getPort();
    }

    private static HttpClient client(boolean withCertificate) throws IOException {
        SSLContext ctx = withCertificate
                ? TlsContexts.create(dir.resolve("client.crt"), dir.resolve("client.key"), null, dir.resolve("ca.crt"), false)
                : TlsContexts.create(null, null, null, dir.resolve("ca.crt"), false);
        return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).sslContext(ctx).build();
    }

    private static HttpResponse<String> send(HttpClient c, String method, String url) throws Exception {
        return c.send(HttpRequest.newBuilder(URI.create(url)).timeout(DEADLINE)
                .method(method, HttpRequest.BodyPublishers.noBody()).build(), HttpResponse.BodyHandlers.ofString());
    }

    @Test
    void pemKeysInEveryFormatAreTheSameKey() throws Exception {
        RSAPrivateCrtKey pkcs8 = (RSAPrivateCrtKey) PemFiles.privateKey(dir.resolve("server.key"), null);
        RSAPrivateCrtKey pkcs1 = (RSAPrivateCrtKey) PemFiles.privateKey(dir.resolve("server.pkcs1.key"), null);
        RSAPrivateCrtKey enc = (RSAPrivateCrtKey) PemFiles.privateKey(dir.resolve("server.enc.key"),
                "keypass99".toCharArray());
        assertEquals(pkcs8.getModulus(), pkcs1.getModulus());
        assertArrayEquals(pkcs8.getEncoded(), enc.getEncoded());
        IOException wrong = assertThrows(IOException.class,
                () -> PemFiles.privateKey(dir.resolve("server.enc.key"), "nope-pw".toCharArray()));
        assertFalse(wrong.getMessage().contains("nope-pw"));
        assertTrue(wrong.getMessage().contains("keyfile_password"), wrong.getMessage());
        assertEquals(1, PemFiles.certificates(dir.resolve("server.crt")).size());
        assertThrows(IOException.class, () -> PemFiles.certificates(dir.resolve("server.key")));
    }

    @Test
    void requiredClientCertificates() throws Exception {
        String base = start("server.enc.key", "keypass99", "required");
        assertEquals(200, send(client(true), "GET", base + "/primary").statusCode());
        assertEquals(202, send(client(true), "POST", base + "/reload").statusCode());
        assertThrows(IOException.class, () -> send(client(false), "GET", base + "/primary"),
                "the handshake demands a certificate");
    }

    @Test
    void optionalClientCertificatesAreNeededForUnsafeEndpointsOnly() throws Exception {
        String base = start("server.pkcs1.key", null, "optional");
        assertEquals(200, send(client(false), "GET", base + "/primary").statusCode());
        HttpResponse<String> denied = send(client(false), "POST", base + "/reload");
        assertEquals(403, denied.statusCode());
        assertEquals("client certificate required", denied.body());
        assertEquals(202, send(client(true), "POST", base + "/reload").statusCode());
    }

    @Test
    void aTlsClientThatNeverSendsClientHelloDoesNotDelayHealthChecks() throws Exception {
        String base = start("server.key", null, "none");
        int port = server.address().getPort();
        try (Socket silent = new Socket("127.0.0.1", port); Socket partial = new Socket("127.0.0.1", port)) {
            OutputStream out = partial.getOutputStream();
            out.write(new byte[] {0x16, 0x03, 0x01, 0x02, 0x00, 0x01}); // a ClientHello record header, then nothing
            out.flush();
            HttpResponse<String> r = send(client(false), "GET", base + "/primary");
            assertEquals(200, r.statusCode());
            assertTrue(silent.isConnected());
        }
    }

    @Test
    void unusableKeyFilesFailTheStartNamingTheFile() {
        RestSettings s = new RestSettings(new HasConfig.RestApi(new HostPort("127.0.0.1", 0), null, null, null),
                dir.resolve("server.crt"), dir.resolve("server.enc.key"), null, null, "none", List.of(), false);
        RestServer r = new RestServer(s, RestFixtures::leaderSnapshot, null, () -> NOW);
        IllegalStateException e = assertThrows(IllegalStateException.class, r::start);
        assertTrue(e.getMessage().contains("server.enc.key"), e.getMessage());
        r.close();
    }
}
