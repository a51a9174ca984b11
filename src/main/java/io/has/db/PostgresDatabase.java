package io.has.db;

import io.has.cluster.HostPort;
import io.has.cluster.PgState;
import io.has.config.DynamicConfig;
import io.has.config.HasConfig;
import io.has.process.ProcessResult;
import io.has.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The local server driven through a {@link Dialect}: the binaries for life-cycle changes, one kept
 * JDBC connection for probes, short-lived JDBC connections for actions. See {@link ServerPaths} for
 * where files outside the data directory go and {@link ServerConfigurator} for the files HAS owns.
 *
 * <p>Threading: {@link #probe()} and {@link #applyDynamicConfig} may run at any time; the other
 * mutating methods are meant to run one at a time (the HA loop's long-action runner guarantees it).
 */
public class PostgresDatabase implements LocalDatabase {

    private static final Logger log = LoggerFactory.getLogger(PostgresDatabase.class);
    private static final Duration INITDB_TIMEOUT = Duration.ofMinutes(10);
    private static final Duration CLONE_TIMEOUT = Duration.ofHours(24);
    private static final Duration REWIND_TIMEOUT = Duration.ofHours(2);
    private static final int SQL_TIMEOUT_SECONDS = 10;

    private final HasConfig config;
    private final HasConfig.Postgresql pg;
    private final Dialect dialect;
    private final ServerPaths paths;
    private final ProcessRunner runner;
    private final ManagedFiles files;
    private final ServerConfigurator configurator;
    private final LocalConnector connector;
    private final ServerProbe prober;
    private final RoleSetup roles;
    private final String who;
    private final ServerControl control;
    private final PostmasterWatch watch;
    private final Promotion promotion;
    /**
     * The data directory was made durable by {@link FileSystemSync} after a clone or a rewind and has not
     * been started since: its first start may sync with syncfs(2) ({@link Dialect#syncfsAtStartParameter}),
     * as nothing is left to write back.
     */
    private volatile boolean synced;

    /**
     * @param config    the member's configuration
     * @param dialect   the product/version adapter for the binaries in {@code postgresql.bin_dir}
     * @param runAsUser OS user to run the binaries as when this JVM is root (tests only); null in production
     */
    public PostgresDatabase(HasConfig config, Dialect dialect, String runAsUser) {
        this.config = config;
        this.pg = config.postgresql();
        this.dialect = dialect;
        this.paths = ServerPaths.of(pg);
        Map<String, String> env = new LinkedHashMap<>(dialect.commandEnvironment());
        env.put(dialect.passwordFileEnvironment(), paths.pgpass().toString());
        this.runner = new ProcessRunner(runAsUser, env);
        this.files = new ManagedFiles(runner);
        this.configurator = new ServerConfigurator(config, dialect, files, paths);
        this.connector = new LocalConnector(dialect, pg);
        this.prober = new ServerProbe(dialect, connector);
        this.roles = new RoleSetup(dialect);
        this.who = "[" + config.scope() + "/" + config.name() + "]";
        this.watch = new PostmasterWatch(who);
        this.control = new ServerControl(dialect, runner, paths, pg.pgCtlTimeout(), who, watch);
        this.promotion = new Promotion(who, dialect, paths, pg, connector, prober, control, configurator);
        if (pg.useUnixSocket()) {
            log.warn("{} postgresql.use_unix_socket is not supported yet (the JDBC driver needs a unix socket"
                    + " factory); connecting over TCP to {}", who, connector.url());
        }
    }

    /** Where the data directory, socket, start-up log and password file are. */
    public ServerPaths paths() {
        return paths;
    }

    /** The dialect in use. */
    public Dialect dialect() {
        return dialect;
    }

    // ------------------------------------------------------------------------------------- probe

    @Override
    public LocalState probe() {
        try {
            Path data = paths.dataDir();
            if (!dialect.isInitialized(data)) {
                prober.close();
                // an initdb or a clone comes: bind syncfs now, while idle, not during the clone
                prepareSync(dialect.initdbNoSyncOption().or(dialect::basebackupNoSyncOption));
                return new LocalState(PgState.STOPPED, true, null, false, false, null, null, null, null, null, 0, null,
                        List.of(), null, false, null);
            }
            if (control.postmasterAlive()) {
                ServerConfigurator.Role role = configurator.role();
                HostPort upstream = role != null && role.standby() && role.upstream() != null
                        ? role.upstream().address() : null;
                return StandbyTimeline.settle(prober.probe(upstream), () -> dialect.walDirectory(data));
            }
            prober.close();
            ControlData cd = control.controlData();
            boolean crashed = dialect.hasPidFile(data);
            return new LocalState(crashed ? PgState.CRASHED : PgState.STOPPED, false, cd.systemId(), false,
                    cd.wasPrimary(), null, null, null, null, cd.timeline(), 0, null, List.of(), null, false, null, cd,
                    true, crashed ? control.leftoverProcesses() : 0);
        } catch (DbException | RuntimeException e) {
            return new LocalState(PgState.UNKNOWN, false, null, false, false, null, null, null, null, null, 0, null,
                    List.of(), null, false, e.getMessage());
        }
    }

    @Override
    public LocalState probeRunning(HostPort upstream) {
        return prober.probe(upstream);
    }

    // ------------------------------------------------------------------------------------- life cycle

    @Override
    public void bootstrap() throws DbException {
        Path data = paths.dataDir();
        try {
            if (dialect.isInitialized(data) || !files.isEmptyOrMissing(data)) {
                throw new DbException("refusing to create a cluster: " + data + " is not empty");
            }
            files.createDirectory(data);
        } catch (IOException e) {
            throw new DbException("cannot prepare " + data + ": " + e.getMessage(), e);
        }
        log.info("{} initializing a new cluster in {}", who, data);
        HasConfig.Credentials su = pg.superuser();
        List<String> options = config.bootstrap() == null ? List.of() : config.bootstrap().initdb();
        prepareSync(dialect.initdbNoSyncOption());
        connector.warmUpInBackground();
        Optional<String> noSync = FileSystemSync.noSyncOption(dialect.initdbNoSyncOption(), options);
        Path pwFile = null;
        try {
            pwFile = su.password() == null ? null : writePasswordFile(su.password());
            control.runOk("initdb", dialect.initdbCommand(data, su.username(), pwFile,
                    FileSystemSync.withOption(options, noSync)), INITDB_TIMEOUT, Map.of());
        } catch (IOException e) {
            throw new DbException("cannot write the initdb password file: " + e.getMessage(), e);
        } finally {
            deleteQuietly(pwFile);
        }
        try {
            if (noSync.isPresent()) {
                FileSystemSync.sync(data); // initdb ran with its no-sync option: durable before first use
            }
            configurator.writeAll(new ServerConfigurator.Role(false, null));
            control.start(false, configurator.commandLineParameters());
            try (Connection c = connector.openAction(pg.pgCtlTimeout())) {
                roles.createAll(c, config);
            }
            log.info("{} new cluster initialized and running as primary", who);
        } catch (DbException | IOException | SQLException e) {
            log.error("{} bootstrap failed, removing the half-made cluster: {}", who, e.getMessage());
            try {
                stop(StopMode.IMMEDIATE);
                files.deleteContents(data);
            } catch (DbException | IOException cleanup) {
                log.warn("{} cleanup after failed bootstrap also failed: {}", who, cleanup.getMessage());
            }
            throw new DbException("bootstrap failed: " + e.getMessage(), e);
        }
    }

    /** Binds syncfs(2) while the tool runs, when the dialect's tool can leave the sync to us. */
    private static void prepareSync(Optional<String> toolNoSyncOption) {
        if (toolNoSyncOption.isPresent()) {
            FileSystemSync.prepareInBackground();
        }
    }

    private Path writePasswordFile(String password) throws IOException {
        Path f = Files.createTempFile("has-pw-", ".txt"); // mode 0600
        Files.writeString(f, password + "\n");
        runner.chown(f);
        return f;
    }

    @Override
    public void createReplica(Upstream source) throws DbException {
        Path data = paths.dataDir();
        if (control.postmasterAlive()) {
            throw new DbException("refusing to clone into " + data + ": a server is running there");
        }
        List<ReplicaMethods.Method> methods = ReplicaMethods.resolve(config, source);
        if (methods.isEmpty()) {
            throw new DbException("no usable create_replica_methods (a custom method needs a command)");
        }
        List<String> options = pg.basebackup() == null ? List.of() : pg.basebackup();
        prepareSync(dialect.basebackupNoSyncOption());
        List<String> failures = new java.util.ArrayList<>();
        for (ReplicaMethods.Method m : methods) {
            try {
                files.createDirectory(data);
                if (!m.keepData()) {
                    files.deleteContents(data);
                }
                configurator.writePgpass();
            } catch (IOException e) {
                throw new DbException("cannot prepare " + data + ": " + e.getMessage(), e);
            }
            control.forgetControlData();
            synced = false;
            log.info("{} cloning {} from {} ({}) with method {}", who, data, source.memberName(), source.address(),
                    m.name());
            Optional<String> noSync = m.isBasebackup()
                    ? FileSystemSync.noSyncOption(dialect.basebackupNoSyncOption(), options) : Optional.empty();
            List<String> cmd = m.isBasebackup()
                    ? dialect.basebackupCommand(data, source.address(), pg.replication().username(),
                            FileSystemSync.withOption(options, noSync))
                    : m.command();
            ProcessResult r = control.run(cmd, CLONE_TIMEOUT,
                    Map.of(dialect.applicationNameEnvironment(), config.name()));
            if (r.ok() && dialect.isInitialized(data)) {
                try {
                    if (noSync.isPresent()) {
                        FileSystemSync.sync(data); // durable before the replica starts
                        synced = true;
                    }
                    configurator.writeAll(new ServerConfigurator.Role(true, source));
                } catch (IOException e) {
                    throw new DbException("cannot configure the new replica: " + e.getMessage(), e);
                }
                log.info("{} replica created from {} with {} in {} s", who, source.memberName(), m.name(),
                        r.elapsed().toSeconds());
                return;
            }
            String why = r.ok() ? "it left no cluster in " + data : r.describe();
            log.warn("{} replica method {} failed: {}", who, m.name(), why);
            failures.add(m.name() + ": " + why);
        }
        try {
            files.deleteContents(data);
        } catch (IOException e) {
            log.warn("{} cannot clean {} after failed clone: {}", who, data, e.getMessage());
        }
        throw new DbException("clone from " + source.memberName() + " failed: " + String.join("; ", failures));
    }

    @Override
    public void start(boolean standby, Upstream upstream) throws DbException {
        if (control.postmasterAlive()) {
            log.debug("{} start: already running", who);
            return;
        }
        if (!dialect.isInitialized(paths.dataDir())) {
            throw new DbException("cannot start: " + paths.dataDir() + " holds no cluster");
        }
        try {
            configurator.writeAll(new ServerConfigurator.Role(standby, standby ? upstream : null));
        } catch (IOException e) {
            throw new DbException("cannot write the server configuration: " + e.getMessage(), e);
        }
        log.info("{} starting as {}", who, standby ? "standby of " + describe(upstream) : "primary");
        boolean syncfs = synced;
        synced = false;
        control.start(standby, configurator.commandLineParameters(syncfs));
    }

    @Override
    public void stop(StopMode mode, int killAfterSeconds) throws DbException {
        if (killAfterSeconds <= 0) {
            stop(mode);
            return;
        }
        prober.close();
        if (!control.postmasterAlive()) {
            return;
        }
        log.info("{} stopping ({}), killing the postmaster after {} s", who, mode.name().toLowerCase(), killAfterSeconds);
        control.stop(mode, killAfterSeconds, true);
    }

    @Override
    public void stop(StopMode mode) throws DbException {
        prober.close();
        if (!control.postmasterAlive()) {
            return;
        }
        log.info("{} stopping ({})", who, mode.name().toLowerCase());
        control.stop(mode);
    }

    @Override
    public List<io.has.cluster.HistoryEntry> timelineHistory() throws DbException {
        Integer tl = probe().timeline();
        if (tl == null || tl <= 1) {
            return List.of();
        }
        java.nio.file.Path file = dialect.timelineHistoryFile(paths.dataDir(), tl);
        if (file == null) {
            return List.of(); // the product keeps no timeline history (openGauss: the "timeline" is a term)
        }
        try {
            return dialect.parseTimelineHistory(java.nio.file.Files.readString(file));
        } catch (IOException e) {
            throw new DbException("cannot read the timeline history " + file + ": " + e.getMessage(), e);
        }
    }

    @Override
    public void restart() throws DbException {
        LocalState before = probe();
        if (!before.isRunning()) {
            throw new DbException("cannot restart: the server is " + before.state().wire());
        }
        boolean standby = before.inRecovery();
        ServerConfigurator.Role role = configurator.role();
        Upstream upstream = standby && role != null ? role.upstream() : null;
        stop(StopMode.FAST);
        start(standby, upstream);
    }

    @Override
    public void promote() throws DbException {
        promotion.promote();
    }

    @Override
    public boolean checkpointAfterPromotePending() {
        return promotion.checkpoint().pending();
    }

    @Override
    public void ensureCheckpointAfterPromote() {
        promotion.checkpoint().retryIfFailed();
    }

    @Override
    public void follow(Upstream upstream) throws DbException {
        if (!control.postmasterAlive()) {
            start(true, upstream);
            return;
        }
        boolean recovery;
        try (Connection c = connector.openAction(SQL_TIMEOUT_SECONDS)) {
            recovery = Promotion.inRecovery(dialect, c);
        } catch (SQLException e) {
            throw new DbException("follow: cannot query the server: " + e.getMessage(), e);
        }
        if (!recovery) {
            log.info("{} demoting to follow {}", who, describe(upstream));
            stop(StopMode.FAST);
            start(true, upstream);
            return;
        }
        try {
            configurator.writePgpass();
            configurator.writeStandby(new ServerConfigurator.Role(true, upstream));
        } catch (IOException e) {
            throw new DbException("cannot write the standby configuration: " + e.getMessage(), e);
        }
        log.info("{} following {}", who, describe(upstream));
        if (dialect.upstreamChangeNeedsRestart()) {
            stop(StopMode.FAST);
            start(true, upstream);
        } else {
            control.reload();
        }
    }

    @Override
    public void rewind(Upstream source) throws DbException {
        Path data = paths.dataDir();
        if (control.postmasterAlive()) {
            throw new DbException("cannot rewind: the server is running; stop it first");
        }
        if (!dialect.isInitialized(data)) {
            throw new DbException("cannot rewind: " + data + " holds no cluster");
        }
        if (!dialect.canRewind()) {
            log.info("{} {} has no usable rewind tool here (it must be of the server's major version);"
                    + " re-cloning from {} instead", who, dialect.name(), source.memberName());
            removeDataDirectory();
            createReplica(source);
            return;
        }
        ControlData cd = control.controlData();
        synced = false;
        Optional<String> noSync = dialect.rewindNoSyncOption();
        prepareSync(noSync);
        try {
            if (!cd.cleanShutdown() && !dialect.crashRecoveryCommand(data, Map.of()).isEmpty()) {
                log.info("{} running crash recovery before rewind (cluster state: {})", who, cd.clusterState());
                dialect.prepareForCrashRecovery(files, data);
                control.awaitCrashedPostmasterReaped(); // the single-user server checks the lock file too
                Map<String, String> parameters = syncForCrashRecovery(data);
                control.runOk("crash recovery", dialect.crashRecoveryCommand(data, parameters), REWIND_TIMEOUT,
                        Map.of());
                control.forgetControlData();
            }
            HasConfig.Credentials cred = pg.rewind() != null && pg.rewind().username() != null ? pg.rewind()
                    : pg.superuser();
            configurator.writePgpass();
            String conninfo = dialect.rewindSourceConninfo(source.address(), cred.username(), pg.database(),
                    cred.sslmode() != null ? cred.sslmode() : "prefer");
            log.info("{} rewinding from {} ({})", who, source.memberName(), source.address());
            ProcessResult r = control.run(FileSystemSync.withOption(dialect.rewindCommand(data, conninfo), noSync),
                    REWIND_TIMEOUT, Map.of());
            control.forgetControlData();
            if (!r.ok()) {
                throw new DbException("rewind from " + source.memberName() + " failed: " + r.describe());
            }
            if (noSync.isPresent()) {
                FileSystemSync.sync(data); // durable before the server starts on the rewound files
                synced = true;
            }
            // the rewind copied the source's configuration files: put ours back
            configurator.writeAll(new ServerConfigurator.Role(true, source));
            String diverged = (r.stderr() + r.stdout()).lines().filter(l -> l.contains("diverged")).findFirst()
                    .orElse("no divergence reported");
            log.info("{} rewind from {} done in {} s: {}", who, source.memberName(), r.elapsed().toSeconds(), diverged);
        } catch (IOException e) {
            throw new DbException("rewind: cannot write files in " + data + ": " + e.getMessage(), e);
        }
    }

    /**
     * Syncs {@code data} with syncfs(2) and returns the dialect's syncfs start-up parameter for the crash
     * recovery that follows: a crashed server's files may still be in the page cache, unwritten, and the
     * server's own start-up sync would otherwise open and sync every file. Neither (an empty map) when
     * the dialect or the configuration leaves no choice, or when syncfs(2) cannot be called here.
     */
    private Map<String, String> syncForCrashRecovery(Path data) throws IOException {
        Optional<Map.Entry<String, String>> p = configurator.syncfsAtStartParameter();
        if (p.isEmpty() || !FileSystemSync.available()) {
            return Map.of();
        }
        FileSystemSync.sync(data);
        return Map.ofEntries(p.get());
    }

    /**
     * {@inheritDoc} Delegates to the dialect: false when no rewind tool of the server's major version
     * is installed (then {@link #rewind} re-clones).
     */
    @Override
    public boolean canRewind() {
        return dialect.canRewind();
    }

    @Override
    public void removeDataDirectory() throws DbException {
        if (control.postmasterAlive()) {
            throw new DbException("refusing to remove " + paths.dataDir() + ": the server is running");
        }
        prober.close();
        log.info("{} removing the contents of {}", who, paths.dataDir());
        try {
            files.deleteContents(paths.dataDir());
        } catch (IOException e) {
            throw new DbException("cannot remove " + paths.dataDir() + ": " + e.getMessage(), e);
        }
        control.forgetControlData();
    }

    @Override
    public boolean syncReplicationSlots(Set<String> names) throws DbException {
        return syncSlots(names, "create_slot", true);
    }

    /** Creates the missing ones only: a standby's other physical slots are its users' (none reserves WAL of ours). */
    @Override
    public boolean syncStandbySlots(Set<String> names) throws DbException {
        return !dialect.slotsOnStandby() || syncSlots(names, "create_standby_slot", false);
    }

    private boolean syncSlots(Set<String> names, String create, boolean dropOthers) throws DbException {
        try (Connection c = connector.openAction(SQL_TIMEOUT_SECONDS)) {
            Map<String, Boolean> existing = new HashMap<>();
            try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(dialect.sql("slots"))) {
                while (rs.next()) {
                    existing.put(rs.getString("slot_name"), rs.getBoolean("active"));
                }
            }
            for (String name : names) {
                if (!existing.containsKey(name)) {
                    log.info("{} creating replication slot {}", who, name);
                    callWithName(c, create, name);
                }
            }
            boolean complete = true;
            for (Map.Entry<String, Boolean> e : existing.entrySet()) {
                if (dropOthers && !names.contains(e.getKey())) {
                    if (e.getValue()) {
                        log.debug("{} replication slot {} is in use; dropping it later", who, e.getKey());
                        complete = false;
                    } else {
                        log.info("{} dropping replication slot {}", who, e.getKey());
                        callWithName(c, "drop_slot", e.getKey());
                    }
                }
            }
            return complete;
        } catch (SQLException e) {
            throw new DbException("replication slot sync failed: " + e.getMessage(), e);
        }
    }

    private void callWithName(Connection c, String query, String name) throws SQLException {
        try (PreparedStatement ps = c.prepareStatement(dialect.sql(query))) {
            ps.setString(1, name);
            ps.execute();
        }
    }

    @Override
    public void applyDynamicConfig(DynamicConfig dc) throws DbException {
        DynamicConfig old = configurator.dynamic();
        configurator.setDynamic(dc);
        if (!dialect.isInitialized(paths.dataDir())) {
            return;
        }
        try {
            configurator.writeServerConfig();
            if (dc != null && old.useSlots() != dc.useSlots()) {
                configurator.rewriteStandby();
            }
        } catch (IOException e) {
            throw new DbException("cannot write the server configuration: " + e.getMessage(), e);
        }
        if (control.postmasterAlive()) {
            control.reload();
        }
    }

    @Override
    public void setSynchronousStandbys(java.util.List<String> names, int count) throws DbException {
        String value = dialect.synchronousStandbyNames(names, count);
        if (value.equals(configurator.synchronousStandbyNames())) {
            return;
        }
        configurator.setSynchronousStandbyNames(value);
        log.info("{} synchronous_standby_names = '{}'", who, value);
        try {
            configurator.writeServerConfig();
        } catch (IOException e) {
            throw new DbException("cannot write the server configuration: " + e.getMessage(), e);
        }
        if (control.postmasterAlive()) {
            control.reload();
        }
    }

    /** {@inheritDoc} Linux pidfds; see {@link PostmasterWatch}. */
    @Override
    public void watchPostmaster(Runnable onExit) {
        promotion.checkpoint().onDone(onExit);
        watch.listen(pid -> onExit.run());
        control.postmasterAlive(); // a server that already runs is watched from now on
    }

    @Override
    public void close() {
        watch.close();
        prober.close();
        if (paths.socketDirInTemp() && !control.postmasterAlive()) {
            try { // made in the temp directory by us: gone with the server (kept while it runs, or if not empty)
                Files.deleteIfExists(paths.socketDir());
            } catch (IOException e) {
                log.debug("{} keeping {}: {}", who, paths.socketDir(), e.toString());
            }
        }
    }

    // ------------------------------------------------------------------------------------- helpers

    private static String describe(Upstream u) {
        return u == null ? "nobody" : u.memberName() + " (" + u.address() + ")";
    }

    private static void deleteQuietly(Path p) {
        if (p != null) {
            try {
                Files.deleteIfExists(p);
            } catch (IOException e) {
                log.warn("cannot delete {}: {}", p, e.getMessage());
            }
        }
    }
}
