package io.has.db.contract;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.cluster.HostPort;
import io.has.db.Dialect;
import io.has.db.LocalServerSettings;
import io.has.db.LocalState;
import io.has.db.ManagedFiles;
import io.has.db.ProbeRows;
import io.has.db.ReplicationInfo;
import io.has.db.StandbySettings;
import io.has.db.StopMode;
import io.has.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The contract every {@link Dialect} fulfils, run once per dialect by a subclass that supplies the
 * expected command lines, SQL fragments, parameters and result rows captured from (or, for
 * openGauss and Vastbase, shaped exactly like) the real server's. The facts for openGauss and
 * Vastbase come from reference/opengauss.md §1–§4 and the seed's §2.3/§2.7.
 */
abstract class DialectContractTest {

    static final Path DATA = Path.of("/var/lib/db/data");
    static final Path LOG = Path.of("/var/lib/db/data.log");
    static final HostPort PEER = new HostPort("10.0.0.2", 5432);

    /** Every query {@code PostgresDatabase}, {@code RoleSetup} and {@code ServerProbe} run. */
    static final List<String> QUERIES = List.of("probe", "replication", "is_in_recovery", "checkpoint", "reload",
            "role_exists", "slots", "create_slot", "drop_slot", "create_replication_role", "alter_replication_role",
            "create_rewind_role", "alter_rewind_role", "create_user", "alter_user", "grant_rewind");

    abstract Dialect dialect();

    // ------------------------------------------------------------------ what each dialect states

    abstract String expectedName();

    abstract String expectedSqlFolder();

    abstract List<String> expectedStart(boolean standby);

    abstract List<String> expectedStopImmediate();

    /** Empty when promotion is the SQL query {@code promote_signal}. */
    abstract List<String> expectedPromote(int newTimeline);

    abstract List<String> expectedRewind();

    abstract List<String> expectedClone();

    /** Fragments the probe and replication queries must contain (function and column names). */
    abstract List<String> requiredSql();

    /** Fragments no query of this dialect may contain (another version's or product's names). */
    abstract List<String> forbiddenSql();

    /** Parameter name to value HAS writes by default. */
    abstract Map<String, String> expectedDefaults();

    /** Parameters that must not be written for this dialect. */
    abstract List<String> forbiddenParameters();

    /** A probe row of a primary: expected walPosition 0x3000060, timeline {@link #primaryTimeline()}. */
    abstract Map<String, String> primaryProbeRow();

    abstract int primaryTimeline();

    /** A probe row of a streaming standby: received 0/3000148, replayed 0/3000110. */
    abstract Map<String, String> standbyProbeRow();

    /** A replication row for member {@code pg-b}, streaming, sync, flush 0/3000148, replay 0/3000110. */
    abstract Map<String, String> replicationRow();

    abstract String expectedJdbcPrefix();

    abstract String expectedDriverClass();

    /** A file the standby configuration must create, and a text it must contain. */
    abstract String standbyFile();

    abstract String standbyFileMustContain();

    // ------------------------------------------------------------------ the shared cases

    @Test
    void nameAndSqlFolder() {
        assertEquals(expectedName(), dialect().name());
        assertEquals(expectedSqlFolder(), dialect().sqlFolder());
    }

    @Test
    void everyQueryExistsInTheDialectsOwnFolder() {
        List<String> names = new ArrayList<>(QUERIES);
        if (dialect().promoteCommand(DATA, 60, 2).isEmpty()) {
            names.add("promote_signal");
        }
        if (dialect().slotsOnStandby()) {
            names.add("create_standby_slot");
        }
        for (String n : names) {
            assertDoesNotThrow(() -> dialect().sql(n), n);
            assertNotBlank(dialect().sql(n), n);
        }
    }

    @Test
    void queriesUseThisDialectsVocabulary() {
        String probeAndReplication = dialect().sql("probe") + "\n" + dialect().sql("replication");
        for (String f : requiredSql()) {
            assertTrue(probeAndReplication.contains(f), "missing '" + f + "' in\n" + probeAndReplication);
        }
        for (String n : QUERIES) {
            String sql = dialect().sql(n);
            for (String f : forbiddenSql()) {
                assertFalse(sql.contains(f), n + ".sql must not contain '" + f + "'");
            }
        }
    }

    @Test
    void generatedCommands() {
        Dialect d = dialect();
        assertEquals(expectedStart(false), d.startCommand(DATA, LOG, 60, false, Map.of()));
        assertEquals(expectedStart(true), d.startCommand(DATA, LOG, 60, true, Map.of()));
        assertEquals(expectedStopImmediate(), d.stopCommand(DATA, StopMode.IMMEDIATE, 60));
        List<String> fast = d.stopCommand(DATA, StopMode.FAST, 60);
        assertEquals(fast.get(fast.indexOf("-m") + 1), "fast");
        assertEquals(expectedPromote(7), d.promoteCommand(DATA, 60, 7));
        assertEquals(expectedRewind(), d.rewindCommand(DATA, d.rewindSourceConninfo(PEER, "rewinder", "postgres",
                "prefer")));
        assertEquals(expectedClone(), d.basebackupCommand(DATA, PEER, "replicator", List.of()));
    }

