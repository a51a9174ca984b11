package io.has.db.contract;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.cluster.HostPort;
import io.has.db.Binaries;
import io.has.db.ControlData;
import io.has.db.DbException;
import io.has.db.Dialect;
import io.has.db.DialectResolver;
import io.has.db.ManagedFiles;
import io.has.db.StandbySettings;
import io.has.db.opengauss.OpenGaussDialect;
import io.has.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * openGauss, against the facts of reference/opengauss.md (source-read: gs_ctl's command set §1.1,
 * replconninfo §2.1, parameters §2.3, term §2.6, SQL surface §3). Result rows are shaped like
 * openGauss's: text LSNs, capitalised states, {@code WalSender to Standby[name]} application names,
 * server_version_num 90204, the term in the timeline column.
 */
class OpenGaussContractTest extends DialectContractTest {

    static final Path BIN = Path.of("/opt/og/bin");
    static final HostPort LOCAL = new HostPort("10.0.0.1", 5432);

    @Override
    Dialect dialect() {
        return new OpenGaussDialect(Binaries.in(BIN), null, "pg-b", LOCAL);
    }

    String ctl() {
        return "/opt/og/bin/gs_ctl";
    }

    @Override
    String expectedName() {
        return "openGauss";
    }

    @Override
    String expectedSqlFolder() {
        return "opengauss";
    }

    @Override
    List<String> expectedStart(boolean standby) {
        return List.of(ctl(), "start", "-D", "/var/lib/db/data", "-M", standby ? "standby" : "primary", "-w", "-t",
                "60", "-l", "/var/lib/db/data.log");
    }

    @Override
    List<String> expectedStopImmediate() {
        return List.of(ctl(), "stop", "-D", "/var/lib/db/data", "-m", "immediate", "-w", "-t", "60");
    }

    @Override
    List<String> expectedPromote(int newTimeline) {
        return List.of(ctl(), "failover", "-D", "/var/lib/db/data", "-T", Integer.toString(newTimeline), "-t", "60");
    }

    @Override
    List<String> expectedRewind() {
        return List.of(ctl(), "build", "-D", "/var/lib/db/data", "-b", "auto", "-M", "standby");
    }

    @Override
    List<String> expectedClone() {
        return List.of(ctl(), "build", "-D", "/var/lib/db/data", "-b", "full", "-M", "standby", "-C",
                "host=10.0.0.2 port=5433");
    }

    @Override
    List<String> requiredSql() {
        return List.of("pg_current_xlog_location()", "pg_last_xlog_receive_location()",
                "SELECT lsn FROM pg_catalog.pg_last_xlog_replay_location()",
                "SELECT term FROM pg_catalog.pg_last_xlog_replay_location()", "receiver_flush_location", "receiver_replay_location", "strpos(application_name",
                "pg_catalog.lower(state)", "pg_catalog.lower(sync_state)", "pg_stat_get_stream_replications()");
    }

    @Override
    List<String> forbiddenSql() {
        return List.of("pg_current_wal_lsn", "pg_promote", "pg_stat_wal_receiver ", "::pg_lsn", "pg_walfile_name",
                "received_tli", "flush_lsn::", "pg_current_xlog_flush_location");
    }

