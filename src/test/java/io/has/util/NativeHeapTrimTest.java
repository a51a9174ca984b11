package io.has.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

class NativeHeapTrimTest {

    @Test
    void trimsAtMostOncePerInterval() {
        AtomicInteger calls = new AtomicInteger();
        NativeHeapTrim t = new NativeHeapTrim(60_000, pad -> calls.incrementAndGet(), 0);
        assertFalse(t.maybeTrim(59_999));
        assertTrue(t.maybeTrim(60_000));
        assertFalse(t.maybeTrim(100_000));
        assertTrue(t.maybeTrim(120_000));
        assertEquals(2, calls.get());
    }

    @Test
    void zeroTurnsItOff() {
        AtomicInteger calls = new AtomicInteger();
        NativeHeapTrim t = new NativeHeapTrim(0, pad -> calls.incrementAndGet(), 0);
        assertFalse(t.maybeTrim(Long.MAX_VALUE / 2));
        assertEquals(0, calls.get());
    }

    @Test
    void aMissingCallStopsTrimming() {
        AtomicInteger calls = new AtomicInteger();
        NativeHeapTrim t = new NativeHeapTrim(1, pad -> {
            calls.incrementAndGet();
            throw new UnsatisfiedLinkError("malloc_trim");
        }, 0);
        assertFalse(t.maybeTrim(10));
        assertFalse(t.maybeTrim(20));
        assertEquals(1, calls.get());
    }

    @Test
    void theRealCallWorksOnThisLibc() {
        NativeHeapTrim t = NativeHeapTrim.fromSystemProperties(0);
        assertTrue(t.maybeTrim(3_600_000));
    }
}
