package io.has.it;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The checker's verdicts on hand-made histories (no database needed). */
class WriterTest {

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    private static Writer.Tick tick(long id, Map<String, Instant> committed) {
        return new Writer.Tick(id, T0.plusMillis(50 * id), committed);
    }

    @Test
    void aTickWithTwoCommitsIsASplitBrain() {
        List<Writer.Tick> history = List.of(
                tick(1, Map.of("pg1", T0.plusMillis(60))),
                tick(2, Map.of()),
                tick(3, Map.of("pg1", T0.plusMillis(160), "pg2", T0.plusMillis(170))),
                tick(4, Map.of("pg2", T0.plusMillis(210))));
        assertEquals(List.of(history.get(2)), Writer.ticksWithTwoWritable(history));
        assertEquals(List.of(), Writer.ticksWithTwoWritable(List.of(history.get(0), history.get(3))));
    }

    @Test
    void onlyWritesAcknowledgedBeforeTheLimitMustSurvive() {
        List<Writer.Tick> history = List.of(
                tick(1, Map.of("pg1", T0.plusMillis(60))),
                tick(2, Map.of()),                              // nobody acknowledged: may be lost
                tick(3, Map.of("pg1", T0.plusMillis(160))),
                tick(4, Map.of("pg1", T0.plusMillis(1_500))));  // too close to the crash
        assertEquals(Set.of(1L, 3L), Writer.acknowledgedBefore(history, T0.plusSeconds(1)));
    }
}
