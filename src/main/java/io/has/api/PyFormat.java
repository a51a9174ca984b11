package io.has.api;

import java.math.BigDecimal;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeFormatterBuilder;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoField;

/**
 * Renders values the way Patroni's Python code prints them, so REST clients written against Patroni
 * parse HAS output unchanged. Pure functions; never throws on bad input (returns null instead).
 */
final class PyFormat {

    /** Accepts PostgreSQL text ({@code +00}), Python {@code str()} ({@code +00:00}) and {@code Z}. */
    private static final DateTimeFormatter LENIENT_SPACE = new DateTimeFormatterBuilder()
            .appendPattern("yyyy-MM-dd HH:mm:ss")
            .optionalStart().appendFraction(ChronoField.NANO_OF_SECOND, 0, 9, true).optionalEnd()
            .appendOffset("+HH:mm", "Z")
            .toFormatter();

    private static final DateTimeFormatter SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss");
    private static final DateTimeFormatter OFFSET = DateTimeFormatter.ofPattern("xxx");

    private PyFormat() {
    }

    /** Parses a timestamp in PostgreSQL text or Python {@code str()} form (space or {@code T}); null if unparsable. */
    static OffsetDateTime parseTimestamp(String text) {
        if (text == null || text.isBlank()) {
            return null;
        }
        String t = text.trim();
        if (t.length() > 10 && t.charAt(10) == 'T') {
            t = t.substring(0, 10) + ' ' + t.substring(11);
        }
        try {
            return OffsetDateTime.parse(t, LENIENT_SPACE);
        } catch (DateTimeParseException e) {
            return null;
        }
    }

    /** Python {@code str(datetime)}: {@code 2023-04-14 10:00:00.123456+00:00}, microseconds only when non-zero. */
    static String str(OffsetDateTime t) {
        return isoformat(t).replace('T', ' ');
    }

    /** Python {@code datetime.isoformat()}: {@code 2023-04-14T10:00:00.123456+00:00}. */
    static String isoformat(OffsetDateTime t) {
        StringBuilder b = new StringBuilder(SECONDS.format(t));
        int micros = t.getNano() / 1000;
        if (micros != 0) {
            // zero-padded by hand: String.format would run java.util.Formatter on every status document
            String digits = Integer.toString(micros);
            b.append('.').append("000000", digits.length(), 6).append(digits);
        }
        return b.append(OFFSET.format(t)).toString();
    }

    /**
     * Normalises a timestamp string to Python {@code str()} form; text that cannot be parsed is returned
     * unchanged so that no information is lost.
     */
    static String normaliseTimestamp(String text) {
        OffsetDateTime t = parseTimestamp(text);
        return t == null ? text : str(t);
    }

    /** Epoch seconds with microsecond precision as Python prints a float ({@code 1795288179.824793}); 0 if null. */
    static String epochSeconds(OffsetDateTime t) {
        if (t == null) {
            return "0";
        }
        BigDecimal s = BigDecimal.valueOf(t.toEpochSecond())
                .add(BigDecimal.valueOf(t.getNano() / 1000, 6)).stripTrailingZeros();
        String plain = s.toPlainString();
        return plain.contains(".") ? plain : plain + ".0";
    }

    /** Patroni's {@code patroni_version} sample: each dotted part zero-padded to 2 digits ({@code 3.0.2} → {@code 030002}). */
    static String paddedSemver(String version) {
        if (version == null || version.isEmpty()) {
            return "0";
        }
        StringBuilder b = new StringBuilder();
        for (String part : version.split("\\.")) {
            b.append(part.length() >= 2 ? part : "0".repeat(2 - part.length()) + part);
        }
        return b.toString();
    }
}
