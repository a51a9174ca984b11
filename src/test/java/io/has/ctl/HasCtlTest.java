package io.has.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.has.cluster.Cluster;
import io.has.cluster.HistoryEntry;
import io.has.cluster.Role;
import io.has.dcs.DcsException;
import java.io.BufferedReader;
import java.io.PrintWriter;
import java.io.StringReader;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * hasctl commands in-process against a real ZooKeeper (TestingServer) holding a Patroni-layout cluster
 * whose members' api_url point at a real REST server backed by a test NodeControl.
 */
class HasCtlTest {

    @TempDir
    Path dir;
    private CtlFixture fx;
    private Path config;

    /** One run's exit code and output. */
    record Result(int code, String out, String err) {
    }

    @BeforeEach
    void start() throws Exception {
        fx = new CtlFixture();
        config = dir.resolve("pg1.yml");
        Files.writeString(config, """
                scope: batman
                name: pg1
                restapi:
                  listen: 127.0.0.1:8008
                  authentication:
                    username: admin
                    password: ctl-pw
                zookeeper:
                  hosts: ['%s']
                postgresql:
                  listen: 127.0.0.1:5432
                  data_dir: %s/data
                """.formatted(fx.connectString(), dir));
        fx.start("admin", "ctl-pw");
    }

    @AfterEach
    void stop() throws Exception {
        fx.close();
    }

