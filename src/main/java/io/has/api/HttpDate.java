package io.has.api;

import java.time.LocalDateTime;
import java.time.ZoneOffset;

/**
 * The {@code Date} header of every REST response (RFC 9110 IMF-fixdate, e.g.
 * {@code Sun, 06 Nov 1994 08:49:37 GMT}), written here instead of by Undertow.
 *
 * <p>Undertow formats it with {@code SimpleDateFormat}, which loads date-format symbols, number formats
 * and the time-zone names of the JDK's locale services (about 30 classes and their data, resident for the
 * daemon's life) to print an English day and month. This prints them from two arrays and keeps the text
 * of the current second, so health checks polled thousands of times a second format it once a second.
 * Thread-safe.
 */
final class HttpDate {

    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] MONTHS = {"Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct",
            "Nov", "Dec"};

    private record Second(long epochSecond, String text) {
    }

    private static volatile Second last = new Second(Long.MIN_VALUE, "");

    private HttpDate() {
    }

    /** The header's value for the wall-clock time {@code epochMs}. */
    static String at(long epochMs) {
        long second = Math.floorDiv(epochMs, 1000L);
        Second s = last;
        if (s.epochSecond() != second) {
            s = new Second(second, format(second));
            last = s;
        }
        return s.text();
    }

    static String format(long epochSecond) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(epochSecond, 0, ZoneOffset.UTC);
        StringBuilder b = new StringBuilder(29);
        b.append(DAYS[t.getDayOfWeek().ordinal()]).append(", ");
        twoDigits(b, t.getDayOfMonth()).append(' ').append(MONTHS[t.getMonthValue() - 1]).append(' ');
        b.append(t.getYear()).append(' ');
        twoDigits(b, t.getHour()).append(':');
        twoDigits(b, t.getMinute()).append(':');
        return twoDigits(b, t.getSecond()).append(" GMT").toString();
    }

    private static StringBuilder twoDigits(StringBuilder b, int v) {
        return b.append((char) ('0' + v / 10)).append((char) ('0' + v % 10));
    }
}
