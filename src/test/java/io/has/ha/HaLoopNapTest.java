package io.has.ha;

import static io.has.ha.HaDeciderSwitchoverTest.at;
import static io.has.ha.Views.ledBy;
import static io.has.ha.Views.withFailover;
import static org.junit.jupiter.api.Assertions.assertEquals;

import io.has.cluster.Cluster;
import org.junit.jupiter.api.Test;

/** How long the loop naps around a scheduled switchover (pure arithmetic on the clock values given). */
class HaLoopNapTest {

    private static final long LOOP_WAIT_MS = 2000;
    private final Cluster scheduled = withFailover(ledBy("pg1", 100, 1), "pg1", "pg2", at(0)); // due at Views.NOW

    @Test
    void aSwitchoverDueDuringTheNapEndsIt() {
        assertEquals(500, HaLoop.napUntilScheduled(scheduled, LOOP_WAIT_MS, Views.NOW - 600, Views.NOW - 500));
    }

    @Test
    void aCycleThatSawItNotYetDueLooksAgainAtOnceWhenItBecameDueMeanwhile() {
        // regression: the cycle decided 3 ms before the due time and ended after it; the loop then slept a
        // whole loop_wait and the scheduled switchover ran 2 s late (SwitchoverFaultsIT)
        assertEquals(0, HaLoop.napUntilScheduled(scheduled, LOOP_WAIT_MS, Views.NOW - 3, Views.NOW + 30));
    }

    @Test
    void aCycleThatSawItDueNapsNormally() {
        assertEquals(LOOP_WAIT_MS, HaLoop.napUntilScheduled(scheduled, LOOP_WAIT_MS, Views.NOW, Views.NOW + 30));
        assertEquals(LOOP_WAIT_MS, HaLoop.napUntilScheduled(withFailover(ledBy("pg1", 100, 1), "pg1", "pg2", null),
                LOOP_WAIT_MS, Views.NOW - 3, Views.NOW + 30));
    }
}
