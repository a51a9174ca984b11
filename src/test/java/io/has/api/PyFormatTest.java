package io.has.api;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.time.OffsetDateTime;
import org.junit.jupiter.api.Test;

class PyFormatTest {

    @Test
    void timestampsArePrintedAsPythonStrAndIsoformat() {
        OffsetDateTime t = PyFormat.parseTimestamp("2026-11-21 18:59:37.815812+00");
        assertEquals("2026-11-21 18:59:37.815812+00:00", PyFormat.str(t));
        assertEquals("2026-11-21T18:59:37.815812+00:00", PyFormat.isoformat(t));
        assertEquals("2026-11-21 18:59:37+05:30", PyFormat.normaliseTimestamp("2026-11-21T18:59:37+05:30"));
        assertEquals("2026-11-21 18:59:37.800000+00:00", PyFormat.normaliseTimestamp("2026-11-21 18:59:37.8Z"));
        assertEquals("not a time", PyFormat.normaliseTimestamp("not a time"));
        assertEquals("2026-11-21 18:59:37.000042+00:00", PyFormat.normaliseTimestamp("2026-11-21 18:59:37.000042Z"));
        assertNull(PyFormat.parseTimestamp(null));
    }

    @Test
    void epochSecondsLookLikeAPythonFloat() {
        assertEquals("1795287577.815812",
                PyFormat.epochSeconds(PyFormat.parseTimestamp("2026-11-21 18:59:37.815812+00:00")));
        assertEquals("1795287577.0", PyFormat.epochSeconds(PyFormat.parseTimestamp("2026-11-21 18:59:37+00:00")));
        assertEquals("0", PyFormat.epochSeconds(null));
    }

    @Test
    void versionIsZeroPaddedPerPart() {
        assertEquals("030002", PyFormat.paddedSemver("3.0.2"));
        assertEquals("000100", PyFormat.paddedSemver("0.1.0"));
        assertEquals("041104", PyFormat.paddedSemver("4.11.4"));
    }

    @Test
    void prometheusLabelValuesAreEscaped() {
        assertEquals("a\\\"b\\\\c\\n", MetricsWriter.escape("a\"b\\c\n"));
    }
}
