package io.has.db.postgres;

import io.has.cluster.HostPort;
import io.has.cluster.PgState;
import io.has.db.ControlData;
import io.has.db.DbException;
import io.has.db.Dialect;
import io.has.db.LocalServerSettings;
import io.has.db.ManagedFiles;
import io.has.db.StandbySettings;
import io.has.db.StopMode;
import io.has.process.ProcessResult;
import io.has.process.ProcessRunner;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.OptionalLong;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * PostgreSQL 12 to 17 (verified against 15): pg_ctl, initdb, pg_basebackup, pg_rewind, standby.signal
 * and primary_conninfo, pg_controldata, the SQL in {@code sql/postgresql/}.
 *
 * <p>Configuration layout in the data directory (Patroni style): initdb's {@code postgresql.conf} is
 * renamed {@code postgresql.base.conf} once and included first by the HAS-written
 * {@code postgresql.conf}, which then sets HAS's parameters and finally includes
 * {@code postgresql.standby.conf} (primary_conninfo, primary_slot_name) when it exists.
 */
public class PostgresDialect implements Dialect {

    /** First line of every configuration file HAS writes; marks a file as HAS's own. */
    static final String MANAGED_HEADER = "# Managed by HAS: rewritten on every start and configuration change. Do not edit.";
    static final String CONF = "postgresql.conf";
    static final String BASE_CONF = "postgresql.base.conf";
    static final String STANDBY_CONF = "postgresql.standby.conf";
    static final String HBA = "pg_hba.conf";
    static final String STANDBY_SIGNAL = "standby.signal";
    static final String RECOVERY_SIGNAL = "recovery.signal";
    static final String PID_FILE = "postmaster.pid";
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)");

    private final Path binDir;
    private final int majorVersion;
    private final PostgresParameters parameters;
    private final Map<String, String> sqlCache = new ConcurrentHashMap<>();

    /**
     * @param binDir       directory of the PostgreSQL binaries, or null to find them on the PATH
     * @param majorVersion major version of those binaries (12 to 17)
     */
    public PostgresDialect(Path binDir, int majorVersion) {
        if (majorVersion < 12) {
            throw new IllegalArgumentException("PostgreSQL " + majorVersion + " is not supported (12 or newer)");
        }
        this.binDir = binDir;
        this.majorVersion = majorVersion;
        this.parameters = new PostgresParameters(majorVersion);
    }

    /**
     * Recognises PostgreSQL binaries from {@code postgres --version}.
     *
     * @return the dialect, or empty when {@code binDir} holds no PostgreSQL server binary
     * @throws DbException when it is PostgreSQL older than 12
     */
    public static Optional<Dialect> detect(Path binDir, ProcessRunner runner) throws DbException {
        String bin = binDir == null ? "postgres" : binDir.resolve("postgres").toString();
        try {
            ProcessResult r = runner.run(List.of(bin, "--version"), Duration.ofSeconds(10));
            return r.ok() ? fromVersionText(binDir, r.stdout()) : Optional.empty();
        } catch (IOException e) {
            return Optional.empty();
        }
    }

    /** The dialect for the output of {@code postgres --version}, or empty when it is not PostgreSQL. */
    static Optional<Dialect> fromVersionText(Path binDir, String versionText) throws DbException {
        Matcher m = VERSION.matcher(versionText);
        if (!m.find()) {
            return Optional.empty();
        }
        int major = Integer.parseInt(m.group(1));
        if (major < 12) {
            throw new DbException("PostgreSQL " + major + " is not supported yet (12 or newer)");
        }
        return Optional.of(new PostgresDialect(binDir, major));
    }

    @Override
    public String name() {
        return "PostgreSQL " + majorVersion;
    }

    /** Major version of the binaries. */
    public int majorVersion() {
        return majorVersion;
    }

    private String bin(String name) {
        return binDir == null ? name : binDir.resolve(name).toString();
    }

    // ---------------------------------------------------------------------------- commands

    @Override
    public List<String> versionCommand() {
        return List.of(bin("postgres"), "--version");
    }

    @Override
    public List<String> initdbCommand(Path dataDir, String superuser, Path pwFile, List<String> options) {
        List<String> c = new ArrayList<>(List.of(bin("initdb"), "-D", dataDir.toString(), "--username=" + superuser));
        if (pwFile != null) {
            c.add("--pwfile=" + pwFile);
        }
        c.addAll(options);
        return c;
    }

    @Override
    public List<String> startCommand(Path dataDir, Path logFile, int timeoutSeconds) {
        return List.of(bin("pg_ctl"), "start", "-D", dataDir.toString(), "-w", "-t", Integer.toString(timeoutSeconds),
                "-l", logFile.toString());
    }

    @Override
    public List<String> stopCommand(Path dataDir, StopMode mode, int timeoutSeconds) {
        String m = mode == StopMode.IMMEDIATE ? "immediate" : "fast";
        return List.of(bin("pg_ctl"), "stop", "-D", dataDir.toString(), "-m", m, "-w", "-t",
                Integer.toString(timeoutSeconds));
    }

    @Override
    public List<String> reloadCommand(Path dataDir) {
        return List.of(bin("pg_ctl"), "reload", "-D", dataDir.toString(), "-s");
    }

    @Override
    public List<String> basebackupCommand(Path dataDir, HostPort source, String user, List<String> options) {
        List<String> c = new ArrayList<>(List.of(bin("pg_basebackup"), "-D", dataDir.toString(), "-h", source.host(),
                "-p", Integer.toString(source.port()), "-U", user, "-X", "stream", "-c", "fast", "-w"));
        c.addAll(options); // later options win, so the configured ones may override the defaults
        return c;
    }

    @Override
    public List<String> rewindCommand(Path dataDir, String sourceConninfo) {
        return List.of(bin("pg_rewind"), "--target-pgdata=" + dataDir, "--source-server=" + sourceConninfo,
                "--progress");
    }

    @Override
    public List<String> crashRecoveryCommand(Path dataDir) {
        // As Patroni does: keep WAL segments (marked .ready, never archived) so pg_rewind can still read them.
        return List.of(bin("postgres"), "--single", "-D", dataDir.toString(), "-c", "archive_mode=on", "-c",
                "archive_command=false", "postgres");
    }

    @Override
    public List<String> controlDataCommand(Path dataDir) {
        return List.of(bin("pg_controldata"), "-D", dataDir.toString());
    }

    @Override
    public Map<String, String> commandEnvironment() {
        return Map.of("LC_MESSAGES", "C");
    }

    @Override
    public String passwordFileEnvironment() {
        return "PGPASSFILE";
    }

    @Override
    public String applicationNameEnvironment() {
        return "PGAPPNAME";
    }

    // ---------------------------------------------------------------------------- data directory

    @Override
    public boolean isInitialized(Path dataDir) {
        return Files.isRegularFile(dataDir.resolve("PG_VERSION")) && Files.isRegularFile(controlFile(dataDir));
    }

    @Override
    public Path controlFile(Path dataDir) {
        return dataDir.resolve("global").resolve("pg_control");
    }

    @Override
    public OptionalLong postmasterPid(Path dataDir) {
        try {
            List<String> lines = Files.readAllLines(dataDir.resolve(PID_FILE), StandardCharsets.UTF_8);
            if (lines.isEmpty() || lines.get(0).isBlank()) {
                return OptionalLong.empty();
            }
            // a single-user backend writes its pid negated
            return OptionalLong.of(Math.abs(Long.parseLong(lines.get(0).trim())));
        } catch (IOException | NumberFormatException e) {
            return OptionalLong.empty();
        }
    }

    @Override
    public boolean hasPidFile(Path dataDir) {
        return Files.exists(dataDir.resolve(PID_FILE));
    }

    @Override
    public String serverExecutableName() {
        return "postgres";
    }

    @Override
    public void prepareForCrashRecovery(ManagedFiles files, Path dataDir) throws IOException {
        // "standby mode is not supported by single-user servers"
        files.delete(dataDir.resolve(STANDBY_SIGNAL));
        files.delete(dataDir.resolve(RECOVERY_SIGNAL));
    }

    // ---------------------------------------------------------------------------- configuration

    @Override
    public Map<String, String> serverParameters(Map<String, Object> dynamic, Map<String, Object> local,
            LocalServerSettings fixed) {
        return parameters.effective(dynamic, local, fixed);
    }

    @Override
    public void writeServerConfig(ManagedFiles files, Path dataDir, Map<String, String> params, List<String> hba)
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
        return MANAGED_HEADER + "\n"
                + "# Local settings belong in the HAS configuration (postgresql.parameters).\n"
                + "include '" + BASE_CONF + "'\n\n"
                + PostgresParameters.render(params)
                + "\n# standby settings (primary_conninfo, primary_slot_name), present only on a standby\n"
                + "include_if_exists '" + STANDBY_CONF + "'\n";
    }

    static String renderHba(List<String> hba) {
        StringBuilder b = new StringBuilder(MANAGED_HEADER).append('\n');
        for (String line : hba) {
            b.append(line.replace('\n', ' ')).append('\n');
        }
        return b.toString();
    }

    @Override
    public void writeStandbyConfig(ManagedFiles files, Path dataDir, StandbySettings standby) throws IOException {
        files.delete(dataDir.resolve(RECOVERY_SIGNAL));
        if (standby == null) {
            files.delete(dataDir.resolve(STANDBY_SIGNAL));
            files.delete(dataDir.resolve(STANDBY_CONF));
            return;
        }
        files.write(dataDir.resolve(STANDBY_CONF), renderStandbyConf(standby));
        files.write(dataDir.resolve(STANDBY_SIGNAL), "");
    }

    /** The text of postgresql.standby.conf. */
    String renderStandbyConf(StandbySettings s) {
        Map<String, String> p = new LinkedHashMap<>();
        if (s.upstream() != null) {
            p.put("primary_conninfo", primaryConninfo(s));
            if (s.slotName() != null) {
                p.put("primary_slot_name", s.slotName());
            }
        }
        p.put("recovery_target_timeline", "latest");
        return MANAGED_HEADER + "\n" + PostgresParameters.render(p);
    }

    /** The libpq connection string a standby uses to reach its upstream. */
    String primaryConninfo(StandbySettings s) {
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put("host", s.upstream().host());
        kv.put("port", Integer.toString(s.upstream().port()));
        kv.put("user", s.user());
        if (s.passfile() != null) {
            kv.put("passfile", s.passfile().toString());
        }
        kv.put("sslmode", s.sslmode());
        kv.put("application_name", s.applicationName());
        return conninfo(kv);
    }

    @Override
    public boolean isStandbyConfigured(Path dataDir) {
        return Files.exists(dataDir.resolve(STANDBY_SIGNAL));
    }

    @Override
    public List<String> defaultHba() {
        return List.of(
                "local   all          all                  peer",
                "host    all          all      127.0.0.1/32 md5",
                "host    all          all      ::1/128      md5",
                "host    replication  all      0.0.0.0/0    md5",
                "host    replication  all      ::/0         md5",
                "host    all          all      0.0.0.0/0    md5",
                "host    all          all      ::/0         md5");
    }

    @Override
    public String rewindSourceConninfo(HostPort source, String user, String database, String sslmode) {
        Map<String, String> kv = new LinkedHashMap<>();
        kv.put("host", source.host());
        kv.put("port", Integer.toString(source.port()));
        kv.put("user", user);
        kv.put("dbname", database);
        kv.put("sslmode", sslmode);
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

    @Override
    public boolean upstreamChangeNeedsRestart() {
        return majorVersion < 13; // primary_conninfo and primary_slot_name became reloadable in 13
    }

    // ---------------------------------------------------------------------------- control data and LSN

    @Override
    public ControlData parseControlData(String output) {
        return ControlDataParser.parse(output, this);
    }

    @Override
    public long parseLsn(String text) {
        int slash = text.indexOf('/');
        if (slash <= 0) {
            throw new IllegalArgumentException("not a WAL location: '" + text + "'");
        }
        long hi = Long.parseLong(text.substring(0, slash).trim(), 16);
        long lo = Long.parseLong(text.substring(slash + 1).trim(), 16);
        if (hi > 0xFFFFFFFFL || lo > 0xFFFFFFFFL) {
            throw new IllegalArgumentException("not a WAL location: '" + text + "'");
        }
        return (hi << 32) | lo;
    }

    @Override
    public String formatLsn(long lsn) {
        return Long.toHexString(lsn >>> 32).toUpperCase() + "/" + Long.toHexString(lsn & 0xFFFFFFFFL).toUpperCase();
    }

    // ---------------------------------------------------------------------------- SQL and JDBC

    @Override
    public String sql(String name) {
        return sqlCache.computeIfAbsent(name, n -> {
            String resource = "/sql/postgresql/" + n + ".sql";
            try (InputStream in = PostgresDialect.class.getResourceAsStream(resource)) {
                if (in == null) {
                    throw new IllegalStateException("missing SQL resource " + resource);
                }
                return new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            } catch (IOException e) {
                throw new UncheckedIOException("cannot read SQL resource " + resource, e);
            }
        });
    }

    @Override
    public String quoteIdent(String identifier) {
        rejectNul(identifier);
        return "\"" + identifier.replace("\"", "\"\"") + "\"";
    }

    @Override
    public String quoteLiteral(String literal) {
        rejectNul(literal);
        // standard_conforming_strings is on (the default since 9.1); E'' makes backslashes explicit anyway
        String body = literal.replace("'", "''");
        return body.contains("\\") ? "E'" + body.replace("\\", "\\\\") + "'" : "'" + body + "'";
    }

    private static void rejectNul(String s) {
        if (s.indexOf('\0') >= 0) {
            throw new IllegalArgumentException("NUL character in SQL text");
        }
    }

    @Override
    public String jdbcUrl(String host, int port, String database) {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "jdbc:postgresql://" + h + ":" + port + "/" + database;
    }

    @Override
    public Map<String, String> jdbcOptions(int connectTimeoutSeconds, int socketTimeoutSeconds,
            int statementTimeoutMillis) {
        return Map.of(
                "connectTimeout", Integer.toString(connectTimeoutSeconds),
                "socketTimeout", Integer.toString(socketTimeoutSeconds),
                "options", "-c statement_timeout=" + statementTimeoutMillis,
                "ApplicationName", "has",
                "tcpKeepAlive", "true");
    }

    @Override
    public PgState stateFromConnectError(SQLException e) {
        for (Throwable t = e; t != null; t = t.getCause()) {
            if (t instanceof SQLException s && "57P03".equals(s.getSQLState())) { // cannot_connect_now
                String m = String.valueOf(s.getMessage());
                return m.contains("shutting down") ? PgState.STOPPING : PgState.STARTING;
            }
        }
        return null;
    }
}
