package io.has.db.postgres;

import io.has.cluster.HostPort;
import io.has.cluster.PgState;
import io.has.db.Binaries;
import io.has.db.ControlData;
import io.has.db.DbException;
import io.has.db.Dialect;
import io.has.db.LocalServerSettings;
import io.has.db.ManagedFiles;
import io.has.db.SharedMemorySegment;
import io.has.db.StandbySettings;
import io.has.db.StopMode;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
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
 * PostgreSQL 9.6 and 10 to 17: pg_ctl, initdb, pg_basebackup, pg_rewind (same major only),
 * pg_controldata (or the control file read directly), and the SQL in {@code sql/postgresql/} (12+),
 * {@code sql/postgresql-10/} (10, 11: pg_wal functions, {@code *_lsn} columns) and
 * {@code sql/postgresql-9.6/} (pg_xlog functions, {@code *_location} columns). Standbys are
 * configured with recovery.conf up to 11 and standby.signal from 12 (see {@link PostgresConfigFiles});
 * promotion is {@code pg_ctl promote} up to 11 and {@code pg_promote()} from 12.
 *
 * <p>Verified against 9.6.24, 10.23, 11.22, 12.22, 13.23, 14.24, 15 (Debian), 16.15 and 17.11 by the
 * matrix IT (bootstrap, clone, failover, rejoin) and against 15 by {@code PostgresDatabaseIT}.
 */
public class PostgresDialect implements Dialect {

    static final String PID_FILE = "postmaster.pid";
    /** Parameters HAS controls that also go on the command line (Patroni's CMDLINE_OPTIONS). */
    private static final List<String> COMMAND_LINE = List.of("listen_addresses", "port", "cluster_name",
            "wal_level", "hot_standby", "max_connections", "max_wal_senders", "max_prepared_transactions",
            "max_locks_per_transaction", "track_commit_timestamp", "max_replication_slots", "max_worker_processes",
            "wal_log_hints");
    private static final Pattern VERSION = Pattern.compile("\\(PostgreSQL\\)\\s+(\\d+)(?:\\.(\\d+))?");

    protected final Binaries bins;
    private final int majorVersion;
    private final PostgresParameters parameters;
    private final PostgresConfigFiles configFiles;
    private final Map<String, String> sqlCache = new ConcurrentHashMap<>();
    private volatile Boolean canRewind;

    /**
     * @param binDir       directory of the PostgreSQL binaries, or null to find them on the PATH
     * @param majorVersion major version of those binaries: 9 (meaning 9.6) or 10 to 17
     */
    public PostgresDialect(Path binDir, int majorVersion) {
        this(Binaries.in(binDir), majorVersion, null);
    }

    /**
     * @param bins         where the programs are (with {@code bin_name} overrides)
     * @param majorVersion 9 (meaning 9.6) or 10 to 17
     * @param customConf   {@code postgresql.custom_conf}, or null
     */
    public PostgresDialect(Binaries bins, int majorVersion, String customConf) {
        this(bins, majorVersion, PostgresParameters.postgres(majorVersion), customConf);
    }

    private PostgresDialect(Binaries bins, int majorVersion, PostgresParameters parameters, String customConf) {
        this(bins, majorVersion, parameters, new PostgresConfigFiles(majorVersion, customConf));
    }

    /** For products derived from PostgreSQL: their own parameter rules and file layout. */
    protected PostgresDialect(Binaries bins, int majorVersion, PostgresParameters parameters,
            PostgresConfigFiles configFiles) {
        if (majorVersion < 9) {
            throw new IllegalArgumentException("PostgreSQL " + majorVersion + " is not supported (9.6 or newer)");
        }
        this.bins = bins;
        this.majorVersion = majorVersion;
        this.parameters = parameters;
        this.configFiles = configFiles;
    }

    /**
     * The dialect for the output of {@code postgres --version} ({@code postgres (PostgreSQL) 9.6.24},
     * {@code postgres (PostgreSQL) 15.8 (Debian 15.8-0+deb12u1)}), or empty when it is not PostgreSQL.
     *
     * @throws DbException when it is PostgreSQL older than 9.6
     */
    public static Optional<Dialect> fromVersionText(Binaries bins, String versionText, String customConf)
            throws DbException {
        Matcher m = VERSION.matcher(versionText);
        if (!m.find()) {
            return Optional.empty();
        }
        int major = Integer.parseInt(m.group(1));
        int minor = m.group(2) == null ? 0 : Integer.parseInt(m.group(2));
        if (major < 9 || (major == 9 && minor < 6)) {
            throw new DbException("PostgreSQL " + major + "." + minor + " is not supported (9.6 or newer)");
        }
        return Optional.of(new PostgresDialect(bins, major, customConf));
    }

