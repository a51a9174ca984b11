package io.has.util;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the C heap's free pages back to the kernel once a minute ({@code malloc_trim(3)}). The JVM's own
 * native allocations (the JIT's arenas, class loading, start-up work) leave 1–2 MiB of freed memory that
 * glibc keeps mapped for reuse, and an idle daemon never reuses it. Java 17's
 * {@code -XX:TrimNativeHeapInterval} does the same but only from 17.0.9 on: an older JVM refuses to start
 * with it, so the daemon does it itself.
 *
 * <p>The interval is {@code -Dhas.native_heap_trim_seconds} (default 60; 0 turns it off). Where libc has
 * no {@code malloc_trim} (musl), the first attempt fails, is logged once, and trimming stops.
 */
public final class NativeHeapTrim {

    /** The libc call. */
    public interface MallocTrim {
        int malloc_trim(long pad);
    }

    /** System property: seconds between trims, 0 for none. */
    public static final String INTERVAL_PROPERTY = "has.native_heap_trim_seconds";
    static final long DEFAULT_INTERVAL_SEC = 60;

    private static final Logger log = LoggerFactory.getLogger(NativeHeapTrim.class);

    private final long intervalMs;
    private MallocTrim libc;
    private boolean failed;
    private long lastMs;

    NativeHeapTrim(long intervalMs, MallocTrim libc, long nowMs) {
        this.intervalMs = intervalMs;
        this.libc = libc;
        this.lastMs = nowMs;
    }

    /** A trimmer with the configured interval; libc is bound at the first trim, not at start-up. */
    public static NativeHeapTrim fromSystemProperties(long nowMs) {
        String v = System.getProperty(INTERVAL_PROPERTY);
        long sec = DEFAULT_INTERVAL_SEC;
        if (v != null) {
            try {
                sec = Long.parseLong(v.strip());
            } catch (NumberFormatException e) {
                log.warn("-D{}={} is not a number of seconds; trimming every {} s", INTERVAL_PROPERTY, v,
                        DEFAULT_INTERVAL_SEC);
            }
        }
        return new NativeHeapTrim(Math.max(0, sec) * 1000L, null, nowMs);
    }

    /** Trims when the interval has passed since the last trim; returns whether it did. */
    public boolean maybeTrim(long nowMs) {
        if (intervalMs <= 0 || failed || nowMs - lastMs < intervalMs) {
            return false;
        }
        lastMs = nowMs;
        try {
            if (libc == null) {
                libc = Libc.bind(MallocTrim.class);
            }
            libc.malloc_trim(0);
            return true;
        } catch (LinkageError | RuntimeException e) {
            failed = true;
            log.info("not trimming the native heap: malloc_trim is not available here ({})", e.toString());
            return false;
        }
    }
}
