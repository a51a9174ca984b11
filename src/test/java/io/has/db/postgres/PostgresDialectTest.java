package io.has.db.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.cluster.HostPort;
import io.has.cluster.PgState;
import io.has.db.ControlData;
import io.has.db.DbException;
import io.has.db.StandbySettings;
import io.has.db.StopMode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PostgresDialectTest {

    private static final Path BIN = Path.of("/usr/lib/postgresql/15/bin");
    private static final Path DATA = Path.of("/var/lib/pg/data");
    private final PostgresDialect pg15 = new PostgresDialect(BIN, 15);

    /** Captured from a fresh initdb of PostgreSQL 15.18 (LC_ALL=C pg_controldata). */
    static final String CONTROLDATA_15 = """
            pg_control version number:            1300
            Catalog version number:               202209061
            Database system identifier:           7710730762112927255
            Database cluster state:               shut down
            pg_control last modified:             Sat Nov 21 20:53:27 2026
            Latest checkpoint location:           0/1500718
            Latest checkpoint's REDO location:    0/1500718
            Latest checkpoint's REDO WAL file:    000000010000000000000001
            Latest checkpoint's TimeLineID:       1
            Latest checkpoint's PrevTimeLineID:   1
            Latest checkpoint's full_page_writes: on
            Latest checkpoint's NextXID:          0:724
            Latest checkpoint's NextOID:          13572
            Latest checkpoint's NextMultiXactId:  1
            Latest checkpoint's NextMultiOffset:  0
            Latest checkpoint's oldestXID:        716
            Latest checkpoint's oldestXID's DB:   1
            Latest checkpoint's oldestActiveXID:  0
            Latest checkpoint's oldestMultiXid:   1
            Latest checkpoint's oldestMulti's DB: 1
            Latest checkpoint's oldestCommitTsXid:0
            Latest checkpoint's newestCommitTsXid:0
            Time of latest checkpoint:            Sat Nov 21 20:53:27 2026
            Fake LSN counter for unlogged rels:   0/3E8
            Minimum recovery ending location:     0/0
            Min recovery ending loc's timeline:   0
            Backup start location:                0/0
            Backup end location:                  0/0
            End-of-backup record required:        no
            wal_level setting:                    replica
            wal_log_hints setting:                off
            max_connections setting:              100
            max_worker_processes setting:         8
            max_wal_senders setting:              10
            max_prepared_xacts setting:           0
            max_locks_per_xact setting:           64
            track_commit_timestamp setting:       off
            Maximum data alignment:               8
            Database block size:                  8192
            Blocks per segment of large relation: 131072
            WAL block size:                       8192
            Bytes per WAL segment:                16777216
            Maximum length of identifiers:        64
            Maximum columns in an index:          32
            Maximum size of a TOAST chunk:        1996
            Size of a large-object chunk:         2048
            Date/time type storage:               64-bit integers
            Float8 argument passing:              by value
            Data page checksum version:           0
            Mock authentication nonce:            815774a7fea788b0e631e632ddc7adef7c90b47f63e6986c1cff23fb079f352f
            """;

    @Test
    void lsnRoundTrips() {
        assertEquals(50331744L, pg15.parseLsn("0/3000060"));
        assertEquals("0/3000060", pg15.formatLsn(50331744L));
        long big = pg15.parseLsn("16/B374D848");
        assertEquals((0x16L << 32) | 0xB374D848L, big);
        assertEquals("16/B374D848", pg15.formatLsn(big));
        assertEquals("FFFFFFFF/FFFFFFFF", pg15.formatLsn(pg15.parseLsn("FFFFFFFF/FFFFFFFF")));
        assertEquals(0L, pg15.parseLsn("0/0"));
        assertThrows(IllegalArgumentException.class, () -> pg15.parseLsn("garbage"));
        assertThrows(IllegalArgumentException.class, () -> pg15.parseLsn("100000000/0"));
    }

    @Test
    void controlDataOfCleanlyStoppedFreshCluster() {
        ControlData cd = pg15.parseControlData(CONTROLDATA_15);
        assertEquals("7710730762112927255", cd.systemId());
        assertEquals("shut down", cd.clusterState());
        assertTrue(cd.wasPrimary());
        assertTrue(cd.cleanShutdown());
        assertEquals(1, cd.timeline());
        assertEquals(pg15.parseLsn("0/1500718"), cd.checkpointLsn());
        assertFalse(cd.rewindable(), "wal_log_hints off and no checksums");
    }

    @Test
    void controlDataStatesMapToPrimaryAndCleanShutdown() {
        ControlData crashed = pg15.parseControlData(CONTROLDATA_15
                .replace("shut down", "in production").replaceAll("(wal_log_hints setting: +)off", "$1on"));
        assertTrue(crashed.wasPrimary());
        assertFalse(crashed.cleanShutdown());
        assertTrue(crashed.rewindable());
        ControlData standby = pg15.parseControlData(CONTROLDATA_15.replace("shut down", "shut down in recovery")
                .replaceAll("(TimeLineID: +)1", "$13"));
        assertFalse(standby.wasPrimary());
        assertTrue(standby.cleanShutdown());
        assertEquals(3, standby.timeline());
        ControlData archive = pg15.parseControlData(CONTROLDATA_15.replace("shut down", "in archive recovery"));
        assertFalse(archive.wasPrimary());
        assertFalse(archive.cleanShutdown());
        ControlData empty = pg15.parseControlData("");
        assertNull(empty.systemId());
        assertNull(empty.timeline());
    }

    @Test
    void commandsCarryTheExpectedFlags() {
        assertEquals(List.of("/usr/lib/postgresql/15/bin/initdb", "-D", "/var/lib/pg/data", "--username=postgres",
                "--pwfile=/tmp/pw", "--encoding=UTF8", "--data-checksums"),
                pg15.initdbCommand(DATA, "postgres", Path.of("/tmp/pw"), List.of("--encoding=UTF8", "--data-checksums")));
        assertEquals(List.of("/usr/lib/postgresql/15/bin/pg_ctl", "start", "-D", "/var/lib/pg/data", "-w", "-t", "60",
                "-l", "/var/lib/pg/data.log"), pg15.startCommand(DATA, Path.of("/var/lib/pg/data.log"), 60, false,
                        java.util.Map.of()));
        assertEquals(List.of("/usr/lib/postgresql/15/bin/pg_ctl", "stop", "-D", "/var/lib/pg/data", "-m", "immediate",
                "-w", "-t", "30"), pg15.stopCommand(DATA, StopMode.IMMEDIATE, 30));
        assertTrue(pg15.stopCommand(DATA, StopMode.FAST, 30).containsAll(List.of("-m", "fast")));
        assertEquals(List.of("/usr/lib/postgresql/15/bin/pg_basebackup", "-D", "/var/lib/pg/data", "-h", "10.0.0.1",
                "-p", "5433", "-U", "replicator", "-X", "stream", "-c", "fast", "-w", "--max-rate=10M"),
                pg15.basebackupCommand(DATA, new HostPort("10.0.0.1", 5433), "replicator", List.of("--max-rate=10M")));
        assertEquals(List.of("/usr/lib/postgresql/15/bin/pg_rewind", "--target-pgdata=/var/lib/pg/data",
                "--source-server=host=h port=1 user=rewinder dbname=postgres sslmode=prefer", "--progress"),
                pg15.rewindCommand(DATA, pg15.rewindSourceConninfo(new HostPort("h", 1), "rewinder", "postgres",
                        "prefer")));
        List<String> single = pg15.crashRecoveryCommand(DATA, Map.of());
        assertEquals(List.of("/usr/lib/postgresql/15/bin/postgres", "--single", "-D", "/var/lib/pg/data"),
                single.subList(0, 4));
        assertEquals("postgres", single.get(single.size() - 1));
        List<String> withSyncfs = pg15.crashRecoveryCommand(DATA, Map.of("recovery_init_sync_method", "syncfs"));
        assertEquals(List.of("-c", "recovery_init_sync_method=syncfs", "postgres"),
                withSyncfs.subList(withSyncfs.size() - 3, withSyncfs.size()), "parameters come before the database");
        assertEquals(List.of("pg_controldata", "-D", "/var/lib/pg/data"),
                new PostgresDialect(null, 15).controlDataCommand(DATA));
    }

    @Test
    void initdbAndPgBasebackupCanLeaveTheSyncToTheCaller() {
        assertEquals(Optional.of("--no-sync"), pg15.initdbNoSyncOption());
        assertEquals(Optional.of("--no-sync"), pg15.basebackupNoSyncOption());
        PostgresDialect pg96 = new PostgresDialect(BIN, 9);
        assertEquals(Optional.of("--nosync"), pg96.initdbNoSyncOption());
        assertEquals(Optional.empty(), pg96.basebackupNoSyncOption()); // 9.6's pg_basebackup has no such option
    }

    @Test
    void theLockFileTellsAFinishedStartFrom10On(@TempDir Path dir) throws Exception {
        Files.write(dir.resolve("postmaster.pid"), List.of("4242", dir.toString(), "1763780000", "5432", "/tmp",
                "127.0.0.1", "  5432001  32769", "ready   "));
        assertTrue(pg15.lockFileSaysStarted(dir, 1763780000, 0));
        assertTrue(new PostgresDialect(BIN, 10).lockFileSaysStarted(dir, 1763780000, 0));
        assertFalse(new PostgresDialect(BIN, 9).lockFileSaysStarted(dir, 1763780000, 0)); // 9.6 writes no status
        assertFalse(pg15.lockFileSaysStarted(dir, 1763780000, 4242));
    }

    @Test
    void primaryConninfoNamesTheMemberAndQuotesOddValues() {
        StandbySettings s = new StandbySettings(new HostPort("10.0.0.1", 5432), "repl", Path.of("/var/lib/pg/.pgpass"),
                "node-2", "prefer", "node_2");
        assertEquals("host=10.0.0.1 port=5432 user=repl passfile=/var/lib/pg/.pgpass sslmode=prefer"
                + " application_name=node-2", pg15.primaryConninfo(s));
        String conf = pg15.renderStandbyConf(s);
        assertTrue(conf.contains("primary_conninfo = 'host=10.0.0.1 port=5432 user=repl"), conf);
        assertTrue(conf.contains("primary_slot_name = 'node_2'"), conf);
        StandbySettings odd = new StandbySettings(new HostPort("h", 1), "o'brien", Path.of("/a b/pass"), "n", "require",
                null);
        assertEquals("host=h port=1 user='o\\'brien' passfile='/a b/pass' sslmode=require application_name=n",
                pg15.primaryConninfo(odd));
        assertTrue(pg15.renderStandbyConf(odd).contains("user=''o\\\\''brien''"), pg15.renderStandbyConf(odd));
        assertFalse(pg15.renderStandbyConf(odd).contains("primary_slot_name"));
        StandbySettings none = new StandbySettings(null, "repl", null, "n", "prefer", "n");
        assertFalse(pg15.renderStandbyConf(none).contains("primary_conninfo"));
    }

    @Test
    void theTimelineToFollowIsWrittenOnlyWhereLatestIsNotTheDefault() {
        StandbySettings s = new StandbySettings(new HostPort("h", 1), "repl", null, "n", "prefer", null);
        assertFalse(pg15.renderStandbyConf(s).contains("recovery_target_timeline"), "12 and later follow the latest");
        assertFalse(new PostgresDialect(BIN, 12).renderStandbyConf(s).contains("recovery_target_timeline"));
        assertTrue(new PostgresDialect(BIN, 11).renderStandbyConf(s).contains("recovery_target_timeline = 'latest'"),
                "recovery.conf before 12 follows the current timeline unless told");
    }

    @Test
    void pgRewindLeavesTheSyncToTheCallerFrom12() {
        assertEquals(Optional.of("--no-sync"), pg15.rewindNoSyncOption());
        assertEquals(Optional.of("--no-sync"), new PostgresDialect(BIN, 12).rewindNoSyncOption());
        assertTrue(new PostgresDialect(BIN, 11).rewindNoSyncOption().isEmpty());
    }

    @Test
    void syncfsAtStartFrom14() {
        assertEquals(Optional.of(Map.entry("recovery_init_sync_method", "syncfs")), pg15.syncfsAtStartParameter());
        assertTrue(new PostgresDialect(BIN, 14).syncfsAtStartParameter().isPresent());
        assertTrue(new PostgresDialect(BIN, 13).syncfsAtStartParameter().isEmpty());
    }

    @Test
    void followNeedsRestartOnlyBefore13() {
        assertTrue(new PostgresDialect(BIN, 12).upstreamChangeNeedsRestart());
        assertFalse(new PostgresDialect(BIN, 13).upstreamChangeNeedsRestart());
        assertFalse(pg15.upstreamChangeNeedsRestart());
    }

    @Test
    void quotingOfIdentifiersAndLiterals() {
        assertEquals("\"repl\"", pg15.quoteIdent("repl"));
        assertEquals("\"we\"\"ird\"", pg15.quoteIdent("we\"ird"));
        assertEquals("'it''s'", pg15.quoteLiteral("it's"));
        assertEquals("E'a\\\\b'", pg15.quoteLiteral("a\\b"));
        assertThrows(IllegalArgumentException.class, () -> pg15.quoteLiteral("a\0b"));
    }

    @Test
    void sqlIsLoadedFromTheClasspath() {
        assertTrue(pg15.sql("probe").contains("pg_is_in_recovery"));
        assertTrue(pg15.sql("create_replication_role").contains("{role}"));
        assertThrows(IllegalStateException.class, () -> pg15.sql("no_such_query"));
    }

    @Test
    void jdbcUrlAndTimeouts() {
        assertEquals("jdbc:postgresql://127.0.0.1:5432/postgres", pg15.jdbcUrl("127.0.0.1", 5432, "postgres"));
        assertEquals("jdbc:postgresql://[::1]:5432/postgres", pg15.jdbcUrl("::1", 5432, "postgres"));
        var opts = pg15.jdbcOptions(2, 3, 2000);
        assertEquals("2", opts.get("connectTimeout"));
        assertEquals("3", opts.get("socketTimeout"));
        assertEquals("-c statement_timeout=2000", opts.get("options"));
    }

    @Test
    void startingUpAndShuttingDownAreRecognised() {
        assertEquals(PgState.STARTING,
                pg15.stateFromConnectError(new SQLException("FATAL: the database system is starting up", "57P03")));
        assertEquals(PgState.STOPPING,
                pg15.stateFromConnectError(new SQLException("FATAL: the database system is shutting down", "57P03")));
        assertNull(pg15.stateFromConnectError(new SQLException("password authentication failed", "28P01")));
    }

    @Test
    void versionTextSelectsTheDialect() throws DbException {
        io.has.db.Binaries bins = io.has.db.Binaries.in(BIN);
        var d = PostgresDialect.fromVersionText(bins, "postgres (PostgreSQL) 15.18 (Debian 15.18-0+deb12u1)\n", null);
        assertEquals("PostgreSQL 15", d.orElseThrow().name());
        assertTrue(PostgresDialect.fromVersionText(bins, "gaussdb (openGauss 5.0.1 build 33b035fd)", null).isEmpty());
        assertEquals("PostgreSQL 9.6", PostgresDialect.fromVersionText(bins, "postgres (PostgreSQL) 9.6.24", null)
                .orElseThrow().name());
        assertThrows(DbException.class, () -> PostgresDialect.fromVersionText(bins, "postgres (PostgreSQL) 9.5.25",
                null));
    }
}