    @Override
    Map<String, String> expectedDefaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("max_connections", "100");
        m.put("max_locks_per_transaction", "64");
        m.put("max_prepared_transactions", "0");
        m.put("wal_level", "hot_standby");
        m.put("wal_log_hints", "on");
        m.put("hot_standby", "on");
        m.put("wal_keep_segments", "8");
        m.put("unix_socket_directory", "/run/has");
        return m;
    }

    @Override
    List<String> forbiddenParameters() {
        return List.of("wal_keep_size", "max_worker_processes", "track_commit_timestamp", "cluster_name",
                "unix_socket_directories", "primary_conninfo");
    }

    @Override
    int primaryTimeline() {
        return 5; // the term
    }

    @Override
    Map<String, String> primaryProbeRow() {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("in_recovery", "f");
        r.put("current_lsn", "0/3000060");
        r.put("receive_lsn", null);
        r.put("replay_lsn", "0/3000060");
        r.put("replay_timestamp", null);
        r.put("timeline", "5");
        r.put("server_version", "90204");
        r.put("postmaster_start_time", "2026-11-21 20:53:27.123456");
        r.put("system_id", "7310730762112927255");
        r.put("streaming", "f");
        r.put("sender_host", null);
        r.put("sender_port", null);
        r.put("local_role", "Primary");
        r.put("db_state", "Normal");
        r.put("detail_information", "Normal");
        return r;
    }

    @Override
    Map<String, String> standbyProbeRow() {
        Map<String, String> r = primaryProbeRow();
        r.put("in_recovery", "t");
        r.put("current_lsn", null);
        r.put("receive_lsn", "0/3000148");
        r.put("replay_lsn", "0/3000110");
        r.put("streaming", "t");
        r.put("local_role", "Standby");
        return r;
    }

    /** The raw row (before the SQL's lower()): HAS's parsing normalises it too. */
    @Override
    Map<String, String> replicationRow() {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("usename", "omm");
        r.put("application_name", "WalSender to Standby[pg-b]");
        r.put("client_addr", "10.0.0.2");
        r.put("state", "Streaming");
        r.put("sync_state", "Sync");
        r.put("sync_priority", "1");
        r.put("flush_lsn", "0/3000148");
        r.put("replay_lsn", "0/3000110");
        return r;
    }

    @Override
    String expectedJdbcPrefix() {
        return "jdbc:opengauss://";
    }

    @Override
    String expectedDriverClass() {
        return "org.opengauss.Driver";
    }

    @Override
    String standbyFile() {
        return "postgresql.standby.conf";
    }

    @Override
    String standbyFileMustContain() {
        return "application_name = 'pg-b'\nreplconninfo1 = 'localhost=10.0.0.1 localport=5433 remotehost=10.0.0.2"
                + " remoteport=5433'";
    }

    // ------------------------------------------------------------------ openGauss-only facts

    @Test
    void neverWritesPostgresStandbyFilesAndKeepsPeersOnThePrimary(@TempDir Path dir) throws IOException {
        ManagedFiles files = new ManagedFiles(new ProcessRunner(null, Map.of()));
        Dialect d = dialect();
        d.writeStandbyConfig(files, dir, new StandbySettings(new HostPort("10.0.0.3", 6000), "r", null, "pg-b",
                "prefer", null));
        d.writeStandbyConfig(files, dir, new StandbySettings(PEER, "r", null, "pg-b", "prefer", null));
        d.writeStandbyConfig(files, dir, null); // promoted: the entries stay (replication auth needs them)
        String text = Files.readString(dir.resolve("postgresql.standby.conf"));
        assertTrue(text.contains("replconninfo1 = 'localhost=10.0.0.1 localport=5433 remotehost=10.0.0.2"
                + " remoteport=5433'"), text);
        assertTrue(text.contains("replconninfo2 = 'localhost=10.0.0.1 localport=5433 remotehost=10.0.0.3"
                + " remoteport=6001'"), text);
        assertFalse(Files.exists(dir.resolve("standby.signal")));
        assertFalse(Files.exists(dir.resolve("recovery.conf")));
        assertFalse(text.contains("primary_conninfo"));
        assertFalse(d.upstreamChangeNeedsRestart(), "replconninfo is reloadable");
    }

    @Test
    void roleCommandsOfGsCtl() {
        OpenGaussDialect d = (OpenGaussDialect) dialect();
        assertEquals(List.of(ctl(), "notify", "-D", "/var/lib/db/data", "-M", "primary", "-T", "9", "-w", "-t", "60"),
                d.notifyCommand(DATA, false, 9, 60));
        assertEquals(List.of(ctl(), "start", "-D", "/var/lib/db/data", "-M", "pending", "-w", "-t", "60", "-l",
                "/var/lib/db/data.log"), d.startPendingCommand(DATA, LOG, 60));
        assertEquals(List.of(ctl(), "switchover", "-D", "/var/lib/db/data", "-m", "fast", "-T", "9", "-t", "60"),
                d.switchoverCommand(DATA, 9, 60));
        assertTrue(d.crashRecoveryCommand(DATA, Map.of()).isEmpty(), "gs_ctl build recovers by itself");
        assertTrue(d.rewindNoSyncOption().isEmpty(), "gs_ctl build has none");
        assertTrue(d.syncfsAtStartParameter().isEmpty(), "no recovery_init_sync_method");
        // gs_initdb and gs_ctl build keep their own sync, and the lock file tells no start-up status
        assertTrue(d.initdbNoSyncOption().isEmpty());
        assertTrue(d.basebackupNoSyncOption().isEmpty());
        assertFalse(d.lockFileSaysStarted(DATA, 0, 0));
    }

    @Test
    void theTermReplacesTheConstantTimelineOfAStoppedServer(@TempDir Path dir) throws IOException {
        ControlData cd = dialect().parseControlData("""
                pg_control version number:            923
                Database system identifier:           7310730762112927255
                Database cluster state:               in production
                Latest checkpoint location:           0/3000060
                Latest checkpoint's TimeLineID:       1
                """);
        assertEquals(1, cd.timeline());
        Files.writeString(dir.resolve("term_file"), "12\n");
        ControlData completed = dialect().completeControlData(dir, cd);
        assertEquals(12, completed.timeline());
        assertTrue(completed.wasPrimary());
        assertEquals(null, dialect().timelineHistoryFile(dir, 12), "terms have no history file");
    }

    @Test
    void recognisedFromVersionTextWhateverServerVersionNumSays() throws DbException {
        Binaries bins = Binaries.in(BIN);
        String[] versions = {
            "(openGauss 5.0.0 build a07d57c3) compiled at 2023-03-29 03:37:13 commit 0 last mr   on x86_64-unknown-linux-gnu",
            "PostgreSQL 9.2.4 (openGauss 2.0.0 build 78689da9) compiled at 2021-03-31 21:04:03",
            "PostgreSQL 9.2.4 (MogDB 1.1.0 build 5a4d6b2b) compiled at 2021-01-01",
            "gaussdb (openGauss 5.0.1 build 33b035fd)"};
        for (String v : versions) {
            assertEquals("openGauss", DialectResolver.fromServer(v, 90204, bins, "m", LOCAL).name(), v);
        }
        assertEquals("PostgreSQL 15", DialectResolver.fromServer("PostgreSQL 15.8 on x86_64-pc-linux-gnu", 150008,
                bins, "m", LOCAL).name());
    }

    @Test
    void binNameOverridesReplaceTheProductsToolNames() {
        Dialect d = new OpenGaussDialect(new Binaries(BIN, Map.of("pg_ctl", "my_ctl")), null, "n", LOCAL);
        assertEquals("/opt/og/bin/my_ctl", d.stopCommand(DATA, io.has.db.StopMode.FAST, 5).get(0));
        assertEquals("gaussdb", d.serverExecutableName());
    }
}
