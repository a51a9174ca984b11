package io.has.it.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.has.it.ClusterHarness;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * {@code hasctl} (the {@code scripts/hasctl} launcher on the jar under test) against a live 3-member
 * cluster: each command's output and exit code, and its effect on ZooKeeper, the REST API and
 * PostgreSQL. Also {@code promtool check metrics} on the live members' {@code /metrics}. The tests share
 * one cluster and run in order.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class HasctlLiveIT {

    @RegisterExtension
    static final LiveCluster LIVE = new LiveCluster("HasctlLiveIT", "hasctl");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    /** Patroni's own counters lack {@code _total}; dashboards depend on those names (see PromtoolMetricsTest). */
    private static final Pattern PATRONI_COUNTER_LINT = Pattern.compile("(patroni_xlog_location|patroni_xlog_received_location"
            + "|patroni_xlog_replayed_location|patroni_postgres_timeline) counter metrics should have \"_total\" suffix");

    private static Tool.Result hasctl(String... args) throws Exception {
        Path launcher = Path.of(System.getProperty("has.basedir", "."), "scripts", "hasctl");
        List<String> cmd = new ArrayList<>(List.of(launcher.toString(), "-c", LIVE.config()));
        cmd.addAll(List.of(args));
        Map<String, String> env = Map.of("HAS_JAR", LiveCluster.jar(),
                "JAVA", Path.of(System.getProperty("java.home"), "bin", "java").toString());
        Tool.Result r = Tool.run(Duration.ofSeconds(150), env, null, cmd);
        System.out.println("$ hasctl " + String.join(" ", args) + "\n" + r.describe());
        return r;
    }

    /** A failed command: exit 1, nothing on stdout, exactly one line on stderr that starts with "Error: ". */
    private static void assertOneLineError(Tool.Result r, String expected) {
        assertEquals(1, r.exit(), r.describe());
        assertEquals("", r.stdout(), r.describe());
        List<String> lines = r.stderr().strip().lines().toList();
        assertEquals(1, lines.size(), "one line on stderr\n" + r.describe());
        assertEquals("Error: " + expected, lines.get(0), r.describe());
    }

    @Test
    @Order(1)
    void listPrettyAndJsonShowTheLeaderFromZooKeeper() throws Exception {
        ClusterHarness cluster = LIVE.cluster();
        String leader = LIVE.settledLeader();

        Tool.Result list = hasctl("list");
        assertEquals(0, list.exit(), list.describe());
        assertEquals("", list.stderr(), list.describe());
        assertTrue(list.stdout().startsWith("+ Cluster: " + cluster.scope() + " "), list.describe());
        Map<String, List<String>> rows = Tool.table(list.stdout());
        assertEquals(cluster.names(), List.copyOf(rows.keySet()), list.describe());
        for (String name : cluster.names()) {
            List<String> row = rows.get(name); // Member | Host | Role | State | TL | Lag in MB
            assertEquals("127.0.0.1:" + cluster.member(name).pgPort(), row.get(1), "host of " + name);
            assertEquals(name.equals(leader) ? "Leader" : "Replica", row.get(2), "role of " + name);
            assertEquals("running", row.get(3), "state of " + name);
            assertEquals("1", row.get(4), "timeline of " + name);
        }

        Tool.Result json = hasctl("list", "--format", "json");
        assertEquals(0, json.exit(), json.describe());
        JsonNode members = LiveCluster.JSON.readTree(json.stdout());
        assertEquals(3, members.size(), json.describe());
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        members.forEach(m -> byName.put(m.path("Member").asText(), m));
        assertEquals(cluster.names(), List.copyOf(byName.keySet()), json.describe());
        for (String name : cluster.names()) {
            JsonNode m = byName.get(name);
            assertEquals(cluster.scope(), m.path("Cluster").asText(), json.stdout());
            assertEquals(rows.get(name).get(1), m.path("Host").asText(), "Host of " + name + " (json vs table)");
            assertEquals(rows.get(name).get(2), m.path("Role").asText(), "Role of " + name + " (json vs table)");
            assertEquals("running", m.path("State").asText(), json.stdout());
            assertEquals(1, m.path("TL").asInt(), json.stdout());
        }
    }

    @Test
    @Order(2)
    void showConfigAndEmptyHistory() throws Exception {
        String leader = LIVE.settledLeader();
        Tool.Result show = hasctl("show-config");
        assertEquals(0, show.exit(), show.describe());
        LiveCluster.Rest config = LIVE.get(leader, "/config");
        assertNotNull(config);
        assertEquals(config.json(), YAML.readTree(show.stdout()), "show-config vs GET /config on " + leader);

        Tool.Result history = hasctl("history", "-f", "json");
        assertEquals(0, history.exit(), history.describe());
        assertEquals("[]", history.stdout().strip(), "no promotion yet\n" + history.describe());
    }

    @Test
    @Order(3)
    void explainShowsTheLeadersDecisionLog() throws Exception {
        String leader = LIVE.settledLeader();
        Tool.Result explain = hasctl("explain");
        assertEquals(0, explain.exit(), explain.describe());
        assertTrue(explain.stdout().contains("Decisions of " + leader), explain.describe());
        Map<String, List<String>> rows = Tool.table(explain.stdout());
        assertFalse(rows.isEmpty(), "decision rows\n" + explain.describe());

        Tool.Result json = hasctl("explain", leader, "-f", "json");
        assertEquals(0, json.exit(), json.describe());
        JsonNode decisions = LiveCluster.JSON.readTree(json.stdout());
        assertTrue(decisions.isArray() && decisions.size() > 0, json.describe());
        LiveCluster.Rest rest = LIVE.get(leader, "/decisions");
        assertNotNull(rest);
        JsonNode latest = rest.json().get(rest.json().size() - 1);
        boolean found = false;
        for (JsonNode d : decisions) {
            found |= d.path("Decision").asText().equals(latest.path("sentence").asText());
        }
        assertTrue(found, "the latest decision of GET /decisions (" + latest + ") in\n" + json.stdout());

        assertOneLineError(hasctl("explain", "pg9"), "pg9 is not a member of cluster " + LIVE.cluster().scope());
    }

    @Test
    @Order(4)
    void pauseAndResumeWait() throws Exception {
        ClusterHarness cluster = LIVE.cluster();
        LIVE.settledLeader();
        Tool.Result pause = hasctl("pause", "--wait");
        assertEquals(0, pause.exit(), pause.describe());
        assertTrue(pause.stdout().contains("Success: cluster management is paused"), pause.describe());
        // --wait returned only after every member key says so; /patroni follows from the same snapshot
        for (String m : cluster.names()) {
            assertTrue(LIVE.memberKey(m).path("pause").asBoolean(false), m + " member key " + LIVE.memberKey(m));
            await("GET /patroni on " + m + " shows pause").atMost(Duration.ofSeconds(30))
                    .pollInterval(Duration.ofMillis(300)).until(() -> cluster.patroni(m) != null
                            && cluster.patroni(m).path("pause").asBoolean(false));
        }
        Tool.Result list = hasctl("list");
        assertTrue(list.stdout().startsWith("+ Cluster: " + cluster.scope() + " (paused)"), list.describe());
        assertOneLineError(hasctl("pause"), "Cluster is already paused");

        Tool.Result resume = hasctl("resume", "--wait");
        assertEquals(0, resume.exit(), resume.describe());
        assertTrue(resume.stdout().contains("Success: cluster management is resumed"), resume.describe());
        for (String m : cluster.names()) {
            assertFalse(LIVE.memberKey(m).path("pause").asBoolean(false), m + " member key " + LIVE.memberKey(m));
        }
        assertOneLineError(hasctl("resume"), "Cluster is not paused");
    }

    @Test
    @Order(5)
    void switchoverToACandidate() throws Exception {
        ClusterHarness cluster = LIVE.cluster();
        String leader = LIVE.settledLeader();
        String candidate = LIVE.others(leader).get(1);

        assertOneLineError(hasctl("switchover", "--candidate", "pg9", "--force"),
                "Member pg9 does not exist in cluster " + cluster.scope());
        assertEquals(leader, cluster.leaderFromZk(), "a refused switchover changes nothing");

        Tool.Result sw = hasctl("switchover", "--candidate", candidate, "--force");
        assertEquals(0, sw.exit(), sw.describe());
        assertTrue(sw.stdout().contains("Successfully switched over to \"" + candidate + "\""), sw.describe());
        assertTrue(sw.stdout().contains(candidate + " is up and running as the leader"), sw.describe());
        assertEquals(candidate, cluster.leaderFromZk(), "leader key after hasctl switchover returned");
        await(leader + " rejoins as a streaming replica").atMost(LiveCluster.SETTLE).pollInterval(Duration.ofMillis(500))
                .until(() -> cluster.isStreamingReplica(leader) && cluster.isReplicaByRest(leader));
        assertEquals(candidate, LIVE.settledLeader());

        Tool.Result history = hasctl("history");
        assertEquals(0, history.exit(), history.describe());
        List<List<String>> rows = new ArrayList<>(Tool.table(history.stdout()).values());
        assertEquals(1, rows.size(), history.describe());
        assertEquals("1", rows.get(0).get(0), "TL\n" + history.stdout());
        assertEquals(candidate, rows.get(0).get(4), "New Leader\n" + history.stdout());
    }

    @Test
    @Order(6)
    void restartAReplica() throws Exception {
        ClusterHarness cluster = LIVE.cluster();
        String leader = LIVE.settledLeader();
        String replica = LIVE.others(leader).get(0);
        String started = cluster.patroni(replica).path("postmaster_start_time").asText();
        long pid = cluster.postmaster(replica).orElseThrow().pid();

        Tool.Result restart = hasctl("restart", replica, "--force");
        assertEquals(0, restart.exit(), restart.describe());
        assertEquals("Success: restart on member " + replica, restart.stdout().strip(), restart.describe());
        assertNotEquals(pid, cluster.postmaster(replica).map(ProcessHandle::pid).orElse(pid),
                "a new postmaster after the restart");
        await(replica + " streams again after the restart").atMost(LiveCluster.SETTLE).pollInterval(Duration.ofMillis(500))
                .until(() -> cluster.isStreamingReplica(replica) && cluster.isReplicaByRest(replica));
        assertNotEquals(started, cluster.patroni(replica).path("postmaster_start_time").asText(),
                "postmaster_start_time after the restart");
        assertEquals(leader, cluster.leaderFromZk(), "restarting a replica leaves the leader alone");

        assertOneLineError(hasctl("restart", "pg9", "--force"), "pg9 is not a member of cluster " + cluster.scope());
    }

    @Test
    @Order(7)
    void reinitAReplicaReclonesIt() throws Exception {
        ClusterHarness cluster = LIVE.cluster();
        String leader = LIVE.settledLeader();
        String replica = LIVE.others(leader).get(1);
        // a file only the old data directory has: a re-clone removes the directory
        Path marker = cluster.member(replica).dataDir().resolve("has-it-reinit-marker");
        Files.writeString(marker, "before reinit\n");

        assertOneLineError(hasctl("reinit", leader, "--force"),
                leader + " is the leader of cluster " + cluster.scope() + ", can not reinitialize");

        Tool.Result reinit = hasctl("reinit", replica, "--force");
        assertEquals(0, reinit.exit(), reinit.describe());
        assertEquals("Success: reinitialize for member " + replica, reinit.stdout().strip(), reinit.describe());
        await(replica + " is re-cloned and streams again").atMost(LiveCluster.SETTLE).pollInterval(Duration.ofMillis(500))
                .until(() -> !Files.exists(marker) && cluster.isStreamingReplica(replica)
                        && cluster.isReplicaByRest(replica));
        assertEquals(leader, cluster.leaderFromZk(), "reinitialising a replica leaves the leader alone");
        LIVE.settledLeader();
    }

    @Test
    @Order(8)
    void promtoolAcceptsLiveMetrics() throws Exception {
        String promtool = Tool.require("promtool", null, "prometheus");
        String leader = LIVE.settledLeader();
        for (String member : List.of(leader, LIVE.others(leader).get(0))) {
            LiveCluster.Rest metrics = LIVE.get(member, "/metrics");
            assertNotNull(metrics, "GET /metrics on " + member);
            assertEquals(200, metrics.status());
            String primary = "(?m)^patroni_primary\\{scope=\"" + LIVE.cluster().scope() + "\"[^}]*\\} "
                    + (member.equals(leader) ? "1" : "0") + "$";
            assertTrue(Pattern.compile(primary).matcher(metrics.text()).find(), primary + " in\n" + metrics.text());
            Tool.Result check = Tool.run(Duration.ofSeconds(60), Map.of(), metrics.text(),
                    List.of(promtool, "check", "metrics"));
            // exit 0 = clean, 3 = lint findings only (1 would be a parse error)
            assertTrue(check.exit() == 0 || check.exit() == 3, check.describe() + "\n" + metrics.text());
            for (String finding : check.output().strip().lines().toList()) {
                assertTrue(PATRONI_COUNTER_LINT.matcher(finding).matches(),
                        "unexpected promtool finding on " + member + ": " + finding + "\n" + metrics.text());
            }
        }
    }
}
