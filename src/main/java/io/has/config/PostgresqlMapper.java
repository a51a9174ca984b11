package io.has.config;

import io.has.cluster.HostPort;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** Maps and validates the {@code postgresql} section. */
final class PostgresqlMapper {

    private static final String P = "postgresql";
    private static final Set<String> WILDCARDS = Set.of("*", "0.0.0.0", "::", "");
    private static final Set<String> BASEBACKUP_NOT_ALLOWED = Set.of("pgdata", "format", "wal-method",
            "xlog-method");
    private static final Set<String> SSLMODES = Set.of("disable", "allow", "prefer", "require", "verify-ca",
            "verify-full");

    private PostgresqlMapper() {
    }

    /** The parsed {@code listen} value: the host list as written (brackets removed) and the port. */
    record Listen(List<String> hosts, int port) {
    }

    static HasConfig.Postgresql map(Map<String, Object> root, String memberName, TreeReader r) {
        Map<String, Object> pg = r.map(root, "", P);

        String listenText = r.required(pg, P, "listen", "host[,host...]:port PostgreSQL listens on");
        Listen listen = listenText == null ? null : parseListen(listenText, P + ".listen", r);
        HostPort connect = connectAddress(pg, listen, listenText, r);

        Path dataDir = dataDir(r.required(pg, P, "data_dir", "the PostgreSQL data directory"), r);
        Path binDir = existingDir(r.string(pg, P, "bin_dir"), P + ".bin_dir", r);
        String pgpassText = r.string(pg, P, "pgpass");
        Path pgpass = path(pgpassText, P + ".pgpass", r);
        if (pgpassText == null && dataDir != null && memberName != null) {
            Path parent = dataDir.toAbsolutePath().normalize().getParent();
            pgpass = (parent == null ? Path.of("/") : parent).resolve(".pgpass_" + memberName);
        }
        int pgCtlTimeout = r.integer(pg, P, "pg_ctl_timeout", 60, 1);
        String database = r.string(pg, P, "database");

        String authPath = P + ".authentication";
        Map<String, Object> auth = r.map(pg, P, "authentication");
        HasConfig.Credentials superuser = credentials(auth, authPath, "superuser", "postgres", r);
        HasConfig.Credentials replication = credentials(auth, authPath, "replication", "replicator", r);
        HasConfig.Credentials rewind = auth.get("rewind") == null ? null
                : credentials(auth, authPath, "rewind", null, r);

        Map<String, Object> parameters = r.map(pg, P, "parameters");
        List<String> pgHba = r.stringList(pg, P, "pg_hba");
        boolean useUnixSocket = r.bool(pg, P, "use_unix_socket", false);
        r.bool(pg, P, "use_unix_socket_repl", false);
        r.bool(pg, P, "use_pg_rewind", false);
        r.bool(pg, P, "remove_data_directory_on_rewind_failure", false);
        r.bool(pg, P, "remove_data_directory_on_diverged_timelines", false);
        r.map(pg, P, "callbacks");
        r.map(pg, P, "bin_name");
        r.string(pg, P, "dialect");

        List<String> methods = new ArrayList<>();
        if (pg.get("create_replica_methods") instanceof String s && !s.isBlank()) {
            methods.add(s.strip());
        } else {
            methods.addAll(r.stringList(pg, P, "create_replica_methods"));
        }
        if (methods.isEmpty()) {
            methods.add("basebackup");
        }
        List<String> basebackup = CommandOptions.parse(pg.get("basebackup"), P + ".basebackup", r,
                BASEBACKUP_NOT_ALLOWED);

        if (listen == null || connect == null || dataDir == null) {
            return null;
        }
        return new HasConfig.Postgresql(String.join(",", listen.hosts()), listen.port(), connect, dataDir, binDir,
                pgpass, pgCtlTimeout, database == null || database.isBlank() ? "postgres" : database, superuser,
                replication, rewind, Frozen.map(parameters), List.copyOf(pgHba), useUnixSocket,
                List.copyOf(methods), List.copyOf(basebackup));
    }

