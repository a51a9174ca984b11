package io.has.watchdog;

import java.util.Map;

/**
 * The leader's dead-man switch: armed while this node leads, fed every HA cycle, disarmed with the magic
 * close on demotion and clean shutdown. If the daemon hangs (GC pause, SIGSTOP, swap storm) the device
 * reboots the machine before the leader lock can pass to another node, because its timeout
 * ({@code ttl − safety_margin}) is shorter than the lock's life.
 *
 * <p>Implementations never throw; failures are logged and reflected in {@link #isActive()} and
 * {@link #isHealthy()}. Thread-safe.
 */
public interface Watchdog {

    /**
     * Arms the device with timeout {@code ttl − safety_margin} (or adjusts it when ttl changed) and feeds
     * it once. Idempotent: calling it every cycle while leading is fine.
     *
     * @param ttl      leader ttl in seconds
     * @param loopWait HA loop period in seconds
     * @return true when the caller may act as leader: the device is armed, or the mode is
     *         {@code automatic} (best effort) or {@code off}; false only in {@code required} mode when
     *         it could not be armed safely
     */
    boolean activate(int ttl, int loopWait);

    /** Feeds the device when armed (WDIOC_KEEPALIVE, or a write where the device has no ioctls). */
    void keepalive();

    /** Disarms with the magic close ({@code V}) when armed; does nothing otherwise. */
    void disable();

    /** Whether the device is open and armed. */
    boolean isActive();

    /**
     * Whether this node may take the leader lock as far as the watchdog is concerned: always true unless
     * the mode is {@code required} and the device is neither armed nor usable (missing, not writable).
     * Patroni reports the opposite as {@code watchdog_failed} in {@code /patroni}.
     */
    boolean isHealthy();

    /** The configured mode. */
    WatchdogMode mode();

    /**
     * State for {@code /patroni} and {@code /metrics}: {@code mode}, {@code device}, {@code active},
     * {@code timeout} (armed timeout in s, or 0), {@code healthy}, {@code keepalives} (count),
     * {@code last_error} (or absent).
     */
    Map<String, Object> status();
}