    @Test
    void commandLineCarriesControlledParametersWithShellQuoting() {
        Map<String, String> effective = defaults();
        Map<String, String> cmdline = dialect().commandLineParameters(effective);
        assertEquals(effective.get("max_connections"), cmdline.get("max_connections"));
        assertEquals(effective.get("wal_level"), cmdline.get("wal_level"));
        assertFalse(cmdline.containsKey("shared_buffers"), "only controlled parameters go on the command line");
        Map<String, String> two = new java.util.LinkedHashMap<>();
        two.put("port", "5432");
        two.put("x", "it's");
        List<String> start = dialect().startCommand(DATA, LOG, 60, false, two);
        assertEquals("-o", start.get(start.size() - 2));
        assertEquals("-c 'port=5432' -c 'x=it'\\''s'", start.get(start.size() - 1));
    }

    @Test
    void defaultParametersFollowTheSeedFilteredPerDialect() {
        Map<String, String> p = defaults();
        expectedDefaults().forEach((k, v) -> assertEquals(v, p.get(k), k));
        for (String f : forbiddenParameters()) {
            assertFalse(p.containsKey(f), f + " must not be written for " + dialect().name());
        }
        Map<String, String> withBad = dialect().serverParameters(Map.of("wal_level", "minimal", "work_mem", "8MB"),
                Map.of("max_connections", 5), new LocalServerSettings("*", 5432, "c", null));
        assertEquals(expectedDefaults().get("wal_level"), withBad.get("wal_level"), "minimal is refused");
        assertEquals("8MB", withBad.get("work_mem"));
        assertEquals("100", withBad.get("max_connections"), "a local value of a controlled parameter is ignored");
    }

    @Test
    void parsesAPrimaryProbeRow() {
        LocalState s = ProbeRows.localState(primaryProbeRow(), dialect(), null, List.of());
        assertFalse(s.inRecovery());
        assertEquals(0x3000060L, s.walPosition());
        assertEquals(primaryTimeline(), s.timeline());
        assertEquals("2026-11-21 20:53:27.123456+00:00", s.postmasterStartTime());
        assertEquals("7310730762112927255", s.systemId());
    }

    @Test
    void parsesAStandbyProbeRow() {
        LocalState s = ProbeRows.localState(standbyProbeRow(), dialect(), PEER, List.of());
        assertTrue(s.inRecovery());
        assertEquals(0x3000148L, s.receivedLsn());
        assertEquals(0x3000110L, s.replayedLsn());
        assertEquals(0x3000148L, s.walPosition(), "max(received, replayed)");
        assertTrue(s.streaming());
        assertEquals(PEER, s.upstream());
        assertNull(s.error());
    }

    @Test
    void parsesAReplicationRow() {
        ReplicationInfo r = ProbeRows.replication(replicationRow(), dialect());
        assertEquals("pg-b", r.applicationName());
        assertEquals("streaming", r.state());
        assertEquals("sync", r.syncState());
        assertEquals(0x3000148L, r.flushLsn());
        assertEquals(0x3000110L, r.replayLsn());
    }

    @Test
    void lsnTextRoundTrips() {
        Dialect d = dialect();
        assertEquals(0x16B374D848L, d.parseLsn("16/B374D848"));
        assertEquals("16/B374D848", d.formatLsn(0x16B374D848L));
        assertEquals(0L, d.parseLsn("0/0"));
    }

    @Test
    void jdbcDriverAndUrl() throws ClassNotFoundException {
        assertTrue(dialect().jdbcUrl("10.0.0.1", 5433, "postgres").startsWith(expectedJdbcPrefix() + "10.0.0.1:5433/"));
        assertEquals(expectedDriverClass(), dialect().jdbcDriverClass());
        Class.forName(expectedDriverClass());
    }

    @Test
    void standbyConfigurationFiles(@TempDir Path dir) throws IOException {
        ManagedFiles files = new ManagedFiles(new ProcessRunner(null, Map.of()));
        StandbySettings s = new StandbySettings(PEER, "replicator", dir.resolve("pgpass"), "pg-b", "prefer", "pg_b");
        dialect().writeServerConfig(files, dir, defaults(), dialect().defaultHba());
        dialect().writeStandbyConfig(files, dir, s);
        String text = Files.readString(dir.resolve(standbyFile()));
        assertTrue(text.contains(standbyFileMustContain()), text);
        String conf = Files.readString(dir.resolve("postgresql.conf"));
        assertTrue(conf.contains("include 'postgresql.base.conf'"), conf);
    }

    Map<String, String> defaults() {
        return dialect().serverParameters(Map.of(), Map.of(), new LocalServerSettings("*", 5432, "c",
                Path.of("/run/has")));
    }

    private static void assertNotBlank(String s, String what) {
        assertFalse(s == null || s.isBlank(), what);
    }
}
