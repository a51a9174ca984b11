package io.has.db.opengauss;

import io.has.cluster.HostPort;
import io.has.db.Binaries;
import io.has.db.ControlData;
import io.has.db.ManagedFiles;
import io.has.db.StandbySettings;
import io.has.db.StopMode;
import io.has.db.postgres.PostgresConfigFiles;
import io.has.db.postgres.PostgresDialect;
import io.has.db.postgres.PostgresParameters;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * openGauss (and, through {@code VastbaseDialect}, Vastbase G100): a PostgreSQL 9.2 descendant whose
 * server always reports {@code server_version_num} 90204, so it is recognised from {@code version()}
 * or {@code gaussdb --version}. Overrides only what differs from {@link PostgresDialect}, following
 * reference/opengauss.md §1–§4:
 *
 * <ul>
 *   <li>{@code gs_ctl}: the role is chosen at start ({@code start -M primary|standby}), promotion is
 *       {@code failover -T term}, re-seeding and rewinding are {@code build -b full|auto} (which stop
 *       and restart the instance themselves), stop modes fast and immediate only;
 *   <li>standbys find their primary through {@code replconninfoN} (a reloadable parameter) instead of
 *       primary_conninfo/standby.signal; HAS writes them into {@code postgresql.standby.conf} on every
 *       node and keeps the peers it has seen, since a primary needs them too;
 *   <li>the timeline never advances: the term (from {@code term_file} or
 *       {@code pg_last_xlog_replay_location()}) is reported as the timeline, and a promotion passes the
 *       next term with {@code -T}, so the HA layer's "timeline" comparisons order terms;
 *   <li>text LSNs, capitalised replication states and {@code WalSender to Standby[name]} application
 *       names (normalised by the queries in {@code sql/opengauss/} and by
 *       {@link #memberNameFromApplicationName});
 *   <li>parameters: {@code wal_level=hot_standby}, none of the PostgreSQL-only ones;
 *   <li>JDBC through {@code org.opengauss:opengauss-jdbc:*-og} ({@code jdbc:opengauss://}).
 * </ul>
 *
 * Verified only against captured command lines and result rows from the openGauss sources
 * (master @7e1fc94a): no openGauss server was available; the Testcontainers IT runs it where a
 * Docker engine exists.
 */
public class OpenGaussDialect extends PostgresDialect {

    /** OM convention: the HA (replication) port of an instance is its client port + 1. */
    public static final int HA_PORT_OFFSET = 1;
    static final String TERM_FILE = "term_file";
    private static final Pattern BRACKETED = Pattern.compile("\\[(.*?)\\]");
    private static final Pattern REPLCONNINFO = Pattern.compile("^replconninfo(\\d+) = '(.*)'$");
    private static final int MAX_REPLCONNINFO = 8;
    private static final Pattern PRODUCT = Pattern.compile("\\b(openGauss|MogDB|GaussDB|Uqbar|PanWeiDB)\\b");

    private final String nodeName;
    private final String localHost;
    private final int localPort;

    /**
     * @param bins       where gs_ctl, gs_initdb and gaussdb are (with {@code bin_name} overrides)
     * @param customConf {@code postgresql.custom_conf}, or null
     * @param nodeName   the member name (gs_initdb's {@code --nodename}, the standby's application_name)
     * @param local      this member's connect address (the {@code localhost}/{@code localport} of
     *                   replconninfo entries)
     */
    public OpenGaussDialect(Binaries bins, String customConf, String nodeName, HostPort local) {
        super(bins, 9, PostgresParameters.openGauss(), new PostgresConfigFiles(false, true, customConf));
        this.nodeName = nodeName == null ? "has" : nodeName;
        this.localHost = local == null ? "0.0.0.0" : local.host();
        this.localPort = local == null ? 5432 : local.port();
    }

    /** True when a {@code version()} or {@code --version} text names openGauss or a close derivative. */
    public static boolean isOpenGaussVersionText(String text) {
        return PRODUCT.matcher(text).find();
    }

    @Override
    public String name() {
        return "openGauss";
    }

    /** The product's own name of a PostgreSQL tool. */
    protected String defaultProgram(String tool) {
        return switch (tool) {
            case "postgres" -> "gaussdb";
            case "pg_ctl" -> "gs_ctl";
            case "initdb" -> "gs_initdb";
            case "pg_basebackup" -> "gs_basebackup";
            default -> tool; // pg_controldata keeps its name in openGauss
        };
    }

    @Override
    protected String bin(String tool) {
        return bins.program(tool, defaultProgram(tool));
    }

    // ---------------------------------------------------------------------------- commands

    @Override
    public List<String> initdbCommand(Path dataDir, String superuser, Path pwFile, List<String> options) {
        List<String> c = new ArrayList<>(List.of(bin("initdb"), "-D", dataDir.toString(), "--nodename=" + nodeName,
                "-U", superuser));
        if (pwFile != null) {
            c.add("--pwfile=" + pwFile);
        }
        c.addAll(options);
        return c;
    }

    /** {@inheritDoc} None: gs_initdb keeps its own sync (its options are not PostgreSQL's). */
    @Override
    public Optional<String> initdbNoSyncOption() {
        return Optional.empty();
    }

    @Override
    public List<String> startCommand(Path dataDir, Path logFile, int timeoutSeconds, boolean standby,
            Map<String, String> commandLine) {
        List<String> c = new ArrayList<>(List.of(bin("pg_ctl"), "start", "-D", dataDir.toString(), "-M",
                standby ? "standby" : "primary", "-w", "-t", Integer.toString(timeoutSeconds), "-l",
                logFile.toString()));
        if (!commandLine.isEmpty()) {
            c.add("-o");
            c.add(serverOptionsText(commandLine));
        }
        return c;
    }

    /** Same quoting as pg_ctl: gs_ctl hands {@code -o} to a shell. */
    private static String serverOptionsText(Map<String, String> params) {
        StringBuilder b = new StringBuilder();
        for (Map.Entry<String, String> e : params.entrySet()) {
            b.append(b.length() > 0 ? " " : "").append("-c '")
                    .append((e.getKey() + "=" + e.getValue()).replace("'", "'\\''")).append('\'');
        }
        return b.toString();
    }

    /** {@code gs_ctl notify -M primary|standby -T term}: moves a node started {@code -M pending} into a role. */
    public List<String> notifyCommand(Path dataDir, boolean standby, int term, int timeoutSeconds) {
        return List.of(bin("pg_ctl"), "notify", "-D", dataDir.toString(), "-M", standby ? "standby" : "primary", "-T",
                Integer.toString(term), "-w", "-t", Integer.toString(timeoutSeconds));
    }

    /** {@code gs_ctl start -M pending}: recovering, waiting to be told its role with {@link #notifyCommand}. */
    public List<String> startPendingCommand(Path dataDir, Path logFile, int timeoutSeconds) {
        return List.of(bin("pg_ctl"), "start", "-D", dataDir.toString(), "-M", "pending", "-w", "-t",
                Integer.toString(timeoutSeconds), "-l", logFile.toString());
    }

    /** {@code gs_ctl switchover -m fast -T term}, run on the standby that should become primary. */
    public List<String> switchoverCommand(Path dataDir, int term, int timeoutSeconds) {
        return List.of(bin("pg_ctl"), "switchover", "-D", dataDir.toString(), "-m", "fast", "-T",
                Integer.toString(term), "-t", Integer.toString(timeoutSeconds));
    }

    @Override
    public List<String> stopCommand(Path dataDir, StopMode mode, int timeoutSeconds) {
        // gs_ctl knows fast (default) and immediate only; no smart mode
        return List.of(bin("pg_ctl"), "stop", "-D", dataDir.toString(), "-m",
                mode == StopMode.IMMEDIATE ? "immediate" : "fast", "-w", "-t", Integer.toString(timeoutSeconds));
    }

    @Override
    public List<String> reloadCommand(Path dataDir) {
        return List.of(bin("pg_ctl"), "reload", "-D", dataDir.toString());
    }

    @Override
    public List<String> promoteCommand(Path dataDir, int timeoutSeconds, int newTimeline) {
        return List.of(bin("pg_ctl"), "failover", "-D", dataDir.toString(), "-T", Integer.toString(newTimeline),
                "-t", Integer.toString(timeoutSeconds));
    }

    @Override
    public List<String> basebackupCommand(Path dataDir, HostPort source, String user, List<String> options) {
        List<String> c = new ArrayList<>(List.of(bin("pg_ctl"), "build", "-D", dataDir.toString(), "-b", "full", "-M",
                "standby", "-C", "host=" + source.host() + " port=" + (source.port() + HA_PORT_OFFSET)));
        c.addAll(options);
        return c;
    }

    /** {@inheritDoc} None: gs_ctl build syncs by itself. */
    @Override
    public Optional<String> basebackupNoSyncOption() {
        return Optional.empty();
    }

    @Override
    public List<String> rewindCommand(Path dataDir, String sourceConninfo) {
        // incremental first, full when that fails; the primary is found through replconninfoN
        return List.of(bin("pg_ctl"), "build", "-D", dataDir.toString(), "-b", "auto", "-M", "standby");
    }

    @Override
    public boolean canRewind() {
        return bins.exists("pg_ctl", defaultProgram("pg_ctl")); // the rewind is built into gs_ctl build
    }

    @Override
    public List<String> crashRecoveryCommand(Path dataDir, Map<String, String> parameters) {
        return List.of(); // gs_ctl build recovers by itself
    }

    @Override
    public List<String> controlDataCommand(Path dataDir) {
        return List.of(bin("pg_controldata"), "-D", dataDir.toString());
    }

    @Override
    public ControlData readControlFile(Path dataDir) throws IOException {
        throw new IOException(name() + " control files are read with pg_controldata only");
    }

    /** The term from {@code term_file} replaces the control file's timeline, which stays 1 forever. */
    @Override
    public ControlData completeControlData(Path dataDir, ControlData cd) {
        Integer term = readTerm(dataDir);
        return term == null ? cd : new ControlData(cd.systemId(), cd.clusterState(), cd.wasPrimary(),
                cd.cleanShutdown(), term, cd.checkpointLsn(), cd.rewindable());
    }

    /** The term in {@code term_file} as decimal text, or null when absent or unreadable. */
    static Integer readTerm(Path dataDir) {
        try {
            String t = Files.readString(dataDir.resolve(TERM_FILE), StandardCharsets.US_ASCII).trim();
            return t.isEmpty() ? null : Integer.valueOf(t);
        } catch (IOException | NumberFormatException e) {
            return null;
        }
    }

    /** None: openGauss never writes timeline history files; the reported "timeline" is the term. */
    @Override
    public Path timelineHistoryFile(Path dataDir, int timeline) {
        return null;
    }

    /** None: the "timeline" is the term, which openGauss's segment names do not carry. */
    @Override
    public Path walDirectory(Path dataDir) {
        return null;
    }

    @Override
    public String serverExecutableName() {
        return Path.of(bin("postgres")).getFileName().toString();
    }

    @Override
    public void prepareForCrashRecovery(ManagedFiles files, Path dataDir) {
        // no recovery.conf or signal files to remove
    }

    // ---------------------------------------------------------------------------- configuration

    /**
     * Writes {@code replconninfoN} for the upstream (and every peer written before) plus
     * {@code application_name} into the included standby file. The primary keeps the file: it needs
     * the entries for its standbys' replication connections. The role itself is given at start.
     */
    @Override
    public void writeStandbyConfig(ManagedFiles files, Path dataDir, StandbySettings standby) throws IOException {
        Path file = dataDir.resolve(PostgresConfigFiles.STANDBY_CONF);
        List<String> peers = readReplConnInfo(files.readIfExists(file));
        if (standby != null && standby.upstream() != null) {
            String entry = replConnInfo(standby.upstream());
            peers.remove(entry);
            peers.add(0, entry); // the current upstream first
        }
        files.write(file, renderStandbyFile(peers));
    }

    /** The text of the HAS-written {@code postgresql.standby.conf} for openGauss. */
    String renderStandbyFile(List<String> peers) {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("application_name", nodeName);
        for (int i = 0; i < Math.min(peers.size(), MAX_REPLCONNINFO); i++) {
            p.put("replconninfo" + (i + 1), peers.get(i));
        }
        StringBuilder b = new StringBuilder(PostgresConfigFiles.MANAGED_HEADER).append('\n');
        p.forEach((k, v) -> b.append(k).append(" = '").append(v.replace("'", "''")).append("'\n"));
        return b.toString();
    }

    /** One channel: this instance's HA port to the peer's HA port. */
    String replConnInfo(HostPort peer) {
        return "localhost=" + localHost + " localport=" + (localPort + HA_PORT_OFFSET) + " remotehost=" + peer.host()
                + " remoteport=" + (peer.port() + HA_PORT_OFFSET);
    }

    static List<String> readReplConnInfo(String text) {
        List<String> out = new ArrayList<>();
        if (text == null) {
            return out;
        }
        for (String line : text.split("\n")) {
            Matcher m = REPLCONNINFO.matcher(line.trim());
            if (m.matches()) {
                out.add(m.group(2).replace("''", "'"));
            }
        }
        return out;
    }

    @Override
    public boolean isStandbyConfigured(Path dataDir) {
        try {
            return Files.readString(dataDir.resolve("postmaster.opts")).contains("-M standby");
        } catch (IOException e) {
            return false;
        }
    }

    @Override
    public List<String> defaultHba() {
        // password_encryption_type defaults to 2 (sha256); peers listed in replconninfo are trusted for replication
        return List.of(
                "local   all          all                  trust",
                "host    all          all      127.0.0.1/32 sha256",
                "host    replication  all      0.0.0.0/0    sha256",
                "host    all          all      0.0.0.0/0    sha256");
    }

    @Override
    public boolean upstreamChangeNeedsRestart() {
        return false; // replconninfoN is reloadable (SIGHUP) and the walreceiver picks the primary itself
    }

    // ---------------------------------------------------------------------------- SQL, LSN and JDBC

    /** {@code WalSender to Standby[dn_6002]} → {@code dn_6002}; other text unchanged. */
    @Override
    public String memberNameFromApplicationName(String applicationName) {
        Matcher m = BRACKETED.matcher(applicationName);
        return m.find() ? m.group(1) : applicationName;
    }

    @Override
    public String sqlFolder() {
        return "opengauss";
    }

    @Override
    public String jdbcDriverClass() {
        return "org.opengauss.Driver";
    }

    @Override
    public String jdbcUrl(String host, int port, String database) {
        String h = host.contains(":") ? "[" + host + "]" : host;
        return "jdbc:opengauss://" + h + ":" + port + "/" + database;
    }

    /** Its second argument of pg_create_physical_replication_slot means a dummy standby, not a WAL reservation. */
    @Override
    public boolean slotsOnStandby() {
        return false;
    }
}
