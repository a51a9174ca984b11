package io.has.api;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes every request, Patroni style: {@code <METHOD>_<first path segment>} when such a handler
 * exists, else GET/HEAD/OPTIONS fall back to the generic health check on the full path and anything
 * else gets 501. Every handler answers from the latest {@link StatusSnapshot} only, with no I/O, so all
 * of them run directly on the IO thread (STYLE §6 item 18: nothing here touches ZooKeeper or JDBC).
 */
final class RestHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RestHandler.class);
    private static final String JSON = "application/json";
    private static final String HTML = "text/html;charset=utf-8";
    static final ObjectMapper MAPPER = new ObjectMapper().disable(SerializationFeature.FAIL_ON_EMPTY_BEANS);

    private final Supplier<StatusSnapshot> snapshots;
    private final LongSupplier wallClockMs;
    private final long startedMs;

    /** Serialised status document of the last snapshot seen: health checks are polled far more often than cycles run. */
    private volatile CachedDocument cached;

    private record CachedDocument(StatusSnapshot snapshot, byte[] json) {
    }

    RestHandler(Supplier<StatusSnapshot> snapshots, LongSupplier wallClockMs) {
        this.snapshots = snapshots;
        this.wallClockMs = wallClockMs;
        this.startedMs = wallClockMs.getAsLong();
    }

    @Override
    public void handleRequest(HttpServerExchange ex) {
        try {
            route(ex);
        } catch (RuntimeException e) {
            LOG.warn("REST {} {} failed; answering 500 (this is a bug, please report it)",
                    ex.getRequestMethod(), ex.getRequestPath(), e);
            if (!ex.isResponseStarted()) {
                sendError(ex, StatusCodes.INTERNAL_SERVER_ERROR, "Server got itself in trouble");
            }
        }
    }

    private void route(HttpServerExchange ex) {
        String method = ex.getRequestMethod().toString();
        String path = ex.getRequestPath();
        StatusSnapshot s = snapshots.get();
        long now = wallClockMs.getAsLong();
        switch (method) {
            case "HEAD", "OPTIONS" -> statusOnly(ex, HealthChecks.statusCode(s, path, query(ex), now));
            case "GET" -> get(ex, s, path, now);
            default -> sendError(ex, StatusCodes.NOT_IMPLEMENTED,
                    "Unsupported method ('" + method + "')", "Server does not support this operation");
        }
    }

    private void get(HttpServerExchange ex, StatusSnapshot s, String path, long now) {
        switch (firstSegment(path)) {
            case "patroni" -> sendJson(ex, 200, statusDocument(s));
            case "liveness" -> statusOnly(ex, HealthChecks.liveness(s, now, startedMs));
            case "readiness" -> statusOnly(ex, HealthChecks.readiness(s, now));
            case "cluster" -> {
                if (s == null || s.cluster() == null) {
                    sendJson(ex, 503, json(Map.of("members", List.of())));
                } else {
                    sendJson(ex, 200, json(ClusterDocument.cluster(s.cluster(), s.config() != null && s.paused())));
                }
            }
            case "history" -> sendJson(ex, s == null || s.cluster() == null ? 503 : 200,
                    json(ClusterDocument.history(s == null ? null : s.cluster())));
            case "config" -> {
                if (s == null || s.cluster() == null || s.cluster().config() == null) {
                    sendError(ex, StatusCodes.BAD_GATEWAY, "Bad Gateway",
                            "Invalid responses from another server/proxy");
                } else {
                    sendJson(ex, 200, json(s.cluster().config().value()));
                }
            }
            case "metrics" -> send(ex, 200, MetricsWriter.CONTENT_TYPE,
                    MetricsWriter.write(s).getBytes(StandardCharsets.UTF_8));
            default -> sendJson(ex, HealthChecks.statusCode(s, path, query(ex), now), statusDocument(s));
        }
    }

    private byte[] statusDocument(StatusSnapshot s) {
        CachedDocument c = cached;
        if (c != null && c.snapshot() == s) {
            return c.json();
        }
        byte[] body = json(StatusDocument.build(s));
        cached = new CachedDocument(s, body);
        return body;
    }

    static String firstSegment(String path) {
        String p = path.startsWith("/") ? path.substring(1) : path;
        int slash = p.indexOf('/');
        return slash < 0 ? p : p.substring(0, slash);
    }

    /** First non-blank value per key, as Python's {@code parse_qs(...)[key][0]} sees it. */
    static Map<String, String> query(HttpServerExchange ex) {
        Map<String, String> q = new LinkedHashMap<>();
        for (Map.Entry<String, Deque<String>> e : ex.getQueryParameters().entrySet()) {
            for (String v : e.getValue()) {
                if (v != null && !v.isEmpty()) {
                    q.put(e.getKey(), v);
                    break;
                }
            }
        }
        return q;
    }

    static byte[] json(Object value) {
        try {
            return MAPPER.writeValueAsBytes(value);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialise REST document", e);
        }
    }

    /** HEAD/OPTIONS, /liveness, /readiness: status line and the minimum headers, no body. */
    private static void statusOnly(HttpServerExchange ex, int code) {
        ex.setStatusCode(code);
        ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, 0);
        ex.endExchange();
    }

    private static void sendJson(HttpServerExchange ex, int code, byte[] body) {
        send(ex, code, JSON, body);
    }

    private static void send(HttpServerExchange ex, int code, String contentType, byte[] body) {
        ex.setStatusCode(code);
        ex.getResponseHeaders().put(Headers.CONTENT_TYPE, contentType);
        ex.getResponseHeaders().put(Headers.CONTENT_LENGTH, body.length);
        ex.getResponseSender().send(ByteBuffer.wrap(body));
    }

    private static void sendError(HttpServerExchange ex, int code, String message) {
        sendError(ex, code, message, StatusCodes.getReason(code));
    }

    /** Python's {@code send_error} page; patronictl looks for the explanation text of a 501. */
    private static void sendError(HttpServerExchange ex, int code, String message, String explanation) {
        String body = "<!DOCTYPE HTML>\n<html lang=\"en\">\n    <head>\n        <meta charset=\"utf-8\">\n"
                + "        <title>Error response</title>\n    </head>\n    <body>\n"
                + "        <h1>Error response</h1>\n        <p>Error code: " + code + "</p>\n"
                + "        <p>Message: " + escapeHtml(message) + ".</p>\n"
                + "        <p>Error code explanation: " + code + " - " + escapeHtml(explanation) + ".</p>\n"
                + "    </body>\n</html>\n";
        send(ex, code, HTML, body.getBytes(StandardCharsets.UTF_8));
    }

    private static String escapeHtml(String s) {
        return s.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;");
    }
}
