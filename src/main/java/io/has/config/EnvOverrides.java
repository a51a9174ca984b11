package io.has.config;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Builds the configuration tree that Patroni derives from {@code PATRONI_*} environment variables
 * ({@code config.py _build_environment_configuration}, v3 names plus the v4 additions). Empty values
 * are ignored, as in Patroni. Integers and booleans are left as strings here so that a bad value is
 * reported by the mapper under its key path; list and dict values are parsed as YAML.
 */
final class EnvOverrides {

    static final String PREFIX = "PATRONI_";

    private static final List<String> AUTH_PARAMS = List.of("username", "password", "sslmode", "sslkey",
            "sslpassword", "sslcert", "sslrootcert", "sslcrl", "sslcrldir", "gssencmode", "channel_binding",
            "sslnegotiation");

    private static final Set<String> DCS_SUFFIXES = Set.of("HOST", "HOSTS", "PORT", "USE_PROXIES", "PROTOCOL",
            "SRV", "SRV_SUFFIX", "URL", "PROXY", "CACERT", "CERT", "KEY", "VERIFY", "TOKEN", "CHECKS", "DC",
            "CONSISTENCY", "REGISTER_SERVICE", "SERVICE_CHECK_INTERVAL", "SERVICE_CHECK_TLS_SERVER_NAME",
            "SERVICE_TAGS", "NAMESPACE", "CONTEXT", "USE_ENDPOINTS", "SCOPE_LABEL", "ROLE_LABEL", "POD_IP",
            "PORTS", "LABELS", "BYPASS_API_SERVICE", "RETRIABLE_HTTP_CODES", "KEY_PASSWORD", "USE_SSL",
            "SET_ACLS", "GROUP", "DATABASE", "AUTH_DATA", "LEADER_LABEL_VALUE", "FOLLOWER_LABEL_VALUE",
            "STANDBY_LEADER_LABEL_VALUE", "TMP_ROLE_LABEL", "BOOTSTRAP_LABELS");
    private static final Set<String> LIST_SUFFIXES = Set.of("HOSTS", "PORTS", "CHECKS", "SERVICE_TAGS",
            "RETRIABLE_HTTP_CODES");
    private static final Set<String> DICT_SUFFIXES = Set.of("LABELS", "SET_ACLS", "AUTH_DATA");

    private final Map<String, String> env;
    private final List<ConfigError> errors;
    private final Set<String> consumed = new HashSet<>();
    private final Map<String, Object> out = new LinkedHashMap<>();

    private EnvOverrides(Map<String, String> env, List<ConfigError> errors) {
        this.env = env;
        this.errors = errors;
    }

    /**
     * @param env    the process environment (not modified)
     * @param errors where unparsable list/dict values are reported (path = variable name)
     * @return the tree to patch over the file configuration; empty when nothing is set
     */
    static Map<String, Object> build(Map<String, String> env, List<ConfigError> errors) {
        EnvOverrides b = new EnvOverrides(env == null ? Map.of() : env, errors);
        b.collect();
        return b.out;
    }

