package io.has.it.faults;

import io.has.it.Writer.Tick;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

/**
 * The fault suite's verdicts, as pure functions over the writers' histories (unit-tested in
 * {@code CheckerTest} on hand-made histories).
 *
 * <p><b>Overlap.</b> Every writer tick tries the same insert on every member. Within one epoch of a
 * scenario (a stretch in which leadership changes at most once) a correct cluster's commits, in
 * real time, are all on one member and then all on another ({@code X* Y*}). A member's <em>proven
 * window</em> in the epoch is {@code [acknowledgement of its first commit, start of the tick of its
 * last commit]}: it certainly committed something at or before the first instant and something at
 * or after the second. Two members' proven windows intersect only if each committed something
 * after the other did, which {@code X* Y*} forbids; so an intersection (or one tick committed on two
 * members) is a proof of two writable members, never a measurement artefact.
 */
final class Checker {

    /** One acknowledged insert: which member, which id, when its tick started, when it returned. */
    record Ack(String member, long id, Instant sent, Instant acked) {
    }

    /** A member's proven writable window in an epoch and the number of writes it acknowledged. */
    record Window(String member, Instant firstAcked, Instant lastSent, int acks) {
    }

    private Checker() {
    }

    /** The acknowledgements of ticks that started in {@code [from, to)}, over every writer. */
    static List<Ack> acks(List<List<Tick>> writers, Instant from, Instant to) {
        List<Ack> out = new ArrayList<>();
        for (List<Tick> ticks : writers) {
            for (Tick t : ticks) {
                if (t.started().isBefore(from) || !t.started().isBefore(to)) {
                    continue;
                }
                t.committed().forEach((m, at) -> out.add(new Ack(m, t.id(), t.started(), at)));
            }
        }
        out.sort((a, b) -> a.acked().compareTo(b.acked()));
        return out;
    }

    /** Each member's proven window among {@code acks}, in order of first acknowledgement. */
    static Map<String, Window> windows(List<Ack> acks) {
        Map<String, Window> w = new LinkedHashMap<>();
        for (Ack a : acks) {
            w.merge(a.member(), new Window(a.member(), a.acked(), a.sent(), 1), (x, y) -> new Window(x.member(),
                    min(x.firstAcked(), y.firstAcked()), max(x.lastSent(), y.lastSent()), x.acks() + y.acks()));
        }
        return w;
    }

    /**
     * Proofs that two members accepted writes in overlapping windows: ticks committed on two
     * members, and intersecting proven windows. Empty when there is none.
     */
    static List<String> overlaps(List<List<Tick>> writers, Instant from, Instant to) {
        List<String> proofs = new ArrayList<>();
        for (List<Tick> ticks : writers) {
            for (Tick t : ticks) {
                if (!t.started().isBefore(from) && t.started().isBefore(to) && t.committed().size() > 1) {
                    proofs.add("tick " + t.id() + " started " + t.started() + " committed on " + t.committed());
                }
            }
        }
        List<Window> ws = List.copyOf(windows(acks(writers, from, to)).values());
        for (int i = 0; i < ws.size(); i++) {
            for (int j = i + 1; j < ws.size(); j++) {
                Window x = ws.get(i);
                Window y = ws.get(j);
                Instant lo = max(x.firstAcked(), y.firstAcked());
                Instant hi = min(x.lastSent(), y.lastSent());
                if (lo.isBefore(hi)) {
                    proofs.add(x.member() + " and " + y.member() + " both accepted writes during " + lo + " .. " + hi
                            + " (" + Duration.between(lo, hi).toMillis() + " ms; " + x + ", " + y + ")");
                }
            }
        }
        return proofs;
    }

    /** Ids of ticks started at or after {@code from} that some member acknowledged at or before {@code limit}. */
    static Set<Long> acknowledgedBy(List<List<Tick>> writers, Instant from, Instant limit) {
        Set<Long> ids = new TreeSet<>();
        for (List<Tick> ticks : writers) {
            for (Tick t : ticks) {
                if (!t.started().isBefore(from) && t.committed().values().stream().anyMatch(at -> !at.isAfter(limit))) {
                    ids.add(t.id());
                }
            }
        }
        return ids;
    }

    /**
     * The write gap around a leadership change at {@code fault}: from the last acknowledgement by
     * {@code from} before the fault's effects to the first acknowledgement by {@code to} after it;
     * null when one side is missing. With {@code from == to} (a restart in place), the gap is the
     * longest pause between two acknowledgements after {@code fault}.
     */
    static Duration writeGap(List<List<Tick>> writers, Instant fault, Instant end, String from, String to) {
        List<Ack> all = acks(writers, Instant.EPOCH, end);
        if (from.equals(to)) {
            Duration longest = null;
            Instant prev = null;
            for (Ack a : all) {
                if (!a.member().equals(to)) {
                    continue;
                }
                if (prev != null && !a.acked().isBefore(fault)) {
                    Duration d = Duration.between(prev, a.acked());
                    if (longest == null || d.compareTo(longest) > 0) {
                        longest = d;
                    }
                }
                prev = a.acked();
            }
            return longest;
        }
        Instant firstNew = all.stream().filter(a -> a.member().equals(to) && !a.sent().isBefore(fault))
                .map(Ack::acked).findFirst().orElse(null);
        if (firstNew == null) {
            return null;
        }
        Instant lastOld = all.stream().filter(a -> a.member().equals(from) && a.acked().isBefore(firstNew))
                .map(Ack::acked).reduce((a, b) -> b).orElse(null);
        return lastOld == null ? null : Duration.between(lastOld, firstNew);
    }

    private static Instant min(Instant a, Instant b) {
        return a.isBefore(b) ? a : b;
    }

    private static Instant max(Instant a, Instant b) {
        return a.isAfter(b) ? a : b;
    }
}
