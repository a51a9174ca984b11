package io.has.db;

import io.has.cluster.SlotNames;
import io.has.config.DynamicConfig;
import io.has.config.HasConfig;
import java.io.IOException;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Writes the configuration HAS owns: the password file, the server configuration and client
 * authentication files, and the standby configuration. Remembers the current cluster-wide
 * configuration and the role the data directory was last configured for, so a later rewrite (after a
 * dynamic configuration change) keeps it.
 */
final class ServerConfigurator {

    private final HasConfig config;
    private final Dialect dialect;
    private final ManagedFiles files;
    private final ServerPaths paths;
    private volatile DynamicConfig dynamic = DynamicConfig.DEFAULT;
    /** synchronous_standby_names as HAS manages it, or null while synchronous mode never touched it. */
    private volatile String synchronousStandbyNames;
    /** Last standby role written: null = not known yet (daemon restart), else the role. */
    private volatile Role role;

    /** The role the data directory is configured for: primary, or standby following {@code upstream}. */
    record Role(boolean standby, Upstream upstream) {
    }

    ServerConfigurator(HasConfig config, Dialect dialect, ManagedFiles files, ServerPaths paths) {
        this.config = config;
        this.dialect = dialect;
        this.files = files;
        this.paths = paths;
    }

    DynamicConfig dynamic() {
        return dynamic;
    }

    void setDynamic(DynamicConfig dc) {
        this.dynamic = dc == null ? DynamicConfig.DEFAULT : dc;
    }

    String synchronousStandbyNames() {
        return synchronousStandbyNames;
    }

    void setSynchronousStandbyNames(String value) {
        this.synchronousStandbyNames = value;
    }

    /** The role last written, or null when not known. */
    Role role() {
        return role;
    }

    /** Writes the password file; its directory must exist. */
    void writePgpass() throws IOException {
        StringBuilder b = new StringBuilder();
        HasConfig.Postgresql pg = config.postgresql();
        for (HasConfig.Credentials c : new HasConfig.Credentials[] {pg.replication(), pg.superuser(), pg.rewind()}) {
            if (c != null && c.username() != null && c.password() != null) {
                b.append("*:*:*:").append(pgpassEscape(c.username())).append(':').append(pgpassEscape(c.password()))
                        .append('\n');
            }
        }
        files.createDirectory(paths.pgpass().getParent());
        files.write(paths.pgpass(), b.toString());
    }

    static String pgpassEscape(String s) {
        return s.replace("\\", "\\\\").replace(":", "\\:");
    }

    /** Writes all files for the given role (also creates the socket directory and password file). */
    void writeAll(Role newRole) throws IOException {
        writePgpass();
        writeServerConfig();
        writeStandby(newRole);
    }

    /** Rewrites the server configuration and authentication files from the current settings. */
    void writeServerConfig() throws IOException {
        files.createDirectory(paths.socketDir());
        var params = new LinkedHashMap<>(effectiveParameters());
        if (synchronousStandbyNames != null) {
            params.put("synchronous_standby_names", synchronousStandbyNames);
        }
        dialect.writeServerConfig(files, paths.dataDir(), params, hba());
    }

    /** The controlled parameters for the server's command line (they win over postgresql.auto.conf). */
    Map<String, String> commandLineParameters() {
        return commandLineParameters(false);
    }

    /**
     * Like {@link #commandLineParameters()}; with {@code syncfsAtStart}, also the dialect's parameter
     * that makes the start-up sync one syncfs(2), unless the configuration sets that parameter itself.
     */
    Map<String, String> commandLineParameters(boolean syncfsAtStart) {
        Map<String, String> effective = effectiveParameters();
        Map<String, String> out = dialect.commandLineParameters(effective);
        Optional<Map.Entry<String, String>> syncfs = syncfsAtStart ? syncfsAtStartParameter(effective)
                : Optional.empty();
        if (syncfs.isPresent()) {
            out = new LinkedHashMap<>(out);
            out.put(syncfs.get().getKey(), syncfs.get().getValue());
        }
        return out;
    }

    /** The dialect's syncfs start-up parameter, unless the configuration sets that parameter itself. */
    Optional<Map.Entry<String, String>> syncfsAtStartParameter() {
        return syncfsAtStartParameter(effectiveParameters());
    }

    private Optional<Map.Entry<String, String>> syncfsAtStartParameter(Map<String, String> effective) {
        return dialect.syncfsAtStartParameter().filter(p -> !effective.containsKey(p.getKey()));
    }

    /** The server parameters from the dynamic and local configuration, with the ones HAS fixes. */
    private Map<String, String> effectiveParameters() {
        HasConfig.Postgresql pg = config.postgresql();
        LocalServerSettings fixed = new LocalServerSettings(pg.listenAddresses(), pg.port(), config.scope(),
                paths.socketDir());
        return dialect.serverParameters(dynamic.pgParameters(), pg.parameters(), fixed);
    }

    /** Writes the standby configuration for {@code newRole} and remembers it. */
    void writeStandby(Role newRole) throws IOException {
        dialect.writeStandbyConfig(files, paths.dataDir(), newRole.standby() ? standbySettings(newRole.upstream())
                : null);
        role = newRole;
    }

    /** Rewrites the standby configuration for the remembered role (when known), e.g. after use_slots changed. */
    void rewriteStandby() throws IOException {
        Role r = role;
        if (r != null) {
            writeStandby(r);
        }
    }

    StandbySettings standbySettings(Upstream upstream) {
        HasConfig.Credentials repl = config.postgresql().replication();
        String sslmode = repl.sslmode() != null ? repl.sslmode() : "prefer";
        return new StandbySettings(upstream == null ? null : upstream.address(), repl.username(), paths.pgpass(),
                config.name(), sslmode, dynamic.useSlots() ? SlotNames.forMember(config.name()) : null);
    }

    /** pg_hba lines: local, else bootstrap, else dynamic, else the dialect's default. */
    List<String> hba() {
        HasConfig.Postgresql pg = config.postgresql();
        if (pg.pgHba() != null && !pg.pgHba().isEmpty()) {
            return pg.pgHba();
        }
        if (config.bootstrap() != null && config.bootstrap().pgHba() != null && !config.bootstrap().pgHba().isEmpty()) {
            return config.bootstrap().pgHba();
        }
        if (dynamic.pgHba() != null && !dynamic.pgHba().isEmpty()) {
            List<String> lines = new ArrayList<>();
            dynamic.pgHba().forEach(o -> lines.add(String.valueOf(o)));
            return lines;
        }
        return dialect.defaultHba();
    }
}
