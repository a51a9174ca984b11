package io.has.api;

import io.has.json.Json;
import io.undertow.server.HttpHandler;
import io.undertow.server.HttpServerExchange;
import io.undertow.util.Headers;
import io.undertow.util.StatusCodes;
import java.nio.charset.StandardCharsets;
import java.util.Deque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Executor;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Routes every request, Patroni style: {@code <METHOD>_<first path segment>} when such a handler
 * exists, else GET/HEAD/OPTIONS fall back to the generic health check on the full path and anything
 * else gets 501. GET handlers answer from the latest {@link StatusSnapshot} (and the in-memory decision
 * log) only, with no I/O, so they run directly on the IO thread; unsafe endpoints go to
 * {@link Management}, which runs them on the worker pool (STYLE §6 item 18). One exception:
 * {@code GET /patroni} on a running standby whose WAL positions are stale reads them again first
 * ({@link NodeControl#freshStatus}), on the worker pool.
 */
final class RestHandler implements HttpHandler {

    private static final Logger LOG = LoggerFactory.getLogger(RestHandler.class);

    private final Supplier<StatusSnapshot> snapshots;
    private final LongSupplier wallClockMs;
    private final long startedMs;
    private final NodeControl control;
    private final Management management;
    private final Executor workers;

    /** Serialised status document of the last snapshot seen: health checks are polled far more often than cycles run. */
    private volatile CachedDocument cached;

    private record CachedDocument(StatusSnapshot snapshot, NodeControl.ScheduledRestart scheduled, byte[] json) {
    }

    RestHandler(Supplier<StatusSnapshot> snapshots, LongSupplier wallClockMs, NodeControl control, Management management,
            Executor workers) {
        this.snapshots = snapshots;
        this.wallClockMs = wallClockMs;
        this.startedMs = wallClockMs.getAsLong();
        this.control = control;
        this.management = management;
        this.workers = workers;
    }

    @Override
    public void handleRequest(HttpServerExchange ex) {
        ex.getResponseHeaders().put(Headers.DATE, HttpDate.at(wallClockMs.getAsLong()));
        try {
            route(ex);
        } catch (RuntimeException e) {
            LOG.warn("REST {} {} failed; answering 500 (this is a bug, please report it)",
                    ex.getRequestMethod(), ex.getRequestPath(), e);
            if (!ex.isResponseStarted()) {
                Responses.error(ex, StatusCodes.INTERNAL_SERVER_ERROR, "Server got itself in trouble",
                        "Internal Server Error");
            }
        }
    }

    private void route(HttpServerExchange ex) {
        String method = ex.getRequestMethod().toString();
        String path = ex.getRequestPath();
        StatusSnapshot s = snapshots.get();
        long now = wallClockMs.getAsLong();
        switch (method) {
            case "HEAD", "OPTIONS" -> Responses.statusOnly(ex, HealthChecks.statusCode(s, path, query(ex), now));
            case "GET" -> get(ex, s, path, now);
            default -> {
                Management.Endpoint e = management.find(method, firstSegment(path));
                if (e != null) {
                    management.dispatch(ex, e);
                } else {
                    Responses.error(ex, StatusCodes.NOT_IMPLEMENTED, "Unsupported method ('" + method + "')",
                            "Server does not support this operation");
                }
            }
        }
    }

    private void get(HttpServerExchange ex, StatusSnapshot s, String path, long now) {
        switch (firstSegment(path)) {
            case "patroni" -> {
                if (control != null && workers != null && control.statusStale(s, now)) {
                    ex.dispatch(workers, () -> Responses.json(ex, 200, statusDocument(fresh(s))));
                } else {
                    Responses.json(ex, 200, statusDocument(s));
                }
            }
            case "liveness" -> Responses.statusOnly(ex, HealthChecks.liveness(s, now, startedMs));
            case "readiness" -> Responses.statusOnly(ex, HealthChecks.readiness(s, now));
            case "cluster" -> {
                if (s == null || s.cluster() == null) {
                    Responses.json(ex, 503, json(Map.of("members", List.of())));
                } else {
                    Responses.json(ex, 200, json(ClusterDocument.cluster(s.cluster(), s.config() != null && s.paused())));
                }
            }
            case "history" -> Responses.json(ex, s == null || s.cluster() == null ? 503 : 200,
                    json(ClusterDocument.history(s == null ? null : s.cluster())));
            case "config" -> {
                if (s == null || s.cluster() == null || s.cluster().config() == null) {
                    Responses.error(ex, StatusCodes.BAD_GATEWAY, "Bad Gateway",
                            "Invalid responses from another server/proxy");
                } else {
                    Responses.json(ex, 200, json(s.cluster().config().value()));
                }
            }
            case "decisions" -> Responses.json(ex, 200,
                    json(DecisionsDocument.build(control == null ? List.of() : control.decisions())));
            case "metrics" -> Responses.send(ex, 200, MetricsWriter.CONTENT_TYPE,
                    MetricsWriter.write(s, control).getBytes(StandardCharsets.UTF_8));
            default -> Responses.json(ex, HealthChecks.statusCode(s, path, query(ex), now), statusDocument(s));
        }
    }

    private StatusSnapshot fresh(StatusSnapshot s) {
        try {
            return control.freshStatus(s);
        } catch (RuntimeException e) {
            LOG.warn("REST: reading the WAL positions again failed; answering the last status", e);
            return s;
        }
    }

    private byte[] statusDocument(StatusSnapshot s) {
        NodeControl.ScheduledRestart scheduled = control == null ? null : control.scheduledRestart().orElse(null);
        CachedDocument c = cached;
        if (c != null && c.snapshot() == s && c.scheduled() == scheduled) {
            return c.json();
        }
        byte[] body = json(StatusDocument.build(s, scheduled));
        cached = new CachedDocument(s, scheduled, body);
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

    /** Compact UTF-8 JSON of a document of maps, lists and scalars. */
    static byte[] json(Object value) {
        try {
            return Json.PLAIN.writeBytes(value);
        } catch (IllegalArgumentException e) {
            throw new IllegalStateException("cannot serialise REST document", e);
        }
    }
}
