package io.has.api;

import io.has.api.Management.Call;
import io.has.api.NodeControl.ActionResult;
import io.has.api.NodeControl.RestartRequest;
import java.time.OffsetDateTime;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST/DELETE /restart}, {@code POST /reload} and {@code POST /reinitialize}
 * (reference/patroni.md §3.5). Validation follows Patroni's order and messages; the work itself is queued
 * with the HA loop through {@link NodeControl}, and the answer is sent when its future completes (no
 * thread waits for it).
 */
final class NodeEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(NodeEndpoints.class);
    private static final Pattern DURATION = Pattern.compile("\\s*(\\d+)\\s*(ms|s|min|h|d)?\\s*");

    void restart(Call c) {
        RequestBody b = c.body(true);
        boolean paused = c.snapshot != null && c.snapshot.config() != null && c.snapshot.paused();
        if (paused && b.has("schedule")) {
            throw HttpError.message(500, "Can't schedule restart in the paused state");
        }
        OffsetDateTime at = null;
        String role = null;
        String version = null;
        Integer timeout = null;
        Boolean pending = null;
        for (Map.Entry<String, Object> e : b.view().entrySet()) {
            switch (e.getKey()) {
                case "schedule" -> at = Schedules.parse(e.getValue(), "restart", c.now());
                case "role" -> {
                    role = b.string("role");
                    if (!"master".equals(role) && !"primary".equals(role) && !"replica".equals(role)) {
                        throw HttpError.message(400, "PostgreSQL role should be either primary or replica");
                    }
                    role = "master".equals(role) ? "primary" : role;
                }
                case "postgres_version" -> version = postgresVersion(e.getValue());
                case "timeout" -> {
                    timeout = seconds(e.getValue());
                    if (timeout == null || timeout <= 0) {
                        throw HttpError.message(400, "Timeout should be a positive number of seconds");
                    }
                }
                case "restart_pending" -> pending = b.bool("restart_pending");
                default -> throw HttpError.message(400, "Unknown filter for the scheduled restart: " + e.getKey());
            }
        }
        RestartRequest request = new RestartRequest(role, version, pending, timeout);
        if (at != null) {
            if (c.control().scheduleRestart(request, at)) {
                LOG.info("[{}] restart scheduled at {}", c.member(), at);
                c.reply(202, "Restart scheduled");
            } else {
                c.reply(409, "Another restart is already scheduled");
            }
            return;
        }
        LOG.info("[{}] restart requested through the REST API", c.member());
        answerWhenDone(c, c.control().restart(request), "restart failed");
    }

    void deleteRestart(Call c) {
        if (c.control().cancelScheduledRestart()) {
            c.reply(200, "scheduled restart deleted");
        } else {
            c.reply(404, "no restarts are scheduled");
        }
    }

    void reload(Call c) {
        c.control().reload();
        c.reply(202, "reload scheduled");
    }

    /** {@code POST /failsafe}: the leader asks to keep running while the DCS is down (failsafe mode). */
    void failsafe(Call c) {
        RequestBody b = c.body(false);
        String name = b.string("name");
        if (name == null || name.isEmpty()) {
            c.reply(400, "Bad request: name is required");
            return;
        }
        ActionResult r = c.control().acceptFailsafe(name, b.string("conn_url"), b.string("api_url"));
        c.reply(r.status(), r.message());
    }

    void reinitialize(Call c) {
        RequestBody b = c.body(true);
        boolean force = Boolean.TRUE.equals(b.bool("force"));
        LOG.info("[{}] reinitialize requested through the REST API (force={})", c.member(), force);
        answerWhenDone(c, c.control().reinitialize(force), "reinitialize failed");
    }

    private static void answerWhenDone(Call c, CompletableFuture<ActionResult> result, String failure) {
        result.whenComplete((r, e) -> {
            if (e != null || r == null) {
                LOG.warn("[{}] {}: {}", c.member(), failure, String.valueOf(e));
                c.reply(503, failure);
            } else {
                c.reply(r.status(), r.message());
            }
        });
    }

    /** Patroni's {@code postgres_version_to_int} check: X.Y (X ≥ 10) or X.Y.Z. */
    static String postgresVersion(Object value) {
        String v = String.valueOf(value);
        String message = "Invalid PostgreSQL version format: X.Y or X.Y.Z is accepted: " + v;
        String[] parts = v.split("\\.", -1);
        int[] n = new int[parts.length];
        try {
            for (int i = 0; i < parts.length; i++) {
                n[i] = Integer.parseInt(parts[i]);
            }
        } catch (NumberFormatException e) {
            throw HttpError.message(400, message);
        }
        if (parts.length < 2 || parts.length > 3 || (parts.length == 2 && n[0] < 10)) {
            throw HttpError.message(400, message);
        }
        return v;
    }

    /** Patroni's {@code parse_int(value, 's')}: a number of seconds, or a number with a time unit. */
    static Integer seconds(Object value) {
        if (value instanceof Number n) {
            return n.intValue();
        }
        Matcher m = DURATION.matcher(String.valueOf(value));
        if (!m.matches()) {
            return null;
        }
        long x = Long.parseLong(m.group(1));
        String unit = m.group(2) == null ? "s" : m.group(2);
        long s = switch (unit) {
            case "ms" -> x / 1000;
            case "min" -> x * 60;
            case "h" -> x * 3600;
            case "d" -> x * 86400;
            default -> x;
        };
        return s > Integer.MAX_VALUE ? null : (int) s;
    }
}