    private void collect() {
        for (String p : List.of("name", "namespace", "scope")) {
            String v = pop(p);
            if (v != null) {
                out.put(p, v);
            }
        }
        section("restapi", "listen", "connect_address", "certfile", "keyfile", "keyfile_password", "cafile",
                "ciphers", "verify_client", "allowlist_include_members", "request_queue_size", "server_tokens");
        listValue("restapi", "allowlist");
        dictValue("restapi", "http_extra_headers");
        dictValue("restapi", "https_extra_headers");
        section("ctl", "insecure", "cacert", "certfile", "keyfile", "keyfile_password");
        section("postgresql", "listen", "connect_address", "proxy_address", "config_dir", "data_dir", "pgpass",
                "bin_dir");
        logSection();
        section("raft", "data_dir", "self_addr", "password", "bind_addr");
        listValue("raft", "partner_addrs");
        for (String bin : List.of("pg_ctl", "initdb", "pg_controldata", "pg_basebackup", "postgres", "pg_isready",
                "pg_rewind")) {
            String v = pop("postgresql_bin_" + bin);
            if (v != null) {
                sub(sub(out, "postgresql"), "bin_name").put(bin, v);
            }
        }
        auth("restapi", List.of("username", "password"), sub(out, "restapi"));
        auth("ctl", List.of("username", "password"), sub(out, "ctl"));
        for (String userType : List.of("replication", "superuser", "rewind")) {
            Map<String, Object> entry = new LinkedHashMap<>();
            auth(userType, AUTH_PARAMS, entry);
            if (!entry.isEmpty()) {
                sub(sub(out, "postgresql"), "authentication").put(userType, entry);
            }
        }
        dcsSections();
        for (String dcs : List.of("etcd", "etcd3")) {
            if (out.get(dcs) instanceof Map<?, ?>) {
                auth(dcs, List.of("username", "password"), sub(out, dcs));
            }
        }
        bootstrapUsers();
        out.values().removeIf(v -> v instanceof Map<?, ?> m && m.isEmpty());
    }

    private void logSection() {
        // legacy names first: PATRONI_LOGLEVEL -> PATRONI_LOG_LEVEL unless the new one is set
        String[][] legacy = {{"level", "loglevel"}, {"format", "logformat"}, {"dateformat", "log_datefmt"}};
        Map<String, String> aliases = new LinkedHashMap<>();
        for (String[] pair : legacy) {
            String old = pop(pair[1]);
            if (old != null && get("log_" + pair[0]) == null) {
                aliases.put(pair[0], old);
            }
        }
        section("log", "level", "traceback_level", "format", "dateformat", "max_queue_size", "dir", "file_size",
                "file_num", "type", "mode", "deduplicate_heartbeat_logs");
        aliases.forEach((k, v) -> sub(out, "log").put(k, v));
        dictValue("log", "loggers");
        dictValue("log", "static_fields");
    }

    private void dcsSections() {
        for (String var : env.keySet().stream().sorted().toList()) {
            if (!var.startsWith(PREFIX) || consumed.contains(var)) {
                continue;
            }
            String rest = var.substring(PREFIX.length());
            int us = rest.indexOf('_');
            if (us <= 0) {
                continue;
            }
            String name = rest.substring(0, us);
            String suffix = rest.substring(us + 1);
            if (!DCS_SUFFIXES.contains(suffix)) {
                continue;
            }
            if (name.equals("CITUS") && !suffix.equals("GROUP") && !suffix.equals("DATABASE")) {
                continue;
            }
            String raw = env.get(var);
            consumed.add(var);
            if (raw == null || raw.isEmpty()) {
                continue;
            }
            Object value = raw;
            if (LIST_SUFFIXES.contains(suffix)) {
                value = parseList(var, raw);
            } else if (DICT_SUFFIXES.contains(suffix)) {
                value = parseDict(var, raw);
            }
            if (value != null) {
                sub(out, name.toLowerCase(Locale.ROOT)).put(suffix.toLowerCase(Locale.ROOT), value);
            }
        }
    }

    /** v3: any remaining {@code PATRONI_<user>_PASSWORD} (+ {@code _OPTIONS} list) becomes a bootstrap user. */
    private void bootstrapUsers() {
        Map<String, Object> users = new LinkedHashMap<>();
        for (String var : env.keySet().stream().sorted().toList()) {
            if (!var.startsWith(PREFIX) || consumed.contains(var) || !var.endsWith("_PASSWORD")) {
                continue;
            }
            String user = var.substring(PREFIX.length(), var.length() - "_PASSWORD".length());
            String password = env.get(var);
            consumed.add(var);
            if (user.isEmpty() || password == null || password.isEmpty()) {
                continue;
            }
            Map<String, Object> u = new LinkedHashMap<>();
            u.put("password", password);
            String optVar = PREFIX + user + "_OPTIONS";
            String opts = env.get(optVar);
            consumed.add(optVar);
            if (opts != null && !opts.isEmpty()) {
                Object parsed = parseList(optVar, opts);
                if (parsed != null) {
                    u.put("options", parsed);
                }
            }
            users.put(user, u);
        }
        if (!users.isEmpty()) {
            sub(out, "bootstrap").put("users", users);
        }
    }

