package io.has.db.postgres;

import io.has.db.ManagedFiles;
import io.has.db.StandbySettings;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The configuration files HAS writes into a PostgreSQL data directory (Patroni style), following the
 * seed's precedence: {@code postgresql.base.conf} (initdb's file, renamed once) or the configured
 * {@code custom_conf} is included first by the HAS-written {@code postgresql.conf}; then
 * {@code postgresql.auto.conf} (the server reads it after postgresql.conf); then the command line.
 *
 * <p>Standby configuration: 12 and newer {@code standby.signal} plus {@code postgresql.standby.conf}
 * (included last by postgresql.conf); 9.6 to 11 {@code recovery.conf} with {@code standby_mode}.
 * Verified against PostgreSQL 9.6.24, 10.23, 11.22, 12.22, 13.23, 14.24, 15, 16.15, 17.11 (matrix IT).
 */
public final class PostgresConfigFiles {

    /** First line of every configuration file HAS writes; marks a file as HAS's own. */
    public static final String MANAGED_HEADER = "# Managed by HAS: rewritten on every start and configuration change. Do not edit.";
    static final String CONF = "postgresql.conf";
    static final String BASE_CONF = "postgresql.base.conf";
    public static final String STANDBY_CONF = "postgresql.standby.conf";
    static final String RECOVERY_CONF = "recovery.conf";
    static final String HBA = "pg_hba.conf";
    static final String STANDBY_SIGNAL = "standby.signal";
    static final String RECOVERY_SIGNAL = "recovery.signal";

    private final boolean recoveryConf;
    private final boolean passfileOption;
    private final String customConf;

    /**
     * @param major      major version (9 for 9.6)
     * @param customConf {@code postgresql.custom_conf}: file included instead of postgresql.base.conf, or null
     */
    PostgresConfigFiles(int major, String customConf) {
        // libpq 9.6 rejects passfile=; its walreceiver reads PGPASSFILE from the environment instead
        this(major < 12, major >= 10, customConf);
    }

    /**
     * @param recoveryConf   standby settings in recovery.conf (9.6 to 11) instead of an included file
     * @param passfileOption the server's libpq knows {@code passfile=} (10 and newer)
     * @param customConf     {@code postgresql.custom_conf}, or null
     */
    public PostgresConfigFiles(boolean recoveryConf, boolean passfileOption, String customConf) {
        this.recoveryConf = recoveryConf;
        this.passfileOption = passfileOption;
        this.customConf = customConf;
    }

    void writeServerConfig(ManagedFiles files, Path dataDir, Map<String, String> params, List<String> hba)
            throws IOException {
        Path conf = dataDir.resolve(CONF);
        Path base = dataDir.resolve(BASE_CONF);
        String existing = files.readIfExists(conf);
        if (existing != null && !existing.startsWith(MANAGED_HEADER) && !Files.exists(base)) {
            files.rename(conf, base); // keep initdb's file, once, as the first include
        } else if (!Files.exists(base)) {
            files.write(base, "# Created by HAS: initdb's postgresql.conf was not found.\n");
        }
        files.write(conf, renderConf(params));
        files.write(dataDir.resolve(HBA), renderHba(hba));
    }

    /** The text of postgresql.conf for these effective parameters. */
    String renderConf(Map<String, String> params) {
        String first = customConf != null ? customConf : BASE_CONF;
        return MANAGED_HEADER + "\n"
                + "# Local settings belong in the HAS configuration (postgresql.parameters).\n"
                + "# Precedence: " + first + ", this file, postgresql.auto.conf, the command line.\n"
                + "include " + PostgresParameters.quote(first) + "\n\n"
                + PostgresParameters.render(params)
                + (recoveryConf ? ""
                        : "\n# standby settings (primary_conninfo, primary_slot_name), present only on a standby\n"
                        + "include_if_exists '" + STANDBY_CONF + "'\n");
    }

    static String renderHba(List<String> hba) {
        StringBuilder b = new StringBuilder(MANAGED_HEADER).append('\n');
        for (String line : hba) {
            b.append(line.replace('\n', ' ')).append('\n');
        }
        return b.toString();
    }

    void writeStandbyConfig(ManagedFiles files, Path dataDir, StandbySettings standby) throws IOException {
        files.delete(dataDir.resolve(RECOVERY_SIGNAL));
        if (standby == null) {
            files.delete(dataDir.resolve(STANDBY_SIGNAL));
            files.delete(dataDir.resolve(STANDBY_CONF));
            files.delete(dataDir.resolve(RECOVERY_CONF));
            return;
        }
        if (recoveryConf) {
            files.write(dataDir.resolve(RECOVERY_CONF), renderStandbyConf(standby));
        } else {
            files.write(dataDir.resolve(STANDBY_CONF), renderStandbyConf(standby));
            files.write(dataDir.resolve(STANDBY_SIGNAL), "");
        }
    }

    /** The text of postgresql.standby.conf (12+) or recovery.conf (9.6 to 11). */
    String renderStandbyConf(StandbySettings s) {
        Map<String, String> p = new LinkedHashMap<>();
        if (recoveryConf) {
            p.put("standby_mode", "on");
        }
        if (s.upstream() != null) {
            p.put("primary_conninfo", primaryConninfo(s));
            if (s.slotName() != null) {
                p.put("primary_slot_name", s.slotName());
            }
        }
        if (recoveryConf) {
            // 'latest' is the default from 12 on, where the file is a configuration file: a server-start
            // parameter that leaves it at the promotion makes every later reload report "cannot be changed
            // without restarting the server" and "configuration file contains errors"
            p.put("recovery_target_timeline", "latest");
        }
        return MANAGED_HEADER + "\n" + PostgresParameters.render(p);
    }

    boolean isStandbyConfigured(Path dataDir) {
        return Files.exists(dataDir.resolve(recoveryConf ? RECOVERY_CONF : STANDBY_SIGNAL));
    }

    void prepareForCrashRecovery(ManagedFiles files, Path dataDir) throws IOException {
        // "standby mode is not supported by single-user servers"
        files.delete(dataDir.resolve(STANDBY_SIGNAL));
        files.delete(dataDir.resolve(RECOVERY_SIGNAL));
        files.delete(dataDir.resolve(RECOVERY_CONF));
    }

    /** The libpq connection string a standby uses to reach its upstream. */
    String primaryConninfo(StandbySettings s) {
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put("host", s.upstream().host());
        kv.put("port", Integer.toString(s.upstream().port()));
        kv.put("user", s.user());
        if (s.passfile() != null && passfileOption) {
            kv.put("passfile", s.passfile().toString());
        }
        kv.put("sslmode", s.sslmode());
        kv.put("application_name", s.applicationName());
        return conninfo(kv);
    }

    /** {@code key=value} pairs; values quoted with {@code '} and backslash escapes when needed. */
    static String conninfo(Map<String, String> kv) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : kv.entrySet()) {
            if (b.length() > 0) {
                b.append(' ');
            }
            String v = e.getValue();
            boolean plain = !v.isEmpty() && v.chars().noneMatch(c -> c == ' ' || c == '\'' || c == '\\'
                    || Character.isWhitespace(c));
            b.append(e.getKey()).append('=')
                    .append(plain ? v : "'" + v.replace("\\", "\\\\").replace("'", "\\'") + "'");
        }
        return b.toString();
    }
}
