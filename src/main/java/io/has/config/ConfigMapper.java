package io.has.config;

import io.has.cluster.HostPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * Maps the merged YAML tree to {@link HasConfig}, applying Patroni's defaults and collecting every
 * error. Section details live in {@link PostgresqlMapper} and {@link BootstrapMapper}.
 */
final class ConfigMapper {

    static final String DEFAULT_NAMESPACE = "/service";
    static final Set<String> LOG_LEVELS = Set.of("DEBUG", "INFO", "WARNING", "WARN", "ERROR", "CRITICAL");
    private static final int DEFAULT_ZK_PORT = 2181;
    /** Tags Patroni reads as booleans (reference §6.4); bool-like strings are converted. */
    private static final Set<String> BOOLEAN_TAGS = Set.of("nofailover", "clonefrom", "noloadbalance", "nosync",
            "nostream");
    private static final Set<String> INTEGER_TAGS = Set.of("failover_priority", "sync_priority");

    private ConfigMapper() {
    }

    /** @return the config, or null when any error was recorded */
    static HasConfig map(Map<String, Object> tree, TreeReader r) {
        String scope = r.required(tree, "", "scope", "the cluster name");
        checkNoSlash(scope, "scope", r);
        String name = r.required(tree, "", "name", "this member's unique name");
        checkNoSlash(name, "name", r);
        String namespace = normaliseNamespace(r.string(tree, "", "namespace"));

        HasConfig.RestApi restapi = restapi(tree, r);
        HasConfig.ZooKeeper zookeeper = zookeeper(tree, r);
        HasConfig.Bootstrap bootstrap = BootstrapMapper.map(tree, r);
        HasConfig.Postgresql postgresql = PostgresqlMapper.map(tree, name, r);
        Map<String, Object> tags = tags(tree, r);
        HasConfig.Log log = log(tree, r);
        for (String section : List.of("watchdog", "vip", "ctl", "citus")) {
            r.map(tree, "", section);
        }
        ConfigSchema.warnUnknown(tree, r.warnings());

        if (r.hasErrors()) {
            return null;
        }
        return new HasConfig(scope, namespace, name, restapi, zookeeper, bootstrap, postgresql, tags, log,
                Frozen.map(tree));
    }

    private static void checkNoSlash(String value, String key, TreeReader r) {
        if (value != null && value.contains("/")) {
            r.error(key, "must not contain '/', got '" + value + "' (it becomes part of a ZooKeeper path)");
        }
    }

    /** Leading "/", no trailing "/", no "//"; missing means {@code /service}, blank means the root. */
    static String normaliseNamespace(String ns) {
        if (ns == null) {
            return DEFAULT_NAMESPACE;
        }
        String n = ("/" + ns.strip()).replaceAll("/+", "/");
        if (n.length() > 1 && n.endsWith("/")) {
            n = n.substring(0, n.length() - 1);
        }
        return n;
    }

    private static HasConfig.RestApi restapi(Map<String, Object> tree, TreeReader r) {
        Map<String, Object> api = r.map(tree, "", "restapi");
        String listenText = r.required(api, "restapi", "listen", "host:port the REST API binds to");
        HostPort listen = listenText == null ? null : PostgresqlMapper.hostPort(listenText, "restapi.listen", r);
        String connectText = r.string(api, "restapi", "connect_address");
        HostPort connect = connectText == null ? listen
                : PostgresqlMapper.hostPort(connectText, "restapi.connect_address", r);
        if (connectText == null && listen != null && Set.of("0.0.0.0", "::", "*").contains(listen.host())) {
            r.warn("restapi.connect_address is not set and restapi.listen (" + listen
                    + ") binds to all addresses; other members will be told to use " + listen);
        }
        Map<String, Object> auth = r.map(api, "restapi", "authentication");
        String user = r.string(auth, "restapi.authentication", "username");
        String password = r.string(auth, "restapi.authentication", "password");
        if ((user == null) != (password == null)) {
            r.error("restapi.authentication", "username and password must be set together");
        }
        r.bool(api, "restapi", "allowlist_include_members", false);
        return new HasConfig.RestApi(listen, connect, user, password);
    }

