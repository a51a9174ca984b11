package io.has.ha;

import static io.has.json.JsonTree.asBoolean;
import static io.has.json.JsonTree.asInt;
import static io.has.json.JsonTree.asLong;
import static io.has.json.JsonTree.asText;
import static io.has.json.JsonTree.path;

import io.has.api.PeerHttp;
import io.has.cluster.Member;
import io.has.json.Json;
import io.has.json.JsonTree;
import java.net.URI;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/**
 * Fetches peers' {@code GET /patroni} in parallel with a hard deadline (2 s, like Patroni). A peer
 * that does not answer in time is reported unreachable, never waited for.
 */
public final class PeerProber {

    private static final Duration TIMEOUT = Duration.ofSeconds(2);

    private final PeerHttp http = new PeerHttp(null, "peer-probe");

    /** Probes every member in {@code peers}; returns one status per member name. */
    public Map<String, PeerStatus> probe(List<Member> peers) {
        Map<String, CompletableFuture<PeerStatus>> pending = new HashMap<>();
        for (Member m : peers) {
            pending.put(m.name(), fetch(m));
        }
        long deadline = System.nanoTime() + TIMEOUT.toNanos() + 200_000_000L;
        Map<String, PeerStatus> out = new HashMap<>();
        for (Map.Entry<String, CompletableFuture<PeerStatus>> e : pending.entrySet()) {
            long left = Math.max(1, deadline - System.nanoTime());
            try {
                out.put(e.getKey(), e.getValue().get(left, TimeUnit.NANOSECONDS));
            } catch (TimeoutException ex) {
                e.getValue().cancel(true);
                out.put(e.getKey(), PeerStatus.unreachable(e.getKey(), "no answer within " + TIMEOUT.toSeconds() + " s"));
            } catch (ExecutionException ex) {
                out.put(e.getKey(), PeerStatus.unreachable(e.getKey(), String.valueOf(ex.getCause())));
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                out.put(e.getKey(), PeerStatus.unreachable(e.getKey(), "interrupted"));
            }
        }
        return out;
    }

    /**
     * Failsafe mode: asks each member ({@code name → api_url}) to accept us as leader with
     * {@code POST /failsafe} with {@code leader} ({@code name}, {@code conn_url}, {@code api_url}) as the
     * body; true for a 200 within the deadline.
     */
    public Map<String, Boolean> postFailsafe(Map<String, String> members, Map<String, String> leader) {
        String body = Json.PLAIN.write(leader);
        Map<String, CompletableFuture<Boolean>> pending = new HashMap<>();
        members.forEach((name, apiUrl) -> {
            try {
                String url = URI.create(apiUrl).resolve("/failsafe").toString();
                pending.put(name, http.send("POST", url, body, (int) TIMEOUT.toMillis())
                        .thenApply(r -> r.status() == 200).exceptionally(e -> false));
            } catch (IllegalArgumentException e) {
                pending.put(name, CompletableFuture.completedFuture(false));
            }
        });
        long deadline = System.nanoTime() + TIMEOUT.toNanos() + 200_000_000L;
        Map<String, Boolean> out = new HashMap<>();
        for (Map.Entry<String, CompletableFuture<Boolean>> e : pending.entrySet()) {
            try {
                out.put(e.getKey(), e.getValue().get(Math.max(1, deadline - System.nanoTime()), TimeUnit.NANOSECONDS));
            } catch (TimeoutException | ExecutionException ex) {
                e.getValue().cancel(true);
                out.put(e.getKey(), false);
            } catch (InterruptedException ex) {
                Thread.currentThread().interrupt();
                out.put(e.getKey(), false);
            }
        }
        return out;
    }

    private CompletableFuture<PeerStatus> fetch(Member m) {
        String url = m.data().apiUrl();
        if (url == null) {
            return CompletableFuture.completedFuture(PeerStatus.unreachable(m.name(), "no api_url"));
        }
        return http.send("GET", url, null, (int) TIMEOUT.toMillis())
                .thenApply(r -> parse(m.name(), r.body()))
                .exceptionally(e -> PeerStatus.unreachable(m.name(), String.valueOf(e.getCause() != null ? e.getCause() : e)));
    }

    /** Interprets a {@code /patroni} document the way Patroni's leader race does. */
    static PeerStatus parse(String name, String body) {
        try {
            // an empty body reads as nothing at all, as databind's readTree had it
            Object n = body.isBlank() ? JsonTree.MISSING : Json.read(body);
            Object xlog = path(n, "xlog");
            if (!(xlog instanceof Map<?, ?>)) {
                return PeerStatus.unreachable(name, "no xlog in /patroni");
            }
            String role = asText(path(n, "role"), "");
            long location = asLong(path(xlog, "location"), 0);
            boolean primary = location != 0 || role.equals("primary") || role.equals("master");
            long wal = primary ? location
                    : Math.max(asLong(path(xlog, "received_location"), 0), asLong(path(xlog, "replayed_location"), 0));
            boolean nofailover = asBoolean(path(path(n, "tags"), "nofailover"), false);
            Object timeline = path(n, "timeline");
            Integer tl = timeline == JsonTree.MISSING ? null : asInt(timeline, 0);
            boolean streaming = !primary && "streaming".equals(asText(path(n, "replication_state"), ""));
            return new PeerStatus(name, true, !primary, wal, nofailover, asBoolean(path(n, "watchdog_failed"), false),
                    tl, streaming, null);
        } catch (Exception e) {
            return PeerStatus.unreachable(name, "unparsable /patroni: " + e.getMessage());
        }
    }
}
