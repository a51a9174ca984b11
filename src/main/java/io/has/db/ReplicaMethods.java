package io.has.db;

import io.has.config.HasConfig;
import io.has.util.CommandLineSplitter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Patroni's {@code create_replica_methods}: an ordered list of ways to clone a member, tried until
 * one succeeds. {@code basebackup} (alias {@code pg_basebackup}) is the dialect's base backup; any
 * other name refers to the section {@code postgresql.<name>} with a {@code command} and options.
 * As in Patroni, a custom command is called with {@code --scope=<scope> --role=replica
 * --datadir=<data> --connstring=postgres://<replication user>@<host>:<port>/<database>} (unless
 * {@code no_params}) followed by every other option of the section as {@code --key=value}; the
 * password reaches it through the password file named in the dialect's environment variable
 * ({@code PGPASSFILE}). {@code keep_data: true} keeps the data directory's contents for the command;
 * otherwise it is emptied first.
 */
public final class ReplicaMethods {

    /** One way to clone: the base backup (command null) or a custom command. */
    public record Method(String name, List<String> command, boolean keepData) {
        public boolean isBasebackup() {
            return command == null;
        }
    }

    private static final Set<String> RESERVED = Set.of("command", "keep_data", "no_params", "no_master", "no_leader");

    private ReplicaMethods() {
    }

    /**
     * The configured methods in order, each resolved to its command for this clone; methods without a
     * {@code command} are skipped.
     */
    public static List<Method> resolve(HasConfig config, Upstream source) {
        HasConfig.Postgresql pg = config.postgresql();
        List<Method> out = new ArrayList<>();
        List<String> names = pg.createReplicaMethods().isEmpty() ? List.of("basebackup") : pg.createReplicaMethods();
        for (String name : names) {
            if (name.equals("basebackup") || name.equals("pg_basebackup")) {
                out.add(new Method(name, null, false));
                continue;
            }
            Map<String, Object> section = section(config.raw(), name);
            Object command = section.get("command");
            if (command == null || String.valueOf(command).isBlank()) {
                continue;
            }
            List<String> cmd = new ArrayList<>(CommandLineSplitter.split(String.valueOf(command)));
            if (!truthy(section.get("no_params"))) {
                cmd.add("--scope=" + config.scope());
                cmd.add("--role=replica");
                cmd.add("--datadir=" + pg.dataDir().toAbsolutePath().normalize());
                cmd.add("--connstring=" + connstring(pg.replication().username(), source, pg.database()));
            }
            for (Map.Entry<String, Object> e : section.entrySet()) {
                if (!RESERVED.contains(e.getKey())) {
                    cmd.add("--" + e.getKey() + "=" + e.getValue());
                }
            }
            out.add(new Method(name, List.copyOf(cmd), truthy(section.get("keep_data"))));
        }
        return out;
    }

    /** {@code postgres://user@host:port/database}, as Patroni passes it. */
    static String connstring(String user, Upstream source, String database) {
        String host = source.address().host();
        host = host.contains(":") ? "[" + host + "]" : host;
        return "postgres://" + (user == null ? "" : user + "@") + host + ":" + source.address().port() + "/" + database;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> section(Map<String, Object> raw, String name) {
        if (raw != null && raw.get("postgresql") instanceof Map<?, ?> pg && pg.get(name) instanceof Map<?, ?> m) {
            return new LinkedHashMap<>((Map<String, Object>) m);
        }
        return Map.of();
    }

    private static boolean truthy(Object v) {
        return v instanceof Boolean b ? b : v != null && Set.of("true", "on", "yes", "1").contains(
                String.valueOf(v).trim().toLowerCase());
    }
}
