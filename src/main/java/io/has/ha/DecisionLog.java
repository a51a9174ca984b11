package io.has.ha;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Deque;
import java.util.List;

/**
 * The last decisions of this node, newest last. A decision equal to the previous one is not added
 * again: its repeat counter goes up instead ("no action, I am the leader" every cycle is one entry).
 */
public final class DecisionLog {

    /** One entry: when it was first decided, what, why, and how many cycles repeated it. */
    public record Entry(long firstMs, long lastMs, String kind, String sentence, int repeats) {
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
        Entry last = entries.peekLast();
        if (last != null && last.kind().equals(kind) && last.sentence().equals(sentence)) {
            entries.pollLast();
            entries.addLast(new Entry(last.firstMs(), nowMs, last.kind(), last.sentence(), last.repeats() + 1));
            return false;
        }
        if (entries.size() == capacity) {
            entries.pollFirst();
        }
        entries.addLast(new Entry(nowMs, nowMs, kind, sentence, 0));
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
