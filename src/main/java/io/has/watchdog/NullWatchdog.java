package io.has.watchdog;

import java.util.Map;

/** {@code watchdog.mode: off}: nothing to arm; the node is always healthy as far as the watchdog goes. */
public final class NullWatchdog implements Watchdog {

    /** The shared instance. */
    public static final NullWatchdog INSTANCE = new NullWatchdog();

    private NullWatchdog() {
    }

    @Override
    public boolean activate(int ttl, int loopWait) {
        return true;
    }

    @Override
    public void keepalive() {
    }

    @Override
    public void disable() {
    }

    @Override
    public boolean isActive() {
        return false;
    }

    @Override
    public boolean isHealthy() {
        return true;
    }

    @Override
    public WatchdogMode mode() {
        return WatchdogMode.OFF;
    }

    @Override
    public Map<String, Object> status() {
        return Map.of("mode", "off", "active", false, "timeout", 0, "healthy", true, "keepalives", 0L);
    }
}
