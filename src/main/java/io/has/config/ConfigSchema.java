package io.has.config;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The set of local configuration keys HAS knows: Patroni's full local key set (reference §6.2, v3 and
 * v4) plus the HAS extensions ({@code vip}, {@code postgresql.dialect}). Any other key produces a
 * warning {@code unknown key 'a.b' ignored}, never an error, so a Patroni file with newer keys still
 * loads.
 */
final class ConfigSchema {

    /** Marks a key whose value is free-form (not descended into). */
    private static final Object FREE = new Object();

    private static final List<String> CREDENTIAL_KEYS = List.of("username", "password", "sslmode", "sslkey",
            "sslpassword", "sslcert", "sslrootcert", "sslcrl", "sslcrldir", "gssencmode", "channel_binding",
            "sslnegotiation");

    /** DCS sections Patroni supports but HAS does not (each is reported by the mapper). */
    static final List<String> OTHER_DCS = List.of("etcd", "etcd3", "consul", "exhibitor", "kubernetes", "raft");

    private static final Map<String, Object> ROOT = buildRoot();

    private ConfigSchema() {
    }

    private static Map<String, Object> buildRoot() {
        Map<String, Object> credentials = leaves(CREDENTIAL_KEYS.toArray(String[]::new));
        Map<String, Object> root = leaves("name", "namespace", "scope", "thread_pool_size", "thread_stack_size");
        root.put("log", with(leaves("level", "traceback_level", "format", "dateformat", "max_queue_size", "dir",
                "file_num", "file_size", "type", "mode", "deduplicate_heartbeat_logs"),
                "loggers", FREE, "static_fields", FREE));
        root.put("bootstrap", with(leaves("method", "initdb", "pg_hba", "post_bootstrap", "post_init"),
                "dcs", FREE, "users", FREE));
        root.put("citus", leaves("group", "database"));
        root.put("zookeeper", leaves("hosts", "use_ssl", "verify", "cacert", "cert", "key", "key_password",
                "set_acls", "auth_data"));
        for (String dcs : OTHER_DCS) {
            root.put(dcs, FREE);
        }
        Map<String, Object> pg = leaves("listen", "connect_address", "proxy_address", "data_dir", "config_dir",
                "bin_dir", "pgpass", "create_replica_methods", "use_unix_socket", "use_unix_socket_repl",
                "custom_conf", "pg_hba", "pg_ident", "pg_ctl_timeout", "use_pg_rewind",
                "remove_data_directory_on_rewind_failure", "remove_data_directory_on_diverged_timelines",
                "pre_promote", "before_stop", "database", "config_base_name", "dialect");
        pg.put("bin_name", leaves("pg_ctl", "initdb", "pg_controldata", "pg_basebackup", "postgres", "pg_isready",
                "pg_rewind"));
        pg.put("authentication", with(new LinkedHashMap<>(),
                "superuser", credentials, "replication", credentials, "rewind", credentials));
        pg.put("callbacks", leaves("on_reload", "on_restart", "on_role_change", "on_start", "on_stop"));
        pg.put("basebackup", FREE);
        pg.put("recovery_conf", FREE);
        pg.put("parameters", FREE);
        root.put("postgresql", pg);
        root.put("restapi", with(leaves("listen", "connect_address", "certfile", "keyfile", "keyfile_password",
                "cafile", "ciphers", "verify_client", "allowlist", "allowlist_include_members",
                "request_queue_size", "server_tokens", "thread_pool_size"),
                "authentication", leaves("username", "password"),
                "http_extra_headers", FREE, "https_extra_headers", FREE));
        root.put("ctl", with(leaves("insecure", "cacert", "certfile", "keyfile", "keyfile_password"),
                "authentication", leaves("username", "password")));
        root.put("watchdog", leaves("mode", "device", "safety_margin", "driver"));
        root.put("vip", leaves("address", "netmask_bits", "broadcast", "device", "label"));
        root.put("callbacks", FREE);
        root.put("tags", FREE);
        return root;
    }

    /**
     * Walks the tree and adds one warning per unknown key, naming its full path. Section names that
     * the file itself declares are accepted: {@code bootstrap.<method>} for {@code bootstrap.method},
     * and {@code postgresql.<m>} for each entry of {@code postgresql.create_replica_methods}.
     */
    static void warnUnknown(Map<String, Object> tree, List<String> warnings) {
        walk(tree, ROOT, "", warnings, tree);
    }

    @SuppressWarnings("unchecked")
    private static void walk(Map<String, Object> node, Map<String, Object> schema, String path,
            List<String> warnings, Map<String, Object> root) {
        for (Map.Entry<String, Object> e : node.entrySet()) {
            String key = e.getKey();
            String p = TreeReader.join(path, key);
            Object spec = schema.get(key);
            if (spec == null && isDeclaredSection(path, key, root)) {
                continue;
            }
            if (spec == null) {
                warnings.add("unknown key '" + p + "' ignored");
            } else if (spec instanceof Map<?, ?> sub && e.getValue() instanceof Map<?, ?> value) {
                walk((Map<String, Object>) value, (Map<String, Object>) sub, p, warnings, root);
            }
        }
    }

    private static boolean isDeclaredSection(String path, String key, Map<String, Object> root) {
        if (path.equals("bootstrap") && root.get("bootstrap") instanceof Map<?, ?> b) {
            return key.equals(String.valueOf(b.get("method")));
        }
        if (path.equals("postgresql") && root.get("postgresql") instanceof Map<?, ?> pg) {
            Object methods = pg.get("create_replica_methods");
            return methods instanceof List<?> l ? l.stream().anyMatch(m -> key.equals(String.valueOf(m)))
                    : key.equals(String.valueOf(methods));
        }
        return false;
    }

    private static Map<String, Object> leaves(String... keys) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (String k : keys) {
            m.put(k, FREE);
        }
        return m;
    }

    private static Map<String, Object> with(Map<String, Object> m, Object... keyValues) {
        for (int i = 0; i < keyValues.length; i += 2) {
            m.put((String) keyValues[i], keyValues[i + 1]);
        }
        return m;
    }
}