    private Result run(String stdin, String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] full = new String[args.length + 2];
        full[0] = "-c";
        full[1] = config.toString();
        System.arraycopy(args, 0, full, 2, args.length);
        int code = HasCtl.run(new PrintWriter(out), new PrintWriter(err), new BufferedReader(new StringReader(stdin)), full);
        return new Result(code, out.toString(), err.toString());
    }

    @Test
    void listPrintsPatronictlsTableAndJsonAndYaml() throws Exception {
        Result r = run("", "list");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().startsWith("+ Cluster: batman "), r.out());
        assertTrue(r.out().contains("| Member | Host           | Role    | State   | TL | Lag in MB |"), r.out());
        assertTrue(r.out().contains("| pg1    | 127.0.0.1:5432 | Leader  | running |  1 |           |"), r.out());
        assertTrue(r.out().contains("| pg2    | 127.0.0.1:5433 | Replica | running |  1 |         0 |"), r.out());

        JsonNode json = new ObjectMapper().readTree(run("", "list", "-f", "json").out());
        assertEquals(3, json.size());
        assertEquals("pg1", json.get(0).get("Member").asText());
        assertEquals("Leader", json.get(0).get("Role").asText());
        assertEquals(0, json.get(1).get("Lag in MB").asInt());
        assertTrue(run("", "list", "--format", "yaml").out().contains("Member: pg3"));

        Result watch = run("", "list", "-w", "0.01", "--watch-count", "2");
        assertEquals(2, watch.out().split("\\+ Cluster: batman", -1).length - 1);
    }

    @Test
    void topologyIndentsReplicasUnderTheLeader() {
        String out = run("", "topology").out();
        assertTrue(out.contains("| pg1    |"), out);
        assertTrue(out.contains("| + pg2  |"), out);
    }

    @Test
    void tagsColumnAppearsWhenAnyMemberHasTags() throws Exception {
        fx.zk.member("pg3", Role.REPLICA, 5434, fx.apiUrl(), Map.of("nofailover", true));
        String out = run("", "list").out();
        assertTrue(out.contains("| Lag in MB | Tags             |"), out);
        assertTrue(out.contains("nofailover: true"), out);
    }

    @Test
    void historyAndShowConfig() throws Exception {
        fx.zk.session("pg1").writeHistory(List.of(new HistoryEntry(1, 67311712, "no recovery target specified",
                "2026-11-21T19:01:26.524776+00:00", "pg2")));
        String history = run("", "history").out();
        assertTrue(history.contains("| TL |      LSN | Reason                       | Timestamp"), history);
        assertTrue(history.contains("|  1 | 67311712 | no recovery target specified |"), history);
        String cfg = run("", "show-config").out();
        assertTrue(cfg.startsWith("loop_wait: 10\nmaximum_lag_on_failover: 1048576\npostgresql:\n"), cfg);
        assertTrue(cfg.contains("    hot_standby: 'on'\n") || cfg.contains("    hot_standby: \"on\"\n"), cfg);
        assertTrue(cfg.contains("ttl: 30"), cfg);
    }

    @Test
    void editConfigSetsWithCompareAndSetAndShowsTheDiff() throws Exception {
        Result r = run("", "edit-config", "--set", "ttl=40", "--pg", "max_connections=200", "--set", "retry_timeout=null",
                "--force");
        assertEquals(0, r.code(), r.err());
        assertTrue(r.out().contains("\n+ttl: 40\n"), r.out());
        assertTrue(r.out().contains("\n-ttl: 30\n"), r.out());
        assertTrue(r.out().contains("Configuration changed"), r.out());
        Map<String, Object> stored = fx.zk.read().config().value();
        assertEquals(40, stored.get("ttl"));
        assertFalse(stored.containsKey("retry_timeout"));
        assertEquals(200, ((Map<?, ?>) ((Map<?, ?>) stored.get("postgresql")).get("parameters")).get("max_connections"));
        assertEquals("Not changed\n", run("", "edit-config", "--set", "ttl=40", "--force").out());

        Result declined = run("n\n", "edit-config", "--set", "ttl=50");
        assertEquals(1, declined.code());
        assertEquals(40, fx.zk.read().config().value().get("ttl"));
        assertEquals(0, run("y\n", "edit-config", "--set", "ttl=50").code());
        assertEquals(50, fx.zk.read().config().value().get("ttl"));
    }

    @Test
    void switchoverCallsTheLeaderAndWaitsForTheNewLeader() throws Exception {
        fx.control.onWakeup.set(() -> {
            fx.zk.moveLeader("pg1", "pg2");
            try {
                fx.zk.member("pg2", Role.PRIMARY, 5433, fx.apiUrl(), Map.of());
            } catch (DcsException e) {
                throw new IllegalStateException(e);
            }
        });
        Result r = run("", "switchover", "--candidate", "pg2", "--force");
        assertEquals(0, r.code(), r.err() + r.out());
        assertTrue(r.out().contains("Successfully switched over to \"pg2\""), r.out());
        assertTrue(r.out().contains("pg2 is up and running as the leader"), r.out());
        assertTrue(r.out().contains("| pg2    | 127.0.0.1:5433 | Leader  |"), r.out());
    }

    @Test
    void switchoverPromptsWhenNotForced() throws Exception {
        Result aborted = run("pg1\npg3\nnow\nn\n", "switchover");
        assertEquals(1, aborted.code());
        assertTrue(aborted.out().contains("Primary [pg1]: Candidate [pg2, pg3] []: "), aborted.out());
        assertTrue(aborted.out().contains("Are you sure you want to switchover cluster batman, demoting current leader pg1?"),
                aborted.out());
        assertEquals("Error: Aborting switchover\n", aborted.err());

        Result scheduled = run("\npg3\n2099-01-01T10:00+00:00\ny\n", "switchover");
        assertEquals(0, scheduled.code(), scheduled.err());
        assertTrue(scheduled.out().contains("Switchover scheduled"), scheduled.out());
        assertEquals("pg3", fx.zk.read().failover().candidate());
        assertTrue(run("", "list").out().contains("Switchover scheduled at: 2099-01-01T10:00Z"));
    }

    @Test
    void errorsAreOneLineAndNonZero() throws Exception {
        Result unknown = run("", "switchover", "--candidate", "pg9", "--force");
        assertEquals(1, unknown.code());
        assertEquals("Error: Member pg9 does not exist in cluster batman\n", unknown.err());
        Result notLeader = run("", "switchover", "--leader", "pg2", "--force");
        assertEquals("Error: Member pg2 is not the leader of cluster batman\n", notLeader.err());
        Result failover = run("", "failover", "--force");
        assertEquals("Error: Failover could be performed only to a specific candidate\n", failover.err());

        StringWriter err = new StringWriter();
        int code = HasCtl.run(new PrintWriter(new StringWriter()), new PrintWriter(err),
                new BufferedReader(new StringReader("")), "-c", dir.resolve("missing.yml").toString(), "list");
        assertEquals(1, code);
        assertEquals(1, err.toString().strip().lines().count(), err.toString());
        assertTrue(err.toString().startsWith("Error: invalid configuration"), err.toString());
    }

    @Test
    void restartReloadReinit() throws Exception {
        Result restart = run("", "restart", "batman", "pg1", "--force");
        assertEquals(0, restart.code(), restart.err());
        assertEquals("Success: restart on member pg1\n", restart.out());

        Result scheduled = run("", "restart", "pg2", "--force", "--scheduled", "2099-01-01T00:00:00+00:00");
        assertEquals("Success: restart scheduled on member pg2\n", scheduled.out());

        Result reload = run("", "reload", "--force");
        assertEquals(3, reload.out().lines().filter(l -> l.startsWith("Reload request received for member ")
                && l.endsWith(" and will be processed within 10 seconds")).count(), reload.out());

        Result reinit = run("y\n", "reinit", "pg2");
        assertEquals(0, reinit.code(), reinit.err());
        assertTrue(reinit.out().endsWith("Success: reinitialize for member pg2\n"), reinit.out());
        assertEquals(1, run("", "reinit", "pg1", "--force").code(), "the leader cannot be reinitialised");

        fx.control.restartResult.set(new io.has.api.NodeControl.ActionResult(503, "restart conditions are not satisfied"));
        Result failed = run("", "restart", "pg1", "--force");
        assertEquals(1, failed.code());
        assertEquals("Failed: restart for member pg1, status code=503, (restart conditions are not satisfied)\n",
                failed.out());
    }

    @Test
    void pauseAndResumeWaitUntilMembersRecogniseIt() throws Exception {
        fx.control.onWakeup.set(() -> fx.publishPause());
        Result pause = run("", "pause", "--wait");
        assertEquals(0, pause.code(), pause.err());
        assertEquals("'pause' request sent, waiting until it is recognized by all nodes\n"
                + "Success: cluster management is paused\n", pause.out());
        assertEquals(true, fx.zk.read().config().value().get("pause"));
        assertEquals("Error: Cluster is already paused\n", run("", "pause").err());
        assertTrue(run("", "list").out().startsWith("+ Cluster: batman (paused) "));

        Result resume = run("", "resume", "--wait");
        assertEquals(0, resume.code(), resume.err());
        assertFalse(fx.zk.read().config().value().containsKey("pause"));
    }

    @Test
    void explainAndVersion() throws Exception {
        fx.control.log.record(1_795_287_600_000L, "no_action", "no action. I am (pg1), the leader with the lock");
        fx.control.log.record(1_795_287_610_000L, "no_action", "no action. I am (pg1), the leader with the lock");
        Result explain = run("", "explain");
        assertEquals(0, explain.code(), explain.err());
        assertTrue(explain.out().contains("+ Decisions of pg1 "), explain.out());
        assertTrue(explain.out().contains("| no_action |       1 | no action. I am (pg1), the leader with the lock |"),
                explain.out());
        JsonNode json = new ObjectMapper().readTree(run("", "explain", "pg2", "-f", "json").out());
        assertEquals("no_action", json.get(0).get("Kind").asText());

        Result version = run("", "version");
        assertTrue(version.out().startsWith("hasctl version 0.1.0\n"), version.out());
        assertTrue(version.out().contains("pg1: HAS 0.1.0 PostgreSQL 15.18"), version.out());
    }

    @Test
    void removeNeedsThreeConfirmations() throws Exception {
        Result wrong = run("batman\nYes I am aware\npg2\n", "remove", "batman");
        assertEquals("Error: You did not specify the current leader of the cluster\n", wrong.err());
        assertEquals(3, fx.zk.read().members().size());
        Result ok = run("batman\nYes I am aware\npg1\n", "remove", "batman");
        assertEquals(0, ok.code(), ok.err());
        Cluster c = fx.zk.read();
        assertTrue(c.config() == null && c.initialize() == null);
    }
}