    private void section(String section, String... params) {
        for (String p : params) {
            String v = pop(section + "_" + p);
            if (v != null) {
                sub(out, section).put(p, v);
            }
        }
    }

    private void listValue(String section, String param) {
        String var = PREFIX + (section + "_" + param).toUpperCase(Locale.ROOT);
        String v = pop(section + "_" + param);
        if (v != null) {
            Object parsed = parseList(var, v);
            if (parsed != null) {
                sub(out, section).put(param, parsed);
            }
        }
    }

    private void dictValue(String section, String param) {
        String var = PREFIX + (section + "_" + param).toUpperCase(Locale.ROOT);
        String v = pop(section + "_" + param);
        if (v != null) {
            Object parsed = parseDict(var, v);
            if (parsed != null) {
                sub(out, section).put(param, parsed);
            }
        }
    }

    private void auth(String prefix, List<String> params, Map<String, Object> target) {
        Map<String, Object> found = new LinkedHashMap<>();
        for (String p : params) {
            String v = pop(prefix + "_" + p);
            if (v != null) {
                found.put(p, v);
            }
        }
        if (found.isEmpty()) {
            return;
        }
        if (prefix.equals("restapi") || prefix.equals("ctl")) {
            target.put("authentication", found);
        } else {
            target.putAll(found);
        }
    }

    /**
     * Patroni's {@code _parse_list}: a value with no {@code [} and not starting with {@code -} is wrapped
     * in {@code [...]}; a plain comma string therefore works too.
     */
    private Object parseList(String var, String value) {
        String v = value.strip();
        String text = v.startsWith("-") || v.contains("[") ? v : "[" + v + "]";
        Object parsed = YamlSource.parseFragment(text);
        if (parsed instanceof List<?>) {
            return parsed;
        }
        if (!v.startsWith("-") && !v.contains("[") && !v.contains("{")) {
            List<Object> split = new ArrayList<>();
            for (String s : v.split(",")) {
                String t = s.strip();
                if (t.length() >= 2 && (t.startsWith("'") && t.endsWith("'") || t.startsWith("\"") && t.endsWith("\""))) {
                    t = t.substring(1, t.length() - 1);
                }
                if (!t.isEmpty()) {
                    split.add(t);
                }
            }
            return split;
        }
        errors.add(new ConfigError(var, "expected a YAML list such as [a, b] or 'a','b'"));
        return null;
    }

    /** Patroni's {@code _parse_dict}: wrapped in {@code {...}} unless it starts with {@code {}. */
    private Object parseDict(String var, String value) {
        String v = value.strip();
        Object parsed = YamlSource.parseFragment(v.startsWith("{") ? v : "{" + v + "}");
        if (parsed instanceof Map<?, ?>) {
            return parsed;
        }
        errors.add(new ConfigError(var, "expected a YAML map such as {key: value}"));
        return null;
    }

    /** Reads and marks as used {@code PATRONI_<NAME>}; null when unset or empty. */
    private String pop(String name) {
        String var = PREFIX + name.toUpperCase(Locale.ROOT);
        consumed.add(var);
        String v = env.get(var);
        return v == null || v.isEmpty() ? null : v;
    }

    private String get(String name) {
        String v = env.get(PREFIX + name.toUpperCase(Locale.ROOT));
        return v == null || v.isEmpty() ? null : v;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> sub(Map<String, Object> parent, String key) {
        return (Map<String, Object>) parent.computeIfAbsent(key, k -> new LinkedHashMap<String, Object>());
    }
}
