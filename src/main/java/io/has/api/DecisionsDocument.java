package io.has.api;

import io.has.ha.DecisionLog;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code GET /decisions} (a HAS extension): this node's decision log, oldest first, as a JSON list of
 * {@code {"time", "last_time", "kind", "sentence", "repeats"}}. {@code time} is when the decision was first
 * taken, {@code last_time} its latest repeat, both ISO 8601 in UTC.
 */
public final class DecisionsDocument {

    private static final DateTimeFormatter ISO = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSxxx");

    private DecisionsDocument() {
    }

    public static List<Map<String, Object>> build(List<DecisionLog.Entry> entries) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (DecisionLog.Entry e : entries) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("time", format(e.firstMs()));
            m.put("last_time", format(e.lastMs()));
            m.put("kind", e.kind());
            m.put("sentence", e.sentence());
            m.put("repeats", e.repeats());
            if (!e.facts().isEmpty()) {
                m.put("facts", e.facts());
            }
            out.add(m);
        }
        return out;
    }

    static String format(long epochMs) {
        return ISO.format(OffsetDateTime.ofInstant(Instant.ofEpochMilli(epochMs), ZoneOffset.UTC));
    }
}
