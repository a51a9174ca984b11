package io.has.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/** Deep unmodifiable copies of YAML trees (null values are kept, unlike {@code Map.copyOf}). */
final class Frozen {

    private Frozen() {
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> map(Map<String, ?> m) {
        return m == null ? Map.of() : (Map<String, Object>) freeze(m);
    }

    private static Object freeze(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), freeze(x)));
            return Collections.unmodifiableMap(out);
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>(l.size());
            l.forEach(x -> out.add(freeze(x)));
            return Collections.unmodifiableList(out);
        }
        return v;
    }
}
