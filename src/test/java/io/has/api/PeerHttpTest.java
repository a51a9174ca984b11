package io.has.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** {@link PeerHttp} against a real local HTTP server. */
class PeerHttpTest {

    private HttpServer server;
    private String base;
    private final AtomicReference<String> received = new AtomicReference<>();
    private final PeerHttp http = new PeerHttp(null, "test-http");
    private final java.util.concurrent.ExecutorService serverThreads = java.util.concurrent.Executors.newFixedThreadPool(2);

    @BeforeEach
    void start() throws IOException {
        server = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
        server.createContext("/patroni", ex -> reply(ex, 200, "{\"role\":\"replica\"}"));
        server.createContext("/down", ex -> reply(ex, 503, "{\"state\":\"stopped\"}"));
        server.createContext("/moved", ex -> {
            ex.getResponseHeaders().add("Location", "/patroni");
            reply(ex, 302, "");
        });
        server.createContext("/failsafe", ex -> {
            received.set(ex.getRequestMethod() + " " + ex.getRequestHeaders().getFirst("Content-Type") + " "
                    + new String(ex.getRequestBody().readAllBytes(), StandardCharsets.UTF_8));
            reply(ex, 200, "Accepted");
        });
        server.setExecutor(serverThreads); // two at once: requestsRunInParallel
        server.start();
        base = "http://127.0.0.1:" + server.getAddress().getPort();
    }

    private static void reply(com.sun.net.httpserver.HttpExchange ex, int status, String body) throws IOException {
        byte[] b = body.getBytes(StandardCharsets.UTF_8);
        ex.sendResponseHeaders(status, b.length == 0 ? -1 : b.length);
        if (b.length > 0) {
            ex.getResponseBody().write(b);
        }
        ex.close();
    }

    @AfterEach
    void stop() {
        server.stop(0);
        serverThreads.shutdownNow();
    }

    private PeerHttp.Response get(String path) throws Exception {
        return http.send("GET", base + path, null, 2000).get(10, TimeUnit.SECONDS);
    }

    @Test
    void getReturnsStatusAndBodyAlsoForErrors() throws Exception {
        assertEquals(new PeerHttp.Response(200, "{\"role\":\"replica\"}"), get("/patroni"));
        assertEquals(new PeerHttp.Response(503, "{\"state\":\"stopped\"}"), get("/down"));
    }

    @Test
    void redirectsAreNotFollowed() throws Exception {
        assertEquals(302, get("/moved").status());
    }

    @Test
    void postSendsJson() throws Exception {
        PeerHttp.Response r = http.send("POST", base + "/failsafe", "{\"name\":\"pg1\"}", 2000).get(10, TimeUnit.SECONDS);
        assertEquals(200, r.status());
        assertEquals("POST application/json {\"name\":\"pg1\"}", received.get());
    }

    @Test
    void unreachableAndBadUrlsFailWithIoException() throws Exception {
        int closed;
        try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
            closed = s.getLocalPort();
        }
        ExecutionException refused = assertThrows(ExecutionException.class,
                () -> http.send("GET", "http://127.0.0.1:" + closed + "/patroni", null, 2000).get(10, TimeUnit.SECONDS));
        assertInstanceOf(IOException.class, refused.getCause());
        for (String bad : new String[] {"not a url", "ftp2://x/patroni", "/relative"}) {
            ExecutionException e = assertThrows(ExecutionException.class,
                    () -> http.send("GET", bad, null, 2000).get(10, TimeUnit.SECONDS), bad);
            assertInstanceOf(IOException.class, e.getCause(), bad);
        }
    }

    @Test
    void requestsRunInParallel() throws Exception {
        java.util.concurrent.CountDownLatch both = new java.util.concurrent.CountDownLatch(2);
        server.createContext("/meet", ex -> {
            both.countDown();
            try {
                // answers only once the other request has arrived too: serial requests would time out
                reply(ex, both.await(5, TimeUnit.SECONDS) ? 200 : 504, "");
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        });
        var a = http.send("GET", base + "/meet", null, 8000);
        var b = http.send("GET", base + "/meet", null, 8000);
        assertEquals(200, a.get(10, TimeUnit.SECONDS).status());
        assertEquals(200, b.get(10, TimeUnit.SECONDS).status());
        assertTrue(both.getCount() == 0);
    }
}
