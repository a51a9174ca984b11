package io.has.config;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Maps and validates the {@code bootstrap} section. */
final class BootstrapMapper {

    private static final Set<String> INITDB_NOT_ALLOWED = Set.of("pgdata", "nosync", "pwfile", "sync-only",
            "version");

    private BootstrapMapper() {
    }

    static HasConfig.Bootstrap map(Map<String, Object> root, TreeReader r) {
        Map<String, Object> b = r.map(root, "", "bootstrap");
        Map<String, Object> dcs = r.map(b, "bootstrap", "dcs");
        checkTimings(dcs, r);
        r.string(b, "bootstrap", "method");
        List<String> initdb = CommandOptions.parse(b.get("initdb"), "bootstrap.initdb", r, INITDB_NOT_ALLOWED);
        List<String> pgHba = r.stringList(b, "bootstrap", "pg_hba");
        Map<String, HasConfig.User> users = users(r.map(b, "bootstrap", "users"), r);
        return new HasConfig.Bootstrap(Frozen.map(dcs), List.copyOf(initdb), List.copyOf(pgHba),
                Collections.unmodifiableMap(users));
    }

    /**
     * ttl, loop_wait and retry_timeout must be positive integers with
     * {@code loop_wait + 2 x retry_timeout <= ttl} (DESIGN invariant 1).
     */
    private static void checkTimings(Map<String, Object> dcs, TreeReader r) {
        Long ttl = positive(dcs, "ttl", DynamicConfig.DEFAULT_TTL, r);
        Long loopWait = positive(dcs, "loop_wait", DynamicConfig.DEFAULT_LOOP_WAIT, r);
        Long retry = positive(dcs, "retry_timeout", DynamicConfig.DEFAULT_RETRY_TIMEOUT, r);
        if (ttl != null && loopWait != null && retry != null && loopWait + 2 * retry > ttl) {
            r.error("bootstrap.dcs", "loop_wait (" + loopWait + ") + 2 x retry_timeout (" + retry + ") = "
                    + (loopWait + 2 * retry) + " exceeds ttl (" + ttl + "); raise ttl or lower the others");
        }
    }

    private static Long positive(Map<String, Object> dcs, String key, long def, TreeReader r) {
        Object v = dcs.get(key);
        if (v == null) {
            return def;
        }
        String path = "bootstrap.dcs." + key;
        Long n = TreeReader.toLong(v);
        if (n == null || n <= 0 || n > Integer.MAX_VALUE) {
            r.error(path, "expected a positive integer (seconds), got " + TreeReader.shown(v, path));
            return null;
        }
        return n;
    }

    private static Map<String, HasConfig.User> users(Map<String, Object> users, TreeReader r) {
        Map<String, HasConfig.User> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : users.entrySet()) {
            String path = "bootstrap.users." + e.getKey();
            if (e.getValue() == null) {
                out.put(e.getKey(), new HasConfig.User(null, List.of()));
                continue;
            }
            if (!(e.getValue() instanceof Map<?, ?>)) {
                r.error(path, "expected a map with password and options, got " + TreeReader.shown(e.getValue(), path));
                continue;
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> u = (Map<String, Object>) e.getValue();
            String password = r.string(u, path, "password");
            List<String> options = new ArrayList<>();
            Object opts = u.get("options");
            if (opts instanceof String s) {
                options.add(s);
            } else {
                options.addAll(r.stringList(u, path, "options"));
            }
            out.put(e.getKey(), new HasConfig.User(password, List.copyOf(options)));
        }
        return out;
    }
}
