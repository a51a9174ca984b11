package io.has.config;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/** Recognises secret-valued keys and masks them, so no password ever reaches a log or an error. */
public final class Secrets {

    /** What every secret value is replaced with. */
    public static final String MASK = "******";

    private Secrets() {
    }

    /**
     * Whether a key holds a secret: {@code password} and anything ending in it ({@code sslpassword},
     * {@code keyfile_password}, {@code key_password}), and ZooKeeper {@code auth_data}.
     *
     * @param key the last segment of a key path
     * @return true if values under this key must never be shown
     */
    public static boolean isSecretKey(String key) {
        if (key == null) {
            return false;
        }
        String k = key.toLowerCase(Locale.ROOT);
        return k.endsWith("password") || k.equals("auth_data");
    }

    /**
     * Deep copy of a YAML tree with every secret value (see {@link #isSecretKey}) replaced by
     * {@link #MASK}. Null secrets stay null so "not set" remains visible.
     *
     * @param tree a tree of maps, lists and scalars; may be null
     * @return the masked copy (null for null)
     */
    public static Map<String, Object> masked(Map<String, ?> tree) {
        if (tree == null) {
            return null;
        }
        Map<String, Object> out = new LinkedHashMap<>();
        for (Map.Entry<String, ?> e : tree.entrySet()) {
            Object v = e.getValue();
            out.put(e.getKey(), isSecretKey(e.getKey()) && v != null ? MASK : maskValue(v));
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    private static Object maskValue(Object v) {
        if (v instanceof Map<?, ?> m) {
            return masked((Map<String, ?>) m);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            for (Object o : l) {
                out.add(maskValue(o));
            }
            return out;
        }
        return v;
    }
}