    private static HasConfig.ZooKeeper zookeeper(Map<String, Object> tree, TreeReader r) {
        List<String> others = ConfigSchema.OTHER_DCS.stream().filter(tree::containsKey).toList();
        Map<String, Object> zk = r.map(tree, "", "zookeeper");
        Object hostsValue = zk.get("hosts");
        if (hostsValue == null) {
            r.error("zookeeper.hosts", others.isEmpty()
                    ? "missing required key (list of ZooKeeper host:port)"
                    : "missing: HAS only supports ZooKeeper, but the configuration has a '" + others.get(0)
                            + "' section; replace it with zookeeper.hosts");
            return null;
        }
        for (String other : others) {
            r.warn("'" + other + "' section ignored: HAS only supports ZooKeeper");
        }
        unsupportedSecurity(zk, r);
        List<Object> items = new ArrayList<>();
        if (hostsValue instanceof String s) {
            for (String h : s.split(",")) {
                if (!h.isBlank()) {
                    items.add(h.strip());
                }
            }
        } else if (hostsValue instanceof List<?> l) {
            items.addAll(l);
        } else {
            r.error("zookeeper.hosts", "expected a list of host:port or a comma-separated string, got "
                    + TreeReader.shown(hostsValue, "zookeeper.hosts"));
            return null;
        }
        if (items.isEmpty()) {
            r.error("zookeeper.hosts", "expected at least one host:port");
            return null;
        }
        List<String> hosts = new ArrayList<>();
        for (int i = 0; i < items.size(); i++) {
            String path = "zookeeper.hosts[" + i + "]";
            String h = r.asString(items.get(i), path);
            if (h == null) {
                continue;
            }
            h = h.strip();
            boolean bare = !h.contains(":") || (h.startsWith("[") && h.endsWith("]"));
            String withPort = bare && !h.isEmpty() ? h + ":" + DEFAULT_ZK_PORT : h;
            if (PostgresqlMapper.hostPort(withPort, path, r) != null) {
                hosts.add(withPort);
            }
        }
        return new HasConfig.ZooKeeper(List.copyOf(hosts));
    }

    /**
     * TLS to ZooKeeper and ZooKeeper ACLs are not implemented: a configuration that asks for them is refused
     * rather than run without them (in plain text to a TLS port, or leaving the cluster's keys open to every
     * client).
     */
    private static void unsupportedSecurity(Map<String, Object> zk, TreeReader r) {
        if (r.bool(zk, "zookeeper", "use_ssl", false)) {
            r.error("zookeeper.use_ssl", "TLS to ZooKeeper is not supported yet: HAS connects without it; remove the"
                    + " key or set it to false (and use ZooKeeper's plain client port)");
        }
        for (String key : List.of("set_acls", "auth_data")) {
            if (zk.get(key) != null) {
                r.error("zookeeper." + key, "ZooKeeper ACLs and authentication are not supported yet: HAS creates its"
                        + " keys open to every client and does not authenticate; remove the key");
            }
        }
    }

    private static Map<String, Object> tags(Map<String, Object> tree, TreeReader r) {
        Map<String, Object> tags = new LinkedHashMap<>(r.map(tree, "", "tags"));
        tags.values().removeIf(v -> v == null);
        for (Map.Entry<String, Object> e : tags.entrySet()) {
            String path = "tags." + e.getKey();
            Object v = e.getValue();
            if (BOOLEAN_TAGS.contains(e.getKey())) {
                Boolean b = TreeReader.toBool(v);
                if (b == null) {
                    r.error(path, "expected a boolean (true/false), got " + TreeReader.shown(v, path));
                } else {
                    e.setValue(b);
                }
            } else if (INTEGER_TAGS.contains(e.getKey())) {
                Long n = TreeReader.toLong(v);
                if (n == null || n < 0 || n > Integer.MAX_VALUE) {
                    r.error(path, "expected a non-negative integer, got " + TreeReader.shown(v, path));
                } else {
                    e.setValue(n.intValue());
                }
            } else if (e.getKey().equals("replicatefrom")) {
                r.asString(v, path);
            }
        }
        return Frozen.map(tags);
    }

    private static HasConfig.Log log(Map<String, Object> tree, TreeReader r) {
        Map<String, Object> log = r.map(tree, "", "log");
        String level = r.string(log, "log", "level");
        if (level == null) {
            level = "INFO";
        } else {
            level = level.strip().toUpperCase(Locale.ROOT);
            if (!LOG_LEVELS.contains(level)) {
                r.error("log.level", "expected one of DEBUG, INFO, WARNING, ERROR, CRITICAL, got '"
                        + log.get("level") + "'");
                level = "INFO";
            }
        }
        Path dir = PostgresqlMapper.path(r.string(log, "log", "dir"), "log.dir", r);
        if (dir != null && Files.exists(dir) && !Files.isDirectory(dir)) {
            r.error("log.dir", "'" + dir + "' exists but is not a directory");
        } else if (dir != null && !Files.exists(dir)) {
            r.warn("log.dir: directory '" + dir + "' does not exist; it will be created");
        }
        int fileNum = r.integer(log, "log", "file_num", 4, 1);
        long fileSize = r.longValue(log, "log", "file_size", 25_000_000L, 1);
        return new HasConfig.Log(level, dir, fileNum, fileSize);
    }
}
