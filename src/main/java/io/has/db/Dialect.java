package io.has.db;

import io.has.cluster.HostPort;
import io.has.cluster.PgState;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

/**
 * Everything product- and version-specific about driving a local database server: binaries and
 * their flags, file names and formats in the data directory, control-file vocabulary, LSN text, SQL
 * text, and which server parameters HAS forces. {@link PostgresDatabase} talks only to this seam, so
 * another product (openGauss, Vastbase) or an older major version is another implementation.
 *
 * <p>Implementations are immutable and thread-safe. Unless stated otherwise, methods never return
 * null; commands are returned as argument lists (program first) ready for
 * {@link io.has.process.ProcessRunner} and never contain a password (passwords travel through the
 * password file named by {@link #passwordFileEnvironment}).
 */
public interface Dialect {

    /** Human-readable product and major version, for logs ("PostgreSQL 15"). */
    String name();

    // ---------------------------------------------------------------------------- commands

    /** Prints the server binary's version. */
    List<String> versionCommand();

    /**
     * Creates a cluster.
     *
     * @param superuser name of the bootstrap superuser
     * @param pwFile    file holding the superuser password, or null for none
     * @param options   extra options from {@code bootstrap.initdb} ({@code --key=value} or {@code --flag})
     */
    List<String> initdbCommand(Path dataDir, String superuser, Path pwFile, List<String> options);

    /** Starts the server in the background, waiting until it accepts connections; output to {@code logFile}. */
    List<String> startCommand(Path dataDir, Path logFile, int timeoutSeconds);

    /** Stops the server and waits. */
    List<String> stopCommand(Path dataDir, StopMode mode, int timeoutSeconds);

    /** Makes a running server re-read its configuration files. */
    List<String> reloadCommand(Path dataDir);

    /**
     * Clones a running server into an empty {@code dataDir}.
     *
     * @param options extra options from {@code postgresql.basebackup}
     */
    List<String> basebackupCommand(Path dataDir, HostPort source, String user, List<String> options);

    /** Rewinds a cleanly stopped {@code dataDir} to the server described by {@code sourceConninfo}. */
    List<String> rewindCommand(Path dataDir, String sourceConninfo);

    /**
     * Runs crash recovery on a stopped, not cleanly shut down data directory and exits (standard input
     * must be {@code /dev/null}). Call {@link #prepareForCrashRecovery} first.
     */
    List<String> crashRecoveryCommand(Path dataDir);

    /** Dumps the control file; parse the output with {@link #parseControlData}. */
    List<String> controlDataCommand(Path dataDir);

    /** Environment every command needs to produce parseable, untranslated output. */
    Map<String, String> commandEnvironment();

    /** Environment variable naming the password file client tools read ({@code PGPASSFILE}). */
    String passwordFileEnvironment();

    /** Environment variable naming the application a client tool reports ({@code PGAPPNAME}). */
    String applicationNameEnvironment();

    // ---------------------------------------------------------------------------- data directory

    /** The data directory holds an initialised cluster. */
    boolean isInitialized(Path dataDir);

    /** The file whose modification marks a control-file change (for caching control data). */
    Path controlFile(Path dataDir);

    /** Pid of the postmaster recorded in the data directory, if the lock file exists and is readable. */
    OptionalLong postmasterPid(Path dataDir);

    /** True when the lock file naming a postmaster exists (even if that process is gone). */
    boolean hasPidFile(Path dataDir);

    /** File name (without directory) of the server executable, to check a pid really is the server. */
    String serverExecutableName();

    /** Removes anything that would stop {@link #crashRecoveryCommand} from running (standby markers). */
    void prepareForCrashRecovery(ManagedFiles files, Path dataDir) throws IOException;

    // ---------------------------------------------------------------------------- configuration

    /**
     * Works out the effective server parameters, in file order: HAS defaults, then the cluster-wide
     * {@code dynamic} parameters, then the member's {@code local} parameters, with the parameters HAS
     * controls validated or forced and the {@code fixed} local settings applied last.
     */
    Map<String, String> serverParameters(Map<String, Object> dynamic, Map<String, Object> local,
            LocalServerSettings fixed);

    /**
     * Writes the main configuration file and the client authentication file. On first use the
     * product's own main configuration file is kept and included first.
     */
    void writeServerConfig(ManagedFiles files, Path dataDir, Map<String, String> parameters, List<String> hba)
            throws IOException;

    /**
     * Configures the data directory to start as a standby following {@code standby}, or as a primary
     * when {@code standby} is null.
     */
    void writeStandbyConfig(ManagedFiles files, Path dataDir, StandbySettings standby) throws IOException;

    /** True when the data directory is configured to start in standby mode. */
    boolean isStandbyConfigured(Path dataDir);

    /** Client-authentication lines used when no configuration gives any. */
    List<String> defaultHba();

    /** Connection string a rewind tool uses to reach its source. */
    String rewindSourceConninfo(HostPort source, String user, String database, String sslmode);

    /** True when a new upstream only takes effect after a restart (reload is not enough). */
    boolean upstreamChangeNeedsRestart();

    // ---------------------------------------------------------------------------- control data and LSN

    /** Parses the output of {@link #controlDataCommand}. */
    ControlData parseControlData(String output);

    /** Parses a textual WAL location ({@code 16/B374D848}) into a byte position. */
    long parseLsn(String text);

    /** Formats a byte position as a textual WAL location. */
    String formatLsn(long lsn);

    // ---------------------------------------------------------------------------- SQL and JDBC

    /**
     * The text of a named query from {@code sql/<dialect>/<name>.sql}; placeholders are written
     * {@code {name}} and filled by the caller with quoted identifiers or literals.
     */
    String sql(String name);

    /** Quotes an identifier (role name) for inclusion in SQL text. */
    String quoteIdent(String identifier);

    /** Quotes a string literal (password) for inclusion in SQL text. */
    String quoteLiteral(String literal);

    /** JDBC URL of a database on a server. */
    String jdbcUrl(String host, int port, String database);

    /**
     * JDBC connection properties bounding the connect, every socket read and every statement (user and
     * password are added by the caller).
     */
    Map<String, String> jdbcOptions(int connectTimeoutSeconds, int socketTimeoutSeconds,
            int statementTimeoutMillis);

    /**
     * Which state a refused connection means: {@link PgState#STARTING} or {@link PgState#STOPPING}
     * when the server said so, else null.
     */
    PgState stateFromConnectError(SQLException e);

    /**
     * The value of {@code synchronous_standby_names}: empty for none, {@code *} for "any standby"
     * (names null: strict synchronous mode without candidates blocks writes), else {@code N ("a","b")}.
     * PostgreSQL 9.6+ syntax; a dialect with another syntax overrides it.
     */
    default String synchronousStandbyNames(List<String> names, int count) {
        if (names == null) {
            return "*";
        }
        if (names.isEmpty()) {
            return "";
        }
        List<String> quoted = new java.util.ArrayList<>();
        for (String n : names) {
            quoted.add('"' + n.replace("\"", "\"\"") + '"');
        }
        return names.size() == 1 ? quoted.get(0) : Math.min(count, names.size()) + " (" + String.join(",", quoted) + ")";
    }
}
