package io.has.watchdog;

import io.has.config.HasConfig;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Builds the {@link Watchdog} from {@code watchdog: {mode, device, safety_margin, driver}}. Defaults as in
 * Patroni: mode automatic, device /dev/watchdog, safety_margin 5, driver {@code default} (Linux ioctls);
 * driver {@code testing} is Patroni's FIFO protocol; an unknown driver or mode means no watchdog (with a
 * warning) — except that an unknown driver in {@code required} mode yields a watchdog that is never
 * healthy, so the node never leads.
 */
public final class WatchdogFactory {

    private static final Logger log = LoggerFactory.getLogger(WatchdogFactory.class);

    private WatchdogFactory() {
    }

    /** From the {@code watchdog} key of the merged YAML. */
    public static Watchdog create(HasConfig config) {
        Object section = config.raw() == null ? null : config.raw().get("watchdog");
        return create(section instanceof Map<?, ?> m ? m : Map.of());
    }

    /** From a {@code watchdog} mapping (possibly empty). */
    public static Watchdog create(Map<?, ?> section) {
        Object rawMode = section.get("mode");
        WatchdogMode mode = WatchdogMode.parse(rawMode);
        if (mode == null) {
            log.warn("unknown watchdog.mode {}: watchdog off", rawMode);
            return NullWatchdog.INSTANCE;
        }
        if (mode == WatchdogMode.OFF) {
            return NullWatchdog.INSTANCE;
        }
        String device = section.get("device") == null ? "/dev/watchdog" : section.get("device").toString();
        int margin = 5;
        if (section.get("safety_margin") != null) {
            try {
                margin = Integer.parseInt(section.get("safety_margin").toString().trim());
            } catch (NumberFormatException e) {
                log.warn("watchdog.safety_margin {} is not a number: using 5", section.get("safety_margin"));
            }
        }
        String driver = section.get("driver") == null ? "default" : section.get("driver").toString();
        WatchdogDevice dev;
        switch (driver) {
            case "default":
                dev = new LinuxWatchdogDevice(device);
                break;
            case "testing":
                dev = new TestingWatchdogDevice(device);
                break;
            default:
                log.warn("unknown watchdog.driver {}: no watchdog", driver);
                return mode == WatchdogMode.REQUIRED ? new DeviceWatchdog(mode, margin, new MissingDevice(driver))
                        : NullWatchdog.INSTANCE;
        }
        return new DeviceWatchdog(mode, margin, dev);
    }
}
