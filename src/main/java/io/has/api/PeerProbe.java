package io.has.api;

import static io.has.json.JsonTree.asBoolean;
import static io.has.json.JsonTree.asText;
import static io.has.json.JsonTree.path;

import io.has.cluster.Member;
import io.has.json.Json;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;

/**
 * Probes candidates' {@code GET /patroni} for the switchover/failover possibility check, as Patroni's
 * {@code fetch_nodes_statuses} + {@code failover_limitation}: a candidate is good when it answers, has no
 * {@code nofailover} tag and no failed watchdog.
 */
class PeerProbe {

    static final long TIMEOUT_MS = 2000;

    private final PeerHttp client;

    PeerProbe(PeerHttp client) {
        this.client = client;
    }

    /** True when at least one of {@code members} may be promoted; probes in parallel, 2 s deadline. */
    boolean anyGoodCandidate(List<Member> members) {
        List<CompletableFuture<Boolean>> probes = members.stream().map(this::good).toList();
        for (CompletableFuture<Boolean> p : probes) {
            if (p.join()) {
                return true;
            }
        }
        return false;
    }

    CompletableFuture<Boolean> good(Member m) {
        String url = m.data().apiUrl();
        if (url == null || url.isEmpty()) {
            return CompletableFuture.completedFuture(false);
        }
        return client.send("GET", url, null, (int) TIMEOUT_MS)
                .thenApply(r -> r.status() == 200 || r.status() == 503 ? goodStatus(r.body()) : false)
                .exceptionally(e -> false);
    }

    static boolean goodStatus(String body) {
        try {
            Object n = Json.read(body);
            Object nofailover = path(path(n, "tags"), "nofailover");
            boolean noFailover = nofailover instanceof Boolean b ? b : "true".equalsIgnoreCase(asText(nofailover, ""));
            return n instanceof Map<?, ?> && !noFailover && !asBoolean(path(n, "watchdog_failed"), false);
        } catch (Exception e) {
            return false;
        }
    }
}