    /** The major version for a {@code server_version_num} (90624 → 9, 150008 → 15). */
    public static int majorFromVersionNum(int versionNum) {
        return versionNum / 10000;
    }

    @Override
    public String name() {
        return "PostgreSQL " + (majorVersion == 9 ? "9.6" : Integer.toString(majorVersion));
    }

    /** Major version of the binaries (9 for 9.6). */
    public int majorVersion() {
        return majorVersion;
    }

    /** The program for a PostgreSQL tool name, honouring {@code bin_name}. */
    protected String bin(String tool) {
        return bins.program(tool, tool);
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

    /** {@inheritDoc} {@code --no-sync}; 9.6 spells it {@code --nosync}. */
    @Override
    public Optional<String> initdbNoSyncOption() {
        return Optional.of(majorVersion >= 10 ? "--no-sync" : "--nosync");
    }

    @Override
    public List<String> startCommand(Path dataDir, Path logFile, int timeoutSeconds, boolean standby,
            Map<String, String> commandLine) {
        List<String> c = new ArrayList<>(List.of(bin("pg_ctl"), "start", "-D", dataDir.toString(), "-w", "-t",
                Integer.toString(timeoutSeconds), "-l", logFile.toString()));
        if (!commandLine.isEmpty()) {
            c.add("-o");
            c.add(serverOptions(commandLine));
        }
        return c;
    }

    /**
     * {@code -c name=value} options for pg_ctl's {@code -o}, which pg_ctl hands to a shell: each
     * option is single-quoted.
     */
    static String serverOptions(Map<String, String> params) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            if (b.length() > 0) {
                b.append(' ');
            }
            b.append("-c '").append((e.getKey() + "=" + e.getValue()).replace("'", "'\\''")).append('\'');
        }
        return b.toString();
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
    public List<String> promoteCommand(Path dataDir, int timeoutSeconds, int newTimeline) {
        if (majorVersion >= 12) {
            return List.of(); // SELECT pg_promote(true, timeout)
        }
        if (majorVersion >= 10) {
            return List.of(bin("pg_ctl"), "promote", "-D", dataDir.toString(), "-w", "-t",
                    Integer.toString(timeoutSeconds));
        }
        return List.of(bin("pg_ctl"), "promote", "-D", dataDir.toString()); // 9.6: no -w for promote
    }

    @Override
    public List<String> basebackupCommand(Path dataDir, HostPort source, String user, List<String> options) {
        List<String> c = new ArrayList<>(List.of(bin("pg_basebackup"), "-D", dataDir.toString(), "-h", source.host(),
                "-p", Integer.toString(source.port()), "-U", user, "-X", "stream", "-c", "fast", "-w"));
        c.addAll(options); // later options win, so the configured ones may override the defaults
        return c;
    }

    /**
     * {@inheritDoc} {@code --no-sync} from 10 on (by the dialect's version: Debian's newer pg_basebackup
     * cloning 9.6 keeps its own sync, and 9.6's own does not sync at all).
     */
    @Override
    public Optional<String> basebackupNoSyncOption() {
        return majorVersion >= 10 ? Optional.of("--no-sync") : Optional.empty();
    }

    /**
     * {@inheritDoc} {@code recovery_init_sync_method = syncfs}, from 14 on. A clone is not a cleanly shut
     * down cluster, so its first start syncs the whole data directory before recovery; by default
     * (fsync) that opens and syncs every file, a long wait on a large cluster.
     */
    @Override
    public Optional<Map.Entry<String, String>> syncfsAtStartParameter() {
        return majorVersion >= 14 ? Optional.of(Map.entry("recovery_init_sync_method", "syncfs")) : Optional.empty();
    }

    /** {@inheritDoc} {@code --no-sync}, from 12 on. */
    @Override
    public Optional<String> rewindNoSyncOption() {
        return majorVersion >= 12 ? Optional.of("--no-sync") : Optional.empty();
    }

    @Override
    public List<String> rewindCommand(Path dataDir, String sourceConninfo) {
        return List.of(bin("pg_rewind"), "--target-pgdata=" + dataDir, "--source-server=" + sourceConninfo,
                "--progress");
    }

    @Override
    public boolean canRewind() {
        Boolean c = canRewind;
        if (c == null) {
            c = bins.exists("pg_rewind", "pg_rewind") && bins.version("pg_rewind", "pg_rewind")
                    .map(v -> sameMajor(v, majorVersion)).orElse(false);
            canRewind = c;
        }
        return c;
    }

    /** True when a {@code --version} line names this major version ({@code pg_rewind (PostgreSQL) 15.8}). */
    static boolean sameMajor(String versionLine, int major) {
        Matcher m = VERSION.matcher(versionLine);
        return m.find() && Integer.parseInt(m.group(1)) == major;
    }

