package io.has.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.has.cluster.Cluster;
import io.has.cluster.ClusterStatus;
import io.has.cluster.Failover;
import io.has.cluster.Leader;
import io.has.cluster.Member;
import io.has.cluster.MemberData;
import io.has.cluster.PgState;
import io.has.cluster.Role;
import io.has.cluster.SyncState;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterTableTest {

    private static Member member(String name, int port, Role role) {
        return new Member(name, new MemberData("postgres://127.0.0.1:" + port + "/postgres",
                "http://127.0.0.1:8008/patroni", PgState.RUNNING, role, "0.1.0", Map.of(), 117473280L, 13, false), 1, 0);
    }

    @Test
    void rendersExactlyWhatPatronictlPrintsForTheGoldenCluster() {
        Cluster c = new Cluster("7710701428579163618", null, new Leader("pg1", 1, 0),
                List.of(member("pg1", 5432, Role.PRIMARY), member("pg2", 5433, Role.REPLICA),
                        member("pg3", 5434, Role.REPLICA)),
                Failover.NONE, SyncState.EMPTY, List.of(), new ClusterStatus(117473280L, Map.of()));
        // reference/golden/rest-dump-patroni-3.0.2.txt, "patronictl -c conf/pg1.yml list"
        String golden = """
                + Cluster: batman --------+---------+---------+----+-----------+
                | Member | Host           | Role    | State   | TL | Lag in MB |
                +--------+----------------+---------+---------+----+-----------+
                | pg1    | 127.0.0.1:5432 | Leader  | running | 13 |           |
                | pg2    | 127.0.0.1:5433 | Replica | running | 13 |         0 |
                | pg3    | 127.0.0.1:5434 | Replica | running | 13 |         0 |
                +--------+----------------+---------+---------+----+-----------+
                """;
        assertEquals(golden, ClusterTable.render("batman", c));
    }
}
