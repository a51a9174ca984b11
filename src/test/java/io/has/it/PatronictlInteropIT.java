package io.has.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * The real {@code patronictl} (Debian package {@code patroni} 3.0.2, ZooKeeper through kazoo) reads
 * a HAS cluster from ZooKeeper exactly like a Patroni cluster: {@code list} and {@code list -f json}
 * with the same configuration file the daemons use.
 */
@Timeout(value = 10, unit = TimeUnit.MINUTES)
class PatronictlInteropIT {

    @RegisterExtension
    final HarnessGuard guard = new HarnessGuard();

    @Test
    void patronictlListShowsTheHasCluster() throws Exception {
        String patronictl = ensurePatronictl();
        ClusterHarness cluster = guard.register(ClusterHarness.create(ClusterHarness.options()
                .label("PatronictlInteropIT").scope("interop").members(3).dcsTiming(10, 2, 3)));
        cluster.startAll();
        String leader = cluster.awaitLeaderAndReplicas(2, Duration.ofSeconds(180));
        Path config = cluster.member("pg1").config();

        // pretty table
        Commands.Result pretty = Commands.run(Duration.ofSeconds(60), patronictl, "-c", config.toString(), "list");
        assertEquals(0, pretty.exit(), "patronictl list failed:\n" + pretty.output());
        System.out.println("patronictl list:\n" + pretty.output());
        assertTrue(pretty.output().contains("Cluster: " + cluster.scope()), "cluster name in\n" + pretty.output());
        Map<String, List<String>> rows = parseTable(pretty.output());
        assertEquals(cluster.names(), List.copyOf(rows.keySet()), "members listed in\n" + pretty.output());
        int leaders = 0;
        int replicas = 0;
        for (String name : cluster.names()) {
            List<String> row = rows.get(name);
            // Member | Host | Role | State | TL | Lag in MB
            assertEquals("127.0.0.1:" + cluster.member(name).pgPort(), row.get(1), "host of " + name);
            assertEquals("running", row.get(3), "state of " + name + " in\n" + pretty.output());
            if (row.get(2).equals("Leader")) {
                leaders++;
                assertEquals(cluster.leaderFromZk(), name, "Leader row vs ZooKeeper leader key");
                assertEquals(leader, name, "Leader row vs the member answering /primary");
            } else if (row.get(2).equals("Replica")) {
                replicas++;
            }
        }
        assertEquals(1, leaders, "Leader rows in\n" + pretty.output());
        assertEquals(2, replicas, "Replica rows in\n" + pretty.output());

        // JSON
        Commands.Result json = Commands.run(Duration.ofSeconds(60), patronictl, "-c", config.toString(), "list", "-f", "json");
        assertEquals(0, json.exit(), "patronictl list -f json failed:\n" + json.output());
        JsonNode list = new ObjectMapper().readTree(json.stdout());
        assertTrue(list.isArray() && list.size() == 3, "three members in " + json.stdout());
        Map<String, JsonNode> byName = new LinkedHashMap<>();
        list.forEach(m -> byName.put(m.path("Member").asText(), m));
        for (String name : cluster.names()) {
            JsonNode m = byName.get(name);
            assertTrue(m != null, name + " in " + json.stdout());
            List<String> row = rows.get(name);
            assertEquals(cluster.scope(), m.path("Cluster").asText(), "Cluster of " + name);
            assertEquals(row.get(1), m.path("Host").asText(), "Host of " + name + " (json vs table)");
            assertEquals(row.get(2), m.path("Role").asText(), "Role of " + name + " (json vs table)");
            assertEquals(row.get(3), m.path("State").asText(), "State of " + name + " (json vs table)");
            assertEquals(row.get(4), m.path("TL").asText(), "TL of " + name + " (json vs table)");
        }
        assertEquals(leader, byName.entrySet().stream().filter(e -> e.getValue().path("Role").asText().equals("Leader"))
                .map(Map.Entry::getKey).findFirst().orElse(null), "Leader in json");
    }

    /**
     * The rows of patronictl's pretty table: member name to its cells
     * (Member, Host, Role, State, TL, Lag in MB, ...).
     */
    static Map<String, List<String>> parseTable(String output) {
        Map<String, List<String>> rows = new LinkedHashMap<>();
        boolean header = true;
        for (String line : output.split("\n")) {
            if (!line.startsWith("|")) {
                continue;
            }
            List<String> cells = new ArrayList<>();
            for (String c : line.substring(1, line.lastIndexOf('|')).split("\\|", -1)) {
                cells.add(c.trim());
            }
            if (header) { // "| Member | Host | Role | ..."
                header = false;
                continue;
            }
            rows.put(cells.get(0), cells);
        }
        return rows;
    }

    /**
     * Path of patronictl. Installs Debian's {@code patroni} and {@code python3-kazoo} when either is
     * missing (patroni alone would pull python3-etcd, and patronictl then cannot reach ZooKeeper);
     * skips the test, printing why, when that is impossible.
     */
    static String ensurePatronictl() throws Exception {
        String found = Commands.which("patronictl");
        boolean kazoo = Commands.run(Duration.ofSeconds(30), "python3", "-c", "import kazoo").exit() == 0;
        if (found != null && kazoo) {
            return found;
        }
        if (!ClusterHarness.isRoot()) {
            skip("patronictl or python3-kazoo is missing and only root can install them"
                    + " (apt-get install patroni python3-kazoo)");
        }
        Commands.Result update = Commands.run(Duration.ofMinutes(5), "apt-get", "update", "-qq");
        if (update.exit() != 0) {
            skip("apt-get update failed: " + update.output());
        }
        Commands.Result install = Commands.run(Duration.ofMinutes(10), "env", "DEBIAN_FRONTEND=noninteractive",
                "apt-get", "install", "-y", "-qq", "patroni", "python3-kazoo");
        if (install.exit() != 0) {
            skip("apt-get install patroni python3-kazoo failed: " + install.output());
        }
        found = Commands.which("patronictl");
        if (found == null) {
            skip("patronictl still missing after installing patroni");
        }
        return found;
    }

    private static void skip(String reason) {
        System.out.println("PatronictlInteropIT skipped: " + reason);
        Assumptions.abort(reason);
    }
}
