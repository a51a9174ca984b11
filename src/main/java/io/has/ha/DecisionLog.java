package io.has.ha;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The last decisions of this node, newest last. A decision equal to the previous one is not added
 * again: its repeat counter goes up instead ("no action, I am the leader" every cycle is one entry).
 */
public final class DecisionLog {

    /**
     * One entry: when it was first decided, what, why, how many cycles repeated it, and the facts of
     * the view that drove it (as first seen).
     */
    public record Entry(long firstMs, long lastMs, String kind, String sentence, int repeats,
            Map<String, Object> facts) {
        public Entry {
            facts = facts == null ? Map.of() : facts;
        }

        public Entry(long firstMs, long lastMs, String kind, String sentence, int repeats) {
            this(firstMs, lastMs, kind, sentence, repeats, Map.of());
        }
    }

    private final int capacity;
    private final Deque<Entry> entries = new ArrayDeque<>(); // guarded by this

    public DecisionLog(int capacity) {
        this.capacity = capacity;
    }

    /**
     * Records a decision (or a failed attempt, with its own kind and sentence).
     *
     * @return true when it differs from the previous one (the caller logs it), false for a repeat
     */
    public synchronized boolean record(long nowMs, String kind, String sentence) {
        return record(nowMs, kind, sentence, Map.of());
    }

    /** Records a decision with the facts that drove it. */
    public boolean record(long nowMs, String kind, String sentence, Map<String, Object> facts) {
        return record(nowMs, kind, sentence, () -> facts);
    }

    /**
     * Records a decision with the facts that drove it; {@code facts} is asked only for a new entry (a
     * repeated decision keeps the facts of its first time).
     */
    public synchronized boolean record(long nowMs, String kind, String sentence, Supplier<Map<String, Object>> facts) {
        Entry last = entries.peekLast();
        if (last != null && last.kind().equals(kind) && last.sentence().equals(sentence)) {
            entries.pollLast();
            entries.addLast(new Entry(last.firstMs(), nowMs, last.kind(), last.sentence(), last.repeats() + 1,
                    last.facts()));
            return false;
        }
        if (entries.size() == capacity) {
            entries.pollFirst();
        }
        entries.addLast(new Entry(nowMs, nowMs, kind, sentence, 0, facts.get()));
        return true;
    }

    /** The repeat count of the newest entry. */
    public synchronized int lastRepeats() {
        Entry last = entries.peekLast();
        return last == null ? 0 : last.repeats();
    }

    public synchronized List<Entry> entries() {
        return new ArrayList<>(entries);
    }
}
