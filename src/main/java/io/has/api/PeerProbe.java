package io.has.api;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.has.cluster.Member;
import java.util.List;
import java.util.concurrent.CompletableFuture;

/**
 * Probes candidates' {@code GET /patroni} for the switchover/failover possibility check, as Patroni's
 * {@code fetch_nodes_statuses} + {@code failover_limitation}: a candidate is good when it answers, has no
 * {@code nofailover} tag and no failed watchdog.
 */
class PeerProbe {

    static final long TIMEOUT_MS = 2000;
    private static final ObjectMapper JSON = new ObjectMapper();

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
            JsonNode n = JSON.readTree(body);
            JsonNode nofailover = n.path("tags").path("nofailover");
            boolean noFailover = nofailover.isBoolean() ? nofailover.asBoolean()
                    : "true".equalsIgnoreCase(nofailover.asText(""));
            return n.isObject() && !noFailover && !n.path("watchdog_failed").asBoolean(false);
        } catch (Exception e) {
            return false;
        }
    }
}
