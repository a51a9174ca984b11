package io.has.api;

import java.math.BigDecimal;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Patroni's {@code patch_config}: merges a JSON object into the dynamic config. A {@code null} value
 * deletes the key, nested objects merge, and a scalar replaces the old value only when Python's
 * {@code str()} of the two differs (so {@code 5} and {@code "5"} count as the same).
 */
public final class ConfigPatch {

    private ConfigPatch() {
    }

    /**
     * Applies {@code patch} to {@code config} in place.
     *
     * @param config mutable nested maps (nested objects are copied before they are changed)
     * @return true when anything changed
     */
    @SuppressWarnings("unchecked")
    public static boolean apply(Map<String, Object> config, Map<String, Object> patch) {
        boolean changed = false;
        for (Map.Entry<String, Object> e : patch.entrySet()) {
            String name = e.getKey();
            Object value = e.getValue();
            if (value == null) {
                if (config.remove(name) != null) {
                    changed = true;
                }
            } else if (config.containsKey(name)) {
                Object old = config.get(name);
                if (value instanceof Map<?, ?> m) {
                    if (old instanceof Map<?, ?> oldMap) {
                        Map<String, Object> copy = new LinkedHashMap<>((Map<String, Object>) oldMap);
                        if (apply(copy, (Map<String, Object>) m)) {
                            config.put(name, copy);
                            changed = true;
                        }
                    } else {
                        config.put(name, value);
                        changed = true;
                    }
                } else if (!pyStr(old).equals(pyStr(value))) {
                    config.put(name, value);
                    changed = true;
                }
            } else {
                config.put(name, value);
                changed = true;
            }
        }
        return changed;
    }

    /** Python's {@code str()} of a JSON value (repr inside containers). */
    public static String pyStr(Object v) {
        if (v instanceof String s) {
            return s;
        }
        return repr(v);
    }

    private static String repr(Object v) {
        if (v == null) {
            return "None";
        }
        if (v instanceof Boolean b) {
            return b ? "True" : "False";
        }
        if (v instanceof String s) {
            return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
        }
        if (v instanceof Double || v instanceof Float || v instanceof BigDecimal) {
            double d = ((Number) v).doubleValue();
            if (d == Math.rint(d) && !Double.isInfinite(d) && Math.abs(d) < 1e16) {
                return BigDecimal.valueOf(d).setScale(1).toPlainString();
            }
            return Double.toString(d);
        }
        if (v instanceof Number n) {
            return n.toString();
        }
        if (v instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder("{");
            Iterator<? extends Map.Entry<?, ?>> it = m.entrySet().iterator();
            while (it.hasNext()) {
                Map.Entry<?, ?> e = it.next();
                b.append(repr(String.valueOf(e.getKey()))).append(": ").append(repr(e.getValue()));
                if (it.hasNext()) {
                    b.append(", ");
                }
            }
            return b.append('}').toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder b = new StringBuilder("[");
            for (int i = 0; i < l.size(); i++) {
                b.append(i == 0 ? "" : ", ").append(repr(l.get(i)));
            }
            return b.append(']').toString();
        }
        return v.toString();
    }
}