    @Override
    public List<String> crashRecoveryCommand(Path dataDir, Map<String, String> parameters) {
        // As Patroni does: keep WAL segments (marked .ready, never archived) so pg_rewind can still read them.
        List<String> c = new ArrayList<>(List.of(bin("postgres"), "--single", "-D", dataDir.toString(), "-c",
                "archive_mode=on", "-c", "archive_command=false"));
        parameters.forEach((k, v) -> c.addAll(List.of("-c", k + "=" + v)));
        c.add("postgres");
        return c;
    }

    @Override
    public List<String> controlDataCommand(Path dataDir) {
        if (!bins.exists("pg_controldata", "pg_controldata")) {
            return List.of();
        }
        return List.of(bin("pg_controldata"), "-D", dataDir.toString());
    }

    @Override
    public ControlData readControlFile(Path dataDir) throws IOException {
        return ControlFileReader.parse(Files.readAllBytes(controlFile(dataDir)), this);
    }

    @Override
    public ControlData completeControlData(Path dataDir, ControlData cd) {
        return cd;
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
    public Path pidFile(Path dataDir) {
        return dataDir.resolve(PID_FILE);
    }

    @Override
    public OptionalLong postmasterPid(Path dataDir) {
        return LockFile.pid(dataDir.resolve(PID_FILE));
    }

    @Override
    public boolean hasPidFile(Path dataDir) {
        return Files.exists(dataDir.resolve(PID_FILE));
    }

    @Override
    public Optional<SharedMemorySegment> sharedMemory(Path dataDir) {
        return LockFile.sharedMemory(dataDir.resolve(PID_FILE));
    }

    /** {@inheritDoc} PostgreSQL 10 and newer: the status line of postmaster.pid, as pg_ctl -w reads it. */
    @Override
    public boolean lockFileSaysStarted(Path dataDir, long notBeforeEpochSecond, long previousPid) {
        return majorVersion >= 10 && LockFile.startedUp(dataDir.resolve(PID_FILE), notBeforeEpochSecond, previousPid);
    }

    @Override
    public String serverExecutableName() {
        return Path.of(bin("postgres")).getFileName().toString();
    }

    @Override
    public void prepareForCrashRecovery(ManagedFiles files, Path dataDir) throws IOException {
        configFiles.prepareForCrashRecovery(files, dataDir);
    }

    // ---------------------------------------------------------------------------- configuration

    @Override
    public Map<String, String> serverParameters(Map<String, Object> dynamic, Map<String, Object> local,
            LocalServerSettings fixed) {
        return parameters.effective(dynamic, local, fixed);
    }

    @Override
    public Map<String, String> commandLineParameters(Map<String, String> effective) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String name : COMMAND_LINE) {
            if (effective.containsKey(name)) {
                out.put(name, effective.get(name));
            }
        }
        return out;
    }

    @Override
    public void writeServerConfig(ManagedFiles files, Path dataDir, Map<String, String> params, List<String> hba)
            throws IOException {
        configFiles.writeServerConfig(files, dataDir, params, hba);
    }

    /** The text of postgresql.conf for these effective parameters. */
    String renderConf(Map<String, String> params) {
        return configFiles.renderConf(params);
    }

    @Override
    public void writeStandbyConfig(ManagedFiles files, Path dataDir, StandbySettings standby) throws IOException {
        configFiles.writeStandbyConfig(files, dataDir, standby);
    }

    /** The text of the standby configuration (postgresql.standby.conf or recovery.conf). */
    String renderStandbyConf(StandbySettings s) {
        return configFiles.renderStandbyConf(s);
    }

    /** The libpq connection string a standby uses to reach its upstream. */
    String primaryConninfo(StandbySettings s) {
        return configFiles.primaryConninfo(s);
    }

    @Override
    public boolean isStandbyConfigured(Path dataDir) {
        return configFiles.isStandbyConfigured(dataDir);
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
        return PostgresConfigFiles.conninfo(kv);
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
    public String memberNameFromApplicationName(String applicationName) {
        return applicationName;
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
    public String sqlFolder() {
        if (majorVersion >= 12) {
            return "postgresql";
        }
        return majorVersion >= 10 ? "postgresql-10" : "postgresql-9.6";
    }

    /** PostgreSQL 9.6 and later: {@code pg_create_physical_replication_slot(name, immediately_reserve)}. */
    @Override
    public boolean slotsOnStandby() {
        return true;
    }

    @Override
    public String sql(String name) {
        return sqlCache.computeIfAbsent(name, n -> {
            String resource = "/sql/" + sqlFolder() + "/" + n + ".sql";
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
    public String jdbcDriverClass() {
        return "org.postgresql.Driver";
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
