package io.has.it.api;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import io.has.it.ClusterHarness;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real {@code patronictl} (Debian {@code patroni} 3.0.2 with kazoo) manages a live 3-member HAS
 * cluster: the commands that read ZooKeeper ({@code list}, {@code topology}, {@code history},
 * {@code show-config}), the one that writes it ({@code edit-config}) and the ones that call the REST API
 * ({@code pause}/{@code resume} through {@code PATCH /config}, {@code switchover} through
 * {@code POST /switchover}). Each is checked by its effect on ZooKeeper and on the daemons, not only by
 * its output. The tests share one cluster and run in order.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class PatronictlCommandsIT {

    @RegisterExtension
    static final LiveCluster LIVE = new LiveCluster("PatronictlCommandsIT", "pctl");

    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory());
    private static String patronictl;

    @BeforeAll
    static void findPatronictl() throws Exception {
        patronictl = Tool.patronictl();
    }

    private static Tool.Result patronictl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of(patronictl, "-c", LIVE.config()));
        cmd.addAll(List.of(args));
        Tool.Result r = Tool.run(Duration.ofSeconds(120), Map.of(), null, cmd);
        System.out.println("$ patronictl " + String.join(" ", args) + "\n" + r.describe());
        return r;
    }

    @Test
    @Order(1)
    void listAndTopologyShowTheLeaderFromZooKeeper() throws Exception {
        ClusterHarness cluster = LIVE.cluster();
        String leader = LIVE.settledLeader();

        Tool.Result list = patronictl("list");
        assertEquals(0, list.exit(), list.describe());
        assertTrue(list.stdout().contains("Cluster: " + cluster.scope()), list.describe());
        Map<String, List<String>> rows = Tool.table(list.stdout());
        assertEquals(cluster.names(), List.copyOf(rows.keySet()), list.describe());
        for (String name : cluster.names()) {
            assertEquals(name.equals(leader) ? "Leader" : "Replica", rows.get(name).get(2), "role of " + name);
            assertEquals("running", rows.get(name).get(3), "state of " + name);
        }

        // topology: the leader first, its replicas indented under it with "+ "
        Tool.Result topology = patronictl("topology");
        assertEquals(0, topology.exit(), topology.describe());
        List<String> members = List.copyOf(Tool.table(topology.stdout()).keySet());
        assertEquals(3, members.size(), topology.describe());
        assertEquals(leader, members.get(0), "the leader heads the topology\n" + topology.stdout());
        for (String replica : LIVE.others(leader)) {
            assertTrue(members.contains("+ " + replica), replica + " under the leader in\n" + topology.stdout());
        }
    }

    @Test
    @Order(2)
    void showConfigPrintsTheDynamicConfigurationTheDaemonsServe() throws Exception {
        String leader = LIVE.settledLeader();
        Tool.Result show = patronictl("show-config");
        assertEquals(0, show.exit(), show.describe());
        JsonNode shown = YAML.readTree(show.stdout());
        assertEquals(10, shown.path("ttl").asInt(), show.stdout());
        assertEquals(2, shown.path("loop_wait").asInt(), show.stdout());
        LiveCluster.Rest config = LIVE.get(leader, "/config");
        assertNotNull(config, "GET /config on " + leader);
        assertEquals(200, config.status(), config.text());
        assertEquals(config.json(), shown, "show-config (from ZooKeeper) vs GET /config on " + leader);
    }

    @Test
    @Order(3)
    void editConfigSetIsAppliedByEveryDaemon() throws Exception {
        Tool.Result edit = patronictl("edit-config", "--set", "loop_wait=3", "--force");
        assertEquals(0, edit.exit(), edit.describe());
        assertTrue(edit.stdout().contains("-loop_wait: 2") && edit.stdout().contains("+loop_wait: 3"),
                "diff in " + edit.describe());
        assertTrue(edit.stdout().contains("Configuration changed"), edit.describe());
        for (String member : LIVE.cluster().names()) {
            await("GET /config on " + member + " shows loop_wait 3").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500)).until(() -> {
                        LiveCluster.Rest r = LIVE.get(member, "/config");
                        return r != null && r.status() == 200 && r.json().path("loop_wait").asInt() == 3;
                    });
        }
        Tool.Result show = patronictl("show-config");
        assertEquals(3, YAML.readTree(show.stdout()).path("loop_wait").asInt(), show.describe());
    }

    @Test
    @Order(4)
    void pauseAndResumeWaitUntilEveryMemberRecognisedThem() throws Exception {
        ClusterHarness cluster = LIVE.cluster();
        LIVE.settledLeader();

        Tool.Result pause = patronictl("pause", "--wait");
        assertEquals(0, pause.exit(), pause.describe());
        assertTrue(pause.stdout().contains("'pause' request sent, waiting until it is recognized by all nodes"),
                pause.describe());
        assertTrue(pause.stdout().contains("Success: cluster management is paused"), pause.describe());
        for (String member : cluster.names()) {
            await(member + " reports pause in ZooKeeper and GET /patroni").atMost(Duration.ofSeconds(60))
                    .pollInterval(Duration.ofMillis(500)).until(() -> LIVE.memberKey(member).path("pause").asBoolean(false)
                            && cluster.patroni(member) != null && cluster.patroni(member).path("pause").asBoolean(false));
        }
        Tool.Result list = patronictl("list");
        assertTrue(list.stdout().contains("Maintenance mode: on"), "paused list\n" + list.describe());

        Tool.Result resume = patronictl("resume", "--wait");
        assertEquals(0, resume.exit(), resume.describe());
        assertTrue(resume.stdout().contains("Success: cluster management is resumed"), resume.describe());
        for (String member : cluster.names()) {
            await(member + " no longer reports pause").atMost(Duration.ofSeconds(60)).pollInterval(Duration.ofMillis(500))
                    .until(() -> !LIVE.memberKey(member).path("pause").asBoolean(false)
                            && cluster.patroni(member) != null && !cluster.patroni(member).has("pause"));
        }
        Tool.Result again = patronictl("list");
        assertFalse(again.stdout().contains("Maintenance mode"), again.describe());
    }

    @Test
    @Order(5)
    void switchoverToACandidateMovesTheLeaderAndTheOldLeaderRejoins() throws Exception {
        ClusterHarness cluster = LIVE.cluster();
        String leader = LIVE.settledLeader();
        String candidate = LIVE.others(leader).get(0);

        Tool.Result sw = patronictl("switchover", "--candidate", candidate, "--force");
        assertEquals(0, sw.exit(), sw.describe());
        assertTrue(sw.stdout().contains("Successfully switched over to \"" + candidate + "\""), sw.describe());

        await(candidate + " holds the leader key and answers /primary").atMost(LiveCluster.SETTLE)
                .pollInterval(Duration.ofMillis(500))
                .until(() -> candidate.equals(cluster.leaderFromZk()) && cluster.isPrimary(candidate));
        await(leader + " rejoins as a streaming replica").atMost(LiveCluster.SETTLE).pollInterval(Duration.ofMillis(500))
                .until(() -> cluster.isStreamingReplica(leader) && cluster.isReplicaByRest(leader));
        assertEquals(candidate, LIVE.settledLeader());

        Tool.Result list = patronictl("list");
        assertEquals("Leader", Tool.table(list.stdout()).get(candidate).get(2), list.describe());
        assertEquals("Replica", Tool.table(list.stdout()).get(leader).get(2), list.describe());

        // history: the promotion is recorded (TL, LSN, Reason, Timestamp, New Leader)
        Tool.Result history = patronictl("history");
        assertEquals(0, history.exit(), history.describe());
        Map<String, List<String>> rows = Tool.table(history.stdout());
        assertFalse(rows.isEmpty(), "a history row after the switchover\n" + history.describe());
        List<String> last = new ArrayList<>(rows.values()).get(rows.size() - 1);
        assertEquals("1", last.get(0), "TL of the switchover row\n" + history.stdout());
        assertTrue(last.get(1).matches("\\d+"), "LSN of the switchover row\n" + history.stdout());
        assertEquals(candidate, last.get(4), "New Leader of the switchover row\n" + history.stdout());
        Tool.Result json = patronictl("history", "-f", "json");
        JsonNode h = LiveCluster.JSON.readTree(json.stdout());
        assertEquals(candidate, h.get(h.size() - 1).path("New Leader").asText(), json.describe());
    }

    private static final String FAR_FUTURE = "2099-01-01T00:00+00:00";

    @Test
    @Order(6)
    void restartScheduledByPatronictlIsShownByTheMemberAndDeletedOverRest() throws Exception {
        ClusterHarness cluster = LIVE.cluster();
        String leader = LIVE.settledLeader();
        String replica = LIVE.others(leader).get(0);

        Tool.Result restart = patronictl("restart", cluster.scope(), replica, "--scheduled", FAR_FUTURE, "--force");
        assertEquals(0, restart.exit(), restart.describe());
        assertTrue(restart.stdout().contains("Success: restart scheduled on member " + replica), restart.describe());
        JsonNode status = cluster.patroni(replica);
        assertEquals("2099-01-01T00:00:00+00:00", status.path("scheduled_restart").path("schedule").asText(),
                "scheduled_restart in GET /patroni: " + status);

        // the member key carries scheduled_restart, so patronictl sees it and, with --force, deletes it
        // first (DELETE /restart) before scheduling again — exactly as against Patroni
        Tool.Result again = patronictl("restart", cluster.scope(), replica, "--scheduled", FAR_FUTURE, "--force");
        assertTrue(again.stdout().contains("Success: restart scheduled on member " + replica), again.describe());
        assertTrue(again.stdout().contains("Scheduled restart"), "list shows the member key's schedule: "
                + again.describe());

        LiveCluster.Rest delete = LIVE.send("DELETE", replica, "/restart", null, Duration.ofSeconds(30));
        assertNotNull(delete, "DELETE /restart on " + replica);
        assertEquals(200, delete.status(), delete.text());
        assertFalse(cluster.patroni(replica).has("scheduled_restart"), "after DELETE /restart: " + cluster.patroni(replica));
    }

    @Test
    @Order(7)
    void restartScheduledByPatronictlIsListedAndFlushedByPatronictl() throws Exception {
        ClusterHarness cluster = LIVE.cluster();
        String leader = LIVE.settledLeader();
        String replica = LIVE.others(leader).get(0);
        Tool.Result restart = patronictl("restart", cluster.scope(), replica, "--scheduled", FAR_FUTURE, "--force");
        assertTrue(restart.stdout().contains("Success: restart scheduled on member " + replica), restart.describe());
        await("scheduled_restart in the member key of " + replica).atMost(Duration.ofSeconds(60))
                .pollInterval(Duration.ofMillis(500))
                .until(() -> LIVE.memberKey(replica).path("scheduled_restart").has("schedule"));
        Tool.Result list = patronictl("list", "-e");
        assertTrue(Tool.table(list.stdout()).get(replica).contains("2099-01-01T00:00:00+00:00"), list.describe());

        Tool.Result flush = patronictl("flush", cluster.scope(), "restart", "--force");
        assertEquals(0, flush.exit(), flush.describe());
        assertTrue(flush.stdout().contains("Success: flush scheduled restart for member " + replica), flush.describe());
        assertFalse(cluster.patroni(replica).has("scheduled_restart"), "after flush: " + cluster.patroni(replica));
    }
}
