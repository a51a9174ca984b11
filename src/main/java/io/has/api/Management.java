package io.has.api;

import io.has.cluster.Cluster;
import io.has.config.DynamicConfig;
import io.has.dcs.DcsException;
import io.undertow.server.HttpServerExchange;
import io.undertow.server.RequestTooBigException;
import io.undertow.util.Headers;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.Map;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.ScheduledExecutorService;
import java.util.function.LongSupplier;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The unsafe endpoints (config changes and actions). On the IO thread it only checks the declared body
 * size and receives the body without blocking; everything else (access check, ZooKeeper, waiting for an
 * outcome) runs on the REST worker pool (STYLE §6 item 18), so a slow or stalled client and a slow
 * ZooKeeper never hold up a health check.
 */
final class Management {

    private static final Logger LOG = LoggerFactory.getLogger(Management.class);

    /** One endpoint's work, run on a worker thread; it answers through {@link Call}. */
    interface Endpoint {
        void handle(Call call) throws DcsException;
    }

    private final NodeControl control;
    private final Supplier<StatusSnapshot> snapshots;
    private final LongSupplier wallClockMs;
    private final AccessGuard guard;
    private final long maxBody;
    private final ExecutorService workers;
    private final Map<String, Endpoint> endpoints;

    Management(NodeControl control, Supplier<StatusSnapshot> snapshots, LongSupplier wallClockMs, AccessGuard guard,
               long maxBody, ExecutorService workers, ScheduledExecutorService timers, PeerProbe probe) {
        this.control = control;
        this.snapshots = snapshots;
        this.wallClockMs = wallClockMs;
        this.guard = guard;
        this.maxBody = maxBody;
        this.workers = workers;
        ConfigEndpoints config = new ConfigEndpoints();
        SwitchoverEndpoints switchover = new SwitchoverEndpoints(timers, probe);
        NodeEndpoints node = new NodeEndpoints();
        this.endpoints = Map.of(
                "PATCH config", config::patch,
                "PUT config", config::put,
                "POST switchover", c -> switchover.post(c, "switchover"),
                "POST failover", c -> switchover.post(c, "failover"),
                "DELETE switchover", switchover::delete,
                "POST restart", node::restart,
                "DELETE restart", node::deleteRestart,
                "POST reload", node::reload,
                "POST reinitialize", node::reinitialize,
                "POST failsafe", node::failsafe);
    }

    /** The endpoint for {@code METHOD first-segment}, or null. */
    Endpoint find(String method, String segment) {
        return endpoints.get(method + " " + segment);
    }

    /** Receives the body (bounded) on the IO thread, then runs the endpoint on a worker. */
    void dispatch(HttpServerExchange ex, Endpoint endpoint) {
        String length = ex.getRequestHeaders().getFirst(Headers.CONTENT_LENGTH);
        boolean chunked = ex.getRequestHeaders().contains(Headers.TRANSFER_ENCODING);
        if (length != null) {
            long n;
            try {
                n = Long.parseLong(length.trim());
            } catch (NumberFormatException e) {
                Responses.error(ex, 400, "Bad request: invalid Content-Length", "Bad Request");
                return;
            }
            if (n > maxBody) {
                Responses.error(ex, 413, "Request body larger than " + maxBody + " bytes", "Payload Too Large");
                return;
            }
        }
        boolean hasLength = length != null || chunked;
        ex.getRequestReceiver().receiveFullBytes(
                (exchange, bytes) -> exchange.dispatch(workers, () -> run(exchange, endpoint, bytes, hasLength)),
                (exchange, e) -> {
                    if (e instanceof RequestTooBigException && !exchange.isResponseStarted()) {
                        Responses.error(exchange, 413, "Request body larger than " + maxBody + " bytes",
                                "Payload Too Large");
                    } else {
                        LOG.debug("REST: reading the request body failed: {}", e.toString());
                        exchange.endExchange();
                    }
                });
    }

    private void run(HttpServerExchange ex, Endpoint endpoint, byte[] bytes, boolean hasLength) {
        Call call = new Call(ex, bytes, hasLength, snapshots.get());
        try {
            guard.check(ex, call.snapshot == null ? null : call.snapshot.cluster());
            if (control == null) {
                throw HttpError.message(503, "the HA loop is not running");
            }
            endpoint.handle(call);
        } catch (HttpError e) {
            call.error(e);
        } catch (DcsException e) {
            LOG.warn("REST {} {}: ZooKeeper is not accessible ({}); answering 503", ex.getRequestMethod(),
                    ex.getRequestPath(), e.getMessage());
            call.reply(503, "DCS is not accessible");
        } catch (RuntimeException e) {
            LOG.warn("REST {} {} failed; answering 500 (this is a bug, please report it)", ex.getRequestMethod(),
                    ex.getRequestPath(), e);
            if (!ex.isResponseStarted()) {
                Responses.error(ex, 500, "Server got itself in trouble", "Internal Server Error");
            }
        }
    }

    /** One request on a worker: its body, the snapshot at arrival, and the ways to answer. */
    final class Call {
        final HttpServerExchange ex;
        private final byte[] bytes;
        private final boolean hasLength;
        final StatusSnapshot snapshot;

        Call(HttpServerExchange ex, byte[] bytes, boolean hasLength, StatusSnapshot snapshot) {
            this.ex = ex;
            this.bytes = bytes;
            this.hasLength = hasLength;
            this.snapshot = snapshot;
        }

        RequestBody body(boolean optional) {
            return RequestBody.parse(bytes, hasLength, optional);
        }

        NodeControl control() {
            return control;
        }

        OffsetDateTime now() {
            return OffsetDateTime.ofInstant(Instant.ofEpochMilli(wallClockMs.getAsLong()), ZoneOffset.UTC);
        }

        /** The dynamic config of a fresh read, else of the snapshot, else the defaults. */
        DynamicConfig config(Cluster fresh) {
            if (fresh != null && fresh.config() != null) {
                return DynamicConfig.fromMap(fresh.config().value());
            }
            return snapshot != null && snapshot.config() != null ? snapshot.config() : DynamicConfig.DEFAULT;
        }

        String member() {
            return snapshot == null ? "?" : snapshot.name();
        }

        void reply(int status, String message) {
            Responses.message(ex, status, message);
        }

        void json(int status, Object value) {
            Responses.json(ex, status, RestHandler.json(value));
        }

        void error(HttpError e) {
            Responses.error(ex, e);
        }
    }
}
