package io.has.it.faults;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.it.Writer.Tick;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The fault checker's verdicts on hand-made histories of two writers (no database needed). */
class CheckerTest {

    private static final Instant T0 = Instant.parse("2026-11-21T10:00:00Z");

    private static Instant ms(long m) {
        return T0.plusMillis(m);
    }

    /** A tick started at {@code startMs}, committed on the given members after {@code +10 ms}. */
    private static Tick tick(long id, long startMs, String... members) {
        Map<String, Instant> c = new java.util.HashMap<>();
        for (String m : members) {
            c.put(m, ms(startMs + 10));
        }
        return new Tick(id, ms(startMs), Map.copyOf(c));
    }

    @Test
    void aCleanHandOverHasNoOverlap() {
        List<Tick> a = List.of(tick(1, 0, "pg1"), tick(2, 50, "pg1"), tick(3, 100), tick(4, 150, "pg2"),
                tick(5, 200, "pg2"));
        List<Tick> b = List.of(tick(101, 20, "pg1"), tick(102, 70), tick(103, 120), tick(104, 170, "pg2"));
        assertEquals(List.of(), Checker.overlaps(List.of(a, b), T0, ms(1000)));
    }

    @Test
    void jitterAtTheHandOverIsNotAnOverlap() {
        // writer b's last pg1 ack returns late (after pg2's first commit was sent): not a proof
        List<Tick> a = List.of(tick(1, 0, "pg1"), tick(2, 100, "pg2"), tick(3, 150, "pg2"));
        Tick slow = new Tick(101, ms(40), Map.of("pg1", ms(400)));
        List<Tick> b = List.of(tick(100, 10, "pg1"), slow, tick(102, 450, "pg2"));
        assertEquals(List.of(), Checker.overlaps(List.of(a, b), T0, ms(1000)));
    }

    @Test
    void interleavedCommitsAcrossWritersAreAnOverlap() {
        List<Tick> a = List.of(tick(1, 0, "pg1"), tick(2, 50, "pg1"), tick(3, 300, "pg1"), tick(4, 350, "pg1"));
        List<Tick> b = List.of(tick(101, 100, "pg2"), tick(102, 150, "pg2"), tick(103, 400, "pg2"));
        List<String> proofs = Checker.overlaps(List.of(a, b), T0, ms(1000));
        assertEquals(1, proofs.size(), proofs.toString());
        assertTrue(proofs.get(0).startsWith("pg1 and pg2 both accepted writes"), proofs.get(0));
    }

    @Test
    void oneTickOnTwoMembersIsAnOverlapAndOnlyTheEpochCounts() {
        List<Tick> a = List.of(tick(1, 0, "pg1"), tick(2, 50, "pg1", "pg2"), tick(3, 100, "pg2"));
        assertEquals(1, Checker.overlaps(List.of(a), T0, ms(1000)).stream().filter(p -> p.startsWith("tick 2"))
                .count());
        assertEquals(List.of(), Checker.overlaps(List.of(a), ms(100), ms(1000)));
    }

    @Test
    void acknowledgedWritesAreCountedPerWindow() {
        List<Tick> a = List.of(tick(1, 0, "pg1"), tick(2, 50), tick(3, 100, "pg1"), tick(4, 2000, "pg2"));
        List<Tick> b = List.of(tick(101, 60, "pg1"));
        assertEquals(Set.of(1L, 3L, 101L), Checker.acknowledgedBy(List.of(a, b), T0, ms(1000)));
        assertEquals(Set.of(3L, 4L), Checker.acknowledgedBy(List.of(a), ms(100), ms(5000)));
    }

    @Test
    void writeGapOfAHandOverAndOfARestartInPlace() {
        List<Tick> a = List.of(tick(1, 0, "pg1"), tick(2, 50, "pg1"), tick(3, 100), tick(4, 900, "pg2"));
        assertEquals(Duration.ofMillis(850), Checker.writeGap(List.of(a), ms(70), ms(5000), "pg1", "pg2"));
        List<Tick> r = List.of(tick(1, 0, "pg1"), tick(2, 50, "pg1"), tick(3, 1500, "pg1"), tick(4, 1550, "pg1"));
        assertEquals(Duration.ofMillis(1450), Checker.writeGap(List.of(r), ms(70), ms(5000), "pg1", "pg1"));
    }
}