    /**
     * Parses Patroni's {@code host[,host2]:port}, splitting at the last colon. Hosts may be {@code *},
     * {@code 0.0.0.0} or bracketed IPv6 addresses.
     */
    static Listen parseListen(String value, String path, TreeReader r) {
        String v = value.strip();
        int colon = v.lastIndexOf(':');
        if (colon < 0) {
            r.error(path, "expected host:port, got '" + value + "'");
            return null;
        }
        List<String> hosts = new ArrayList<>();
        for (String h : v.substring(0, colon).split(",")) {
            String t = h.strip();
            if (t.startsWith("[") && t.endsWith("]")) {
                t = t.substring(1, t.length() - 1);
            }
            if (t.isEmpty()) {
                r.error(path, "expected host[,host...]:port with non-empty hosts, got '" + value + "'");
                return null;
            }
            hosts.add(t);
        }
        Integer port = port(v.substring(colon + 1), value, path, r);
        return port == null ? null : new Listen(hosts, port);
    }

    private static Integer port(String text, String value, String path, TreeReader r) {
        int port;
        try {
            port = Integer.parseInt(text.strip());
        } catch (NumberFormatException e) {
            r.error(path, "port is not a number in '" + value + "'");
            return null;
        }
        if (port < 1 || port > 65535) {
            r.error(path, "port out of range 1..65535 in '" + value + "'");
            return null;
        }
        return port;
    }

    private static HostPort connectAddress(Map<String, Object> pg, Listen listen, String listenText, TreeReader r) {
        String path = P + ".connect_address";
        String text = r.string(pg, P, "connect_address");
        if (text != null) {
            return hostPort(text, path, r);
        }
        if (listen == null) {
            return null;
        }
        String first = listen.hosts().get(0);
        if (WILDCARDS.contains(first)) {
            r.error(path, "missing; required because postgresql.listen ('" + listenText
                    + "') binds to all addresses: set the host:port other members use to reach this server");
            return null;
        }
        return new HostPort(first, listen.port());
    }

    static HostPort hostPort(String text, String path, TreeReader r) {
        try {
            return HostPort.parse(text);
        } catch (IllegalArgumentException e) {
            r.error(path, e.getMessage());
            return null;
        }
    }

    private static Path dataDir(String text, TreeReader r) {
        String path = P + ".data_dir";
        Path dir = path(text, path, r);
        if (dir == null) {
            return null;
        }
        Path parent = dir.toAbsolutePath().normalize().getParent();
        if (Files.exists(dir) && !Files.isDirectory(dir)) {
            r.error(path, "'" + dir + "' exists but is not a directory");
        } else if (parent != null && !Files.isDirectory(parent)) {
            r.error(path, "parent directory '" + parent + "' does not exist");
        } else if (parent != null && !Files.isReadable(parent)) {
            r.error(path, "parent directory '" + parent + "' is not readable");
        } else {
            return dir;
        }
        return null;
    }

    private static Path existingDir(String text, String path, TreeReader r) {
        Path dir = path(text, path, r);
        if (dir != null && !Files.isDirectory(dir)) {
            r.error(path, "directory '" + dir + "' does not exist");
            return null;
        }
        return dir;
    }

    static Path path(String text, String path, TreeReader r) {
        if (text == null || text.isBlank()) {
            return null;
        }
        try {
            return Path.of(text.strip());
        } catch (InvalidPathException e) {
            r.error(path, "not a valid path: " + e.getReason());
            return null;
        }
    }

    private static HasConfig.Credentials credentials(Map<String, Object> auth, String parent, String key,
            String defaultUser, TreeReader r) {
        String path = TreeReader.join(parent, key);
        Map<String, Object> c = r.map(auth, parent, key);
        String user = r.string(c, path, "username");
        String password = r.string(c, path, "password");
        String sslmode = r.string(c, path, "sslmode");
        if (sslmode != null && !SSLMODES.contains(sslmode)) {
            r.error(path + ".sslmode", "expected one of " + String.join(", ", SSLMODES.stream().sorted().toList())
                    + ", got '" + sslmode + "'");
        }
        if (user == null || user.isBlank()) {
            user = defaultUser;
            if (user == null) {
                r.error(path + ".username", "missing required key (the user for pg_rewind)");
            }
        }
        return new HasConfig.Credentials(user, password, sslmode);
    }
}
