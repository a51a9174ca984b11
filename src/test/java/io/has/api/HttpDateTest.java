package io.has.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertSame;

import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.junit.jupiter.api.Test;

class HttpDateTest {

    private static final DateTimeFormatter ORACLE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    @Test
    void printsTheImfFixdateOfRfc9110() {
        assertEquals("Sun, 06 Nov 1994 08:49:37 GMT", HttpDate.format(784_111_777L)); // the RFC's own example
        assertEquals("Thu, 01 Jan 1970 00:00:00 GMT", HttpDate.format(0));
        assertEquals("Wed, 31 Dec 1969 23:59:59 GMT", HttpDate.format(-1));
        assertEquals("Mon, 29 Feb 2016 23:59:59 GMT", HttpDate.format(1_456_790_399L));
    }

    @Test
    void agreesWithTheJdksLocalizedFormatterOnEveryDayOfAYearAndEveryMonth() {
        long start = 1_767_225_600L; // 2026-01-01T00:00:00Z
        for (long s = start; s < start + 366 * 86_400L; s += 86_400L + 3_671L) {
            assertEquals(ORACLE.format(Instant.ofEpochSecond(s)), HttpDate.format(s), "epoch second " + s);
        }
    }

    @Test
    void keepsTheTextOfTheCurrentSecondAndRollsOverAtTheNext() {
        long ms = 1_795_287_610_000L;
        String first = HttpDate.at(ms);
        assertSame(first, HttpDate.at(ms + 999), "the same second: the same text, not formatted again");
        assertEquals(ORACLE.format(Instant.ofEpochMilli(ms)), first);
        assertEquals(ORACLE.format(Instant.ofEpochMilli(ms + 1000)), HttpDate.at(ms + 1000));
        assertEquals(ORACLE.format(Instant.ofEpochMilli(ms - 1)), HttpDate.at(ms - 1), "a clock stepping back");
    }
}
