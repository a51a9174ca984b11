package io.has.watchdog;

import java.io.IOException;
import java.util.LinkedHashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link Watchdog} over a {@link WatchdogDevice}, with Patroni's rules: timeout {@code ttl − safety_margin}
 * ({@code ttl / 2} when the margin is −1); a timeout below {@code loop_wait} is unsafe and not used; a
 * device that keeps a longer timeout than asked is refused in {@code required} mode and accepted with a
 * warning otherwise; a ttl change is applied at the next {@link #activate}.
 */
public final class DeviceWatchdog implements Watchdog {

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final WatchdogMode mode;
    private final int safetyMargin;
    private final WatchdogDevice device;
    private volatile boolean active;
    private volatile int timeout;
    private volatile long keepalives;
    private volatile String lastError;
    private String openFailure; // why the device could not be opened last time; guarded by this

    /**
     * @param mode         AUTOMATIC or REQUIRED (OFF is {@link NullWatchdog})
     * @param safetyMargin seconds between the watchdog firing and the lock expiring; −1 = ttl / 2
     * @param device       the driver
     */
    public DeviceWatchdog(WatchdogMode mode, int safetyMargin, WatchdogDevice device) {
        this.mode = mode;
        this.safetyMargin = safetyMargin;
        this.device = device;
    }

    /** The timeout {@link #activate} asks for. */
    public int desiredTimeout(int ttl) {
        return safetyMargin == -1 ? ttl / 2 : ttl - safetyMargin;
    }

    @Override
    public synchronized boolean activate(int ttl, int loopWait) {
        int wanted = desiredTimeout(ttl);
        if (wanted < loopWait || wanted < 1) {
            return fail("watchdog timeout " + wanted + " s (ttl " + ttl + " − safety_margin " + safetyMargin
                    + ") is shorter than loop_wait " + loopWait + " s: the leader TTL is less than 2x loop_wait", true);
        }
        if (active && timeout == wanted) {
            return true;
        }
        if (openFailure != null && !device.isOpen() && !device.isUsable()) {
            // still missing or not writable: the leader asks every cycle, and opening would build the same
            // exception again; it is tried again once the device can be written
            return fail(openFailure, true);
        }
        try {
            boolean wasActive = active;
            try {
                device.open();
                openFailure = null;
            } catch (IOException | RuntimeException e) {
                openFailure = "could not activate the watchdog " + device.path() + ": " + e.getMessage();
                throw e;
            }
            int actual;
            if ((device.options() & WatchdogDevice.WDIOF_SETTIMEOUT) != 0) {
                device.setTimeout(wanted);
            }
            actual = device.getTimeout();
            if (actual < 0) {
                if (mode == WatchdogMode.REQUIRED) {
                    return fail(device.path() + " cannot report its timeout (no WDIOC_GETTIMEOUT)", true);
                }
                log.warn("{} cannot report its timeout; assuming it fires within {} s", device.path(), wanted);
                actual = wanted;
            }
            if (actual < loopWait) {
                return fail(device.path() + " keeps a timeout of " + actual + " s, shorter than loop_wait " + loopWait
                        + " s: unsafe", true);
            }
            if (actual > wanted) {
                if (mode == WatchdogMode.REQUIRED) {
                    return fail(device.path() + " keeps a timeout of " + actual + " s, longer than the " + wanted
                            + " s needed", true);
                }
                log.warn("{} keeps a timeout of {} s, longer than the {} s asked for", device.path(), actual, wanted);
            }
            device.keepalive();
            keepalives++;
            timeout = actual;
            active = true;
            lastError = null;
            log.info("watchdog {} {} with {} s timeout{}", device.path(), wasActive ? "updated" : "activated", actual,
                    device.identity().isEmpty() ? "" : " (" + device.identity() + ")");
            return true;
        } catch (IOException | RuntimeException e) {
            return fail("could not activate the watchdog " + device.path() + ": " + e.getMessage(), true);
        }
    }

    @Override
    public synchronized void keepalive() {
        if (!active) {
            return;
        }
        try {
            device.keepalive();
            keepalives++;
        } catch (IOException | RuntimeException e) {
            lastError = "keepalive on " + device.path() + " failed: " + e.getMessage();
            log.error(lastError);
        }
    }

    @Override
    public synchronized void disable() {
        if (!device.isOpen()) {
            active = false;
            return;
        }
        boolean magic = (device.options() & WatchdogDevice.WDIOF_MAGICCLOSE) != 0 || device.options() == 0;
        try {
            if (!magic) {
                device.keepalive();
                log.warn("{} does not support magic close: it stays armed and the system will reboot in {} s",
                        device.path(), timeout);
            }
            device.close(true);
            log.info("watchdog {} disabled", device.path());
        } catch (IOException | RuntimeException e) {
            lastError = "could not disarm " + device.path() + ": " + e.getMessage();
            log.error(lastError);
        } finally {
            active = false;
            timeout = 0;
        }
    }

    @Override
    public boolean isActive() {
        return active;
    }

    @Override
    public boolean isHealthy() {
        return mode != WatchdogMode.REQUIRED || active || device.isUsable();
    }

    @Override
    public WatchdogMode mode() {
        return mode;
    }

    @Override
    public Map<String, Object> status() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("mode", mode.name().toLowerCase(java.util.Locale.ROOT));
        m.put("device", device.path());
        m.put("active", active);
        m.put("timeout", active ? timeout : 0);
        m.put("healthy", isHealthy());
        m.put("keepalives", keepalives);
        if (lastError != null) {
            m.put("last_error", lastError);
        }
        return m;
    }

    /**
     * Records a failed activation, closes a half-opened device, and answers what activate returns. The
     * leader retries every cycle: the same reason again is logged at DEBUG, not every loop_wait.
     */
    private boolean fail(String why, boolean closeDevice) {
        boolean repeated = why.equals(lastError);
        lastError = why;
        if (repeated) {
            log.debug("{} (again)", why);
        } else if (mode == WatchdogMode.REQUIRED) {
            log.error("{} (watchdog required: not acting as leader)", why);
        } else {
            log.warn("{} (continuing without a watchdog)", why);
        }
        if (closeDevice && device.isOpen()) {
            try {
                device.close(true);
            } catch (IOException | RuntimeException e) {
                log.error("could not close {}: {}", device.path(), e.getMessage());
            }
        }
        active = false;
        timeout = 0;
        return mode != WatchdogMode.REQUIRED;
    }
}
