package io.has.watchdog;

import java.util.Locale;

/** {@code watchdog.mode}, with Patroni's aliases. */
public enum WatchdogMode {
    /** No watchdog. */
    OFF,
    /** Use the device when it can be opened and armed; lead without it otherwise. */
    AUTOMATIC,
    /** Never lead without an armed device. */
    REQUIRED;

    /**
     * Parses a YAML value: {@code off|disable|disabled|false}, {@code automatic|auto|true}, {@code required|require};
     * null → AUTOMATIC (Patroni's default); anything else → null (the caller warns and uses OFF).
     */
    public static WatchdogMode parse(Object value) {
        if (value == null) {
            return AUTOMATIC;
        }
        if (value instanceof Boolean b) {
            return b ? AUTOMATIC : OFF;
        }
        switch (value.toString().trim().toLowerCase(Locale.ROOT)) {
            case "off":
            case "disable":
            case "disabled":
            case "false":
                return OFF;
            case "automatic":
            case "auto":
            case "true":
                return AUTOMATIC;
            case "required":
            case "require":
                return REQUIRED;
            default:
                return null;
        }
    }
}
