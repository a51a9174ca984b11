package io.has.config;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Typed, path-aware access to a YAML tree. Every accessor records a {@link ConfigError} naming the full
 * key path on a wrong type and returns a fallback instead of throwing, so all errors are collected in
 * one pass. Values of secret keys ({@link Secrets#isSecretKey}) are never echoed in messages.
 */
final class TreeReader {

    private final List<ConfigError> errors;
    private final List<String> warnings;

    TreeReader(List<ConfigError> errors, List<String> warnings) {
        this.errors = errors;
        this.warnings = warnings;
    }

    static String join(String parent, String key) {
        return parent == null || parent.isEmpty() ? key : parent + "." + key;
    }

    void error(String path, String message) {
        errors.add(new ConfigError(path, message));
    }

    void warn(String message) {
        warnings.add(message);
    }

    List<String> warnings() {
        return warnings;
    }

    boolean hasErrors() {
        return !errors.isEmpty();
    }

    /**
     * How a wrong value is shown in a message: scalars quoted, containers by kind, secrets by kind only.
     */
    static String shown(Object v, String path) {
        String last = path.substring(path.lastIndexOf('.') + 1);
        int bracket = last.indexOf('[');
        if (bracket >= 0) {
            last = last.substring(0, bracket);
        }
        if (v instanceof Map<?, ?>) {
            return "a map";
        }
        if (v instanceof List<?>) {
            return "a list";
        }
        if (Secrets.isSecretKey(last)) {
            return v instanceof Number ? "a number" : v instanceof Boolean ? "a boolean" : "another value";
        }
        return "'" + v + "'";
    }

    /** A scalar as a string (numbers and booleans are converted); null when absent or wrong. */
    String string(Map<String, Object> m, String parent, String key) {
        return asString(m.get(key), join(parent, key));
    }

    String asString(Object v, String path) {
        if (v == null) {
            return null;
        }
        if (v instanceof String s) {
            return s;
        }
        if (v instanceof Number || v instanceof Boolean) {
            return String.valueOf(v);
        }
        error(path, "expected a string, got " + shown(v, path));
        return null;
    }

    /** A non-blank string that must be present; records "missing" with {@code what} otherwise. */
    String required(Map<String, Object> m, String parent, String key, String what) {
        String path = join(parent, key);
        Object v = m.get(key);
        String s = asString(v, path);
        if (v == null) {
            error(path, "missing required key (" + what + ")");
        } else if (s != null && s.isBlank()) {
            error(path, "must not be empty (" + what + ")");
            return null;
        }
        return s;
    }

    /** An integer {@code >= min}; {@code def} when absent, and on error (recorded). */
    int integer(Map<String, Object> m, String parent, String key, int def, int min) {
        long v = longValue(m, parent, key, def, min);
        if (v > Integer.MAX_VALUE) {
            error(join(parent, key), "must be at most " + Integer.MAX_VALUE + ", got " + v);
            return def;
        }
        return (int) v;
    }

    /** A long {@code >= min}; {@code def} when absent, and on error (recorded). */
    long longValue(Map<String, Object> m, String parent, String key, long def, long min) {
        String path = join(parent, key);
        Object v = m.get(key);
        if (v == null) {
            return def;
        }
        Long parsed = toLong(v);
        if (parsed == null) {
            error(path, "expected an integer, got " + shown(v, path));
            return def;
        }
        if (parsed < min) {
            error(path, "must be at least " + min + ", got " + parsed);
            return def;
        }
        return parsed;
    }

    /** Integral numbers and integer strings; null for anything else. */
    static Long toLong(Object v) {
        if (v instanceof Integer || v instanceof Long || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < 64 ? b.longValue() : null;
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.trim());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    /** A boolean (also "on"/"off", "yes"/"no", "1"/"0" as strings); {@code def} when absent or wrong. */
    boolean bool(Map<String, Object> m, String parent, String key, boolean def) {
        String path = join(parent, key);
        Object v = m.get(key);
        if (v == null) {
            return def;
        }
        Boolean b = toBool(v);
        if (b == null) {
            error(path, "expected a boolean (true/false), got " + shown(v, path));
            return def;
        }
        return b;
    }

    static Boolean toBool(Object v) {
        if (v instanceof Boolean b) {
            return b;
        }
        if (v instanceof String || v instanceof Integer || v instanceof Long) {
            switch (String.valueOf(v).trim().toLowerCase(Locale.ROOT)) {
                case "true", "on", "yes", "y", "1":
                    return true;
                case "false", "off", "no", "n", "0":
                    return false;
                default:
                    return null;
            }
        }
        return null;
    }

    /** A map; an empty map when absent, and on error (recorded). */
    @SuppressWarnings("unchecked")
    Map<String, Object> map(Map<String, Object> m, String parent, String key) {
        String path = join(parent, key);
        Object v = m.get(key);
        if (v == null) {
            return new LinkedHashMap<>();
        }
        if (v instanceof Map<?, ?> mm) {
            return (Map<String, Object>) mm;
        }
        error(path, "expected a map of keys, got " + shown(v, path));
        return new LinkedHashMap<>();
    }

    /** A list; null when absent, an empty list on error (recorded). */
    @SuppressWarnings("unchecked")
    List<Object> list(Map<String, Object> m, String parent, String key) {
        String path = join(parent, key);
        Object v = m.get(key);
        if (v == null) {
            return null;
        }
        if (v instanceof List<?> l) {
            return (List<Object>) l;
        }
        error(path, "expected a list, got " + shown(v, path));
        return new ArrayList<>();
    }

    /** A list of strings, each checked ({@code path[i]}); empty when absent. */
    List<String> stringList(Map<String, Object> m, String parent, String key) {
        String path = join(parent, key);
        List<Object> raw = list(m, parent, key);
        List<String> out = new ArrayList<>();
        if (raw == null) {
            return out;
        }
        for (int i = 0; i < raw.size(); i++) {
            String s = asString(raw.get(i), path + "[" + i + "]");
            if (s != null) {
                out.add(s);
            }
        }
        return out;
    }
}
