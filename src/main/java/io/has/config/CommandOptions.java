package io.has.config;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Turns Patroni's tool-option syntax ({@code bootstrap.initdb}, {@code postgresql.basebackup}) into
 * command-line options, like Patroni's {@code process_user_options}: a list of option names and
 * single-key maps, or one map. {@code data-checksums} becomes {@code --data-checksums};
 * {@code {encoding: UTF8}} becomes {@code --encoding=UTF8}. Options HAS sets itself are dropped with a
 * warning.
 */
final class CommandOptions {

    private CommandOptions() {
    }

    static List<String> parse(Object value, String path, TreeReader r, Set<String> notAllowed) {
        List<String> out = new ArrayList<>();
        if (value == null) {
            return out;
        }
        if (value instanceof Map<?, ?> m) {
            for (Map.Entry<?, ?> e : m.entrySet()) {
                addKeyValue(String.valueOf(e.getKey()), e.getValue(), path + "." + e.getKey(), r, notAllowed, out);
            }
            return out;
        }
        if (!(value instanceof List<?> list)) {
            r.error(path, "expected a list of options (e.g. [data-checksums, {encoding: UTF8}]) or a map, got "
                    + TreeReader.shown(value, path));
            return out;
        }
        for (int i = 0; i < list.size(); i++) {
            Object item = list.get(i);
            String itemPath = path + "[" + i + "]";
            if (item instanceof String s && !s.isBlank()) {
                String flag = stripDashes(s.strip());
                if (allowed(flag, itemPath, r, notAllowed)) {
                    out.add("--" + flag);
                }
            } else if (item instanceof Map<?, ?> m && m.size() == 1) {
                Map.Entry<?, ?> e = m.entrySet().iterator().next();
                addKeyValue(String.valueOf(e.getKey()), e.getValue(), itemPath, r, notAllowed, out);
            } else {
                r.error(itemPath, "expected an option name or a single 'key: value' map, got "
                        + TreeReader.shown(item, itemPath));
            }
        }
        return out;
    }

    private static void addKeyValue(String key, Object v, String path, TreeReader r, Set<String> notAllowed,
            List<String> out) {
        String k = stripDashes(key.strip());
        if (k.isEmpty() || v == null) {
            r.error(path, "expected 'option: value' with a non-empty option and value");
            return;
        }
        if (v instanceof Map<?, ?> || v instanceof List<?>) {
            r.error(path, "expected a single value for option '" + k + "', got " + TreeReader.shown(v, path));
            return;
        }
        if (!allowed(k, path, r, notAllowed)) {
            return;
        }
        if (Boolean.TRUE.equals(v)) {
            out.add("--" + k);
        } else if (!Boolean.FALSE.equals(v)) {
            out.add("--" + k + "=" + v);
        }
    }

    private static boolean allowed(String option, String path, TreeReader r, Set<String> notAllowed) {
        if (notAllowed.contains(option)) {
            r.warn(path + ": option '" + option + "' is managed by HAS and ignored");
            return false;
        }
        return true;
    }

    private static String stripDashes(String s) {
        int i = 0;
        while (i < s.length() && s.charAt(i) == '-') {
            i++;
        }
        return s.substring(i);
    }
}
