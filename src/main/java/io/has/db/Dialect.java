package io.has.db;

import io.has.cluster.HostPort;
import io.has.cluster.PgState;
import java.io.IOException;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
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

    /**
     * Whether a standby can hold physical replication slots without reserving WAL (SQL
     * {@code create_standby_slot}): it then keeps one for each other member, ready for its promotion.
     */
    default boolean slotsOnStandby() {
        return false;
    }

    /**
     * initdb's option to skip its fsync of every file, for a caller that syncs the file systems itself
     * afterwards; empty when the tool has none (then it syncs itself).
     */
    default Optional<String> initdbNoSyncOption() {
        return Optional.empty();
    }

    /**
     * Starts the server in the background, waiting until it accepts connections; output to
     * {@code logFile}.
     *
     * @param standby     start in recovery (a product that picks the role at start, such as openGauss's
     *                    {@code -M standby}, needs it; PostgreSQL reads it from the data directory)
     * @param commandLine parameters given on the server's command line, which win over every
     *                    configuration file including {@code postgresql.auto.conf} (see
     *                    {@link #commandLineParameters})
     */
    List<String> startCommand(Path dataDir, Path logFile, int timeoutSeconds, boolean standby,
            Map<String, String> commandLine);

    /**
     * Promotes a standby with a command, or returns an empty list when the dialect promotes through
     * the SQL query {@code promote_signal} (PostgreSQL 12 and newer: {@code pg_promote(false)}; the caller
     * waits for the end of recovery).
     *
     * @param newTimeline the timeline (for openGauss: the term) the new primary should run on, one more
     *                    than the highest the caller knows of; a dialect whose server picks the new
     *                    timeline itself ignores it
     */
    List<String> promoteCommand(Path dataDir, int timeoutSeconds, int newTimeline);

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

    /** Like {@link #initdbNoSyncOption}, for {@link #basebackupCommand}. */
    default Optional<String> basebackupNoSyncOption() {
        return Optional.empty();
    }

    /**
     * The server parameter (name, value) that makes the server's start-up sync of a data directory one
     * syncfs(2) per file system instead of an fsync of every file, for a start (or a crash recovery) on
     * a directory the caller has just synced itself; empty when the server has no such choice.
     */
    default Optional<Map.Entry<String, String>> syncfsAtStartParameter() {
        return Optional.empty();
    }

    /** Rewinds a cleanly stopped {@code dataDir} to the server described by {@code sourceConninfo}. */
    List<String> rewindCommand(Path dataDir, String sourceConninfo);

    /** Like {@link #initdbNoSyncOption}, for {@link #rewindCommand}. */
    default Optional<String> rewindNoSyncOption() {
        return Optional.empty();
    }

    /**
     * True when {@link #rewindCommand} can work here: the rewind tool exists and belongs to the same
     * major version as the server (pg_rewind refuses other majors). When false, a diverged former
     * primary must be re-cloned instead. The answer depends only on the installed binaries, so it
     * does not change while the daemon runs (cached after the first call).
     */
    boolean canRewind();

    /**
     * Runs crash recovery on a stopped, not cleanly shut down data directory and exits (standard input
     * must be {@code /dev/null}). Call {@link #prepareForCrashRecovery} first. Empty when the rewind
     * tool does its own crash recovery.
     *
     * @param parameters server parameters for this run, on its command line
     */
    List<String> crashRecoveryCommand(Path dataDir, Map<String, String> parameters);

    /**
     * Dumps the control file; parse the output with {@link #parseControlData}. Empty when no dump tool
     * is installed: then read the file with {@link #readControlFile}.
     */
    List<String> controlDataCommand(Path dataDir);

    /**
     * Reads the control file directly (when {@link #controlDataCommand} is empty).
     *
     * @throws IOException when the file cannot be read or has an unknown layout
     */
    ControlData readControlFile(Path dataDir) throws IOException;

    /**
     * Adds what the data directory knows beyond the control file (openGauss: the term in
     * {@code term_file} replaces the constant timeline). PostgreSQL returns {@code cd} unchanged.
     */
    ControlData completeControlData(Path dataDir, ControlData cd);

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

    /** The server's lock file in the data directory ({@code postmaster.pid}). */
    Path pidFile(Path dataDir);

    /** Pid of the postmaster recorded in the data directory, if the lock file exists and is readable. */
    OptionalLong postmasterPid(Path dataDir);

    /** True when the lock file naming a postmaster exists (even if that process is gone). */
    boolean hasPidFile(Path dataDir);

    /**
     * The System V shared memory segment the lock file names, if any: the server's processes stay
     * attached to it until they exit, so its attachment count tells whether any of them still runs.
     */
    Optional<SharedMemorySegment> sharedMemory(Path dataDir);

    /**
     * True when the lock file says that a server other than {@code previousPid}, started at or after
     * {@code notBeforeEpochSecond} (less the 2 s pg_ctl allows), has finished starting, which is what
     * {@link #startCommand}'s own wait looks for. Lets the caller go on before that command's next poll.
     * False when the lock file does not tell (then only the start command's wait counts).
     *
     * @param previousPid the pid the lock file named before the start (a crashed server's), or 0
     */
    default boolean lockFileSaysStarted(Path dataDir, long notBeforeEpochSecond, long previousPid) {
        return false;
    }

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

    /**
     * The subset of the effective parameters that goes on the server's command line: the parameters
     * HAS controls, so that {@code ALTER SYSTEM} cannot override them (seed precedence: base or custom
     * configuration file, then postgresql.conf, then postgresql.auto.conf, then the command line).
     */
    Map<String, String> commandLineParameters(Map<String, String> effective);

    /** Client-authentication lines used when no configuration gives any. */
    List<String> defaultHba();

    /** Connection string a rewind tool uses to reach its source. */
    String rewindSourceConninfo(HostPort source, String user, String database, String sslmode);

    /** True when a new upstream only takes effect after a restart (reload is not enough). */
    boolean upstreamChangeNeedsRestart();

    // ---------------------------------------------------------------------------- control data and LSN

    /** Parses the output of {@link #controlDataCommand}. */
    ControlData parseControlData(String output);

    /**
     * The member name a WAL sender row reports in {@code application_name} (openGauss wraps it:
     * {@code WalSender to Standby[name]}); PostgreSQL returns it unchanged.
     */
    String memberNameFromApplicationName(String applicationName);

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

    /** Folder under {@code sql/} holding every query this dialect runs ({@code postgresql}, {@code opengauss}). */
    String sqlFolder();

    /** JDBC driver class the URLs of {@link #jdbcUrl} need (loaded before connecting). */
    String jdbcDriverClass();

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

    /**
     * Parses a timeline history file ({@code <TL>.history}): lines {@code parentTL <tab> LSN <tab>
     * reason}; comments and blank lines are skipped.
     */
    default java.util.List<io.has.cluster.HistoryEntry> parseTimelineHistory(String text) {
        java.util.List<io.has.cluster.HistoryEntry> out = new java.util.ArrayList<>();
        for (String line : text.split("\n")) {
            String l = line.trim();
            if (l.isEmpty() || l.startsWith("#")) {
                continue;
            }
            String[] parts = l.split("\\s+", 3);
            if (parts.length < 2) {
                continue;
            }
            try {
                out.add(new io.has.cluster.HistoryEntry(Integer.parseInt(parts[0]), parseLsn(parts[1]),
                        parts.length > 2 ? parts[2].trim() : "", null, null));
            } catch (RuntimeException e) {
                // a damaged line is skipped: the history key is informational
            }
        }
        return out;
    }

    /**
     * The timeline history file of {@code timeline} in {@code dataDir} (PostgreSQL 10+: pg_wal), or null
     * when the product keeps none (openGauss: the timeline is a term).
     */
    default java.nio.file.Path timelineHistoryFile(java.nio.file.Path dataDir, int timeline) {
        return walDirectory(dataDir).resolve(String.format("%08X.history", timeline));
    }

    /**
     * The WAL directory of {@code dataDir} whose segment file names start with the timeline (PostgreSQL:
     * pg_wal, before 10 pg_xlog), or null when the product's segment names carry no timeline.
     */
    default java.nio.file.Path walDirectory(java.nio.file.Path dataDir) {
        java.nio.file.Path wal = dataDir.resolve("pg_wal");
        return java.nio.file.Files.isDirectory(wal) ? wal : dataDir.resolve("pg_xlog");
    }
}
