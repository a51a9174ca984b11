package io.has.it.faults;

import io.has.it.ClusterHarness;
import java.time.Duration;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.condition.EnabledIfSystemProperty;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A longer randomised run, off by default: {@code mvn verify -Dit.test=RandomFaultsIT
 * -Dhas.faults.random=true} runs it (tag {@code slow}: {@code -Dhas.excludedGroups=slow} skips it):
 * {@code -Dhas.faults.steps} (default 20) random steps — switchover to any or a named member, loss
 * of the leader node and rejoin, postmaster killed in place — on one cluster with both writers and
 * every check after each step. The seed is printed; {@code -Dhas.faults.seed} replays a run.
 */
@Tag("slow")
@EnabledIfSystemProperty(named = "has.faults.random", matches = "true")
@Timeout(value = 60, unit = TimeUnit.MINUTES)
class RandomFaultsIT {

    @RegisterExtension
    static final FaultGuard GUARD = new FaultGuard();

    @Test
    void randomFaults() throws Exception {
        long seed = Long.getLong("has.faults.seed", System.nanoTime());
        int steps = Integer.getInteger("has.faults.steps", 20);
        Random random = new Random(seed);
        FaultCluster fc = GUARD.register(FaultCluster.start(ClusterHarness.options().scope("random").members(3)
                .dcsTiming(10, 2, 3), "RandomFaultsIT"));
        fc.log("seed " + seed + " (-Dhas.faults.seed=" + seed + " replays it), " + steps + " steps");
        Duration failover = Duration.ofSeconds(90);
        try {
            for (int i = 1; i <= steps; i++) {
                int kind = random.nextInt(4);
                fc.log("step " + i + "/" + steps + ": " + List.of("switchover (any)", "switchover (named)",
                        "node loss", "postmaster killed").get(kind));
                switch (kind) {
                    case 0 -> FaultSteps.switchover(fc, "random switchover (any)", null, null);
                    case 1 -> {
                        String leader = fc.awaitConverged(FaultCluster.CONVERGE);
                        List<String> others = fc.harness().names().stream().filter(n -> !n.equals(leader)).toList();
                        FaultSteps.switchover(fc, "random switchover (named)", others.get(random.nextInt(others.size())),
                                null);
                    }
                    case 2 -> FaultSteps.nodeLoss(fc, failover);
                    default -> FaultSteps.postmasterKilledInPlace(fc, failover);
                }
            }
        } catch (Exception | Error e) {
            fc.markFailed();
            throw e;
        }
    }
}
