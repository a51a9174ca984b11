package io.has.db.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.db.LocalServerSettings;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class PostgresParametersTest {

    private static final LocalServerSettings FIXED =
            new LocalServerSettings("10.0.0.5", 5433, "demo", Path.of("/var/lib/pg/data.sock"));
    private final PostgresDialect pg15 = new PostgresDialect(null, 15);

    @Test
    void defaultsWhenNothingIsConfigured() {
        Map<String, String> p = pg15.serverParameters(Map.of(), Map.of(), FIXED);
        assertEquals("10.0.0.5", p.get("listen_addresses"));
        assertEquals("5433", p.get("port"));
        assertEquals("demo", p.get("cluster_name"));
        assertEquals("on", p.get("hot_standby"));
        assertEquals("replica", p.get("wal_level"));
        assertEquals("on", p.get("wal_log_hints"));
        assertEquals("10", p.get("max_wal_senders"));
        assertEquals("10", p.get("max_replication_slots"));
        assertEquals("100", p.get("max_connections"));
        assertEquals("64", p.get("max_locks_per_transaction"));
        assertEquals("8", p.get("max_worker_processes"));
        assertEquals("0", p.get("max_prepared_transactions"));
        assertEquals("off", p.get("track_commit_timestamp"));
        assertEquals("128MB", p.get("wal_keep_size"));
        assertEquals("/var/lib/pg/data.sock", p.get("unix_socket_directories"));
    }

    @Test
    void localWinsOverDynamicForOrdinaryParameters() {
        Map<String, Object> dynamic = Map.of("work_mem", "8MB", "shared_buffers", "256MB", "log_min_duration_statement", 500);
        Map<String, Object> local = Map.of("work_mem", "16MB", "log_connections", true);
        Map<String, String> p = pg15.serverParameters(dynamic, local, FIXED);
        assertEquals("16MB", p.get("work_mem"));
        assertEquals("256MB", p.get("shared_buffers"));
        assertEquals("500", p.get("log_min_duration_statement"));
        assertEquals("on", p.get("log_connections"));
    }

    @Test
    void controlledParametersComeFromDynamicOnlyWhenValid() {
        Map<String, Object> dynamic = new LinkedHashMap<>();
        dynamic.put("max_connections", 200);
        dynamic.put("max_wal_senders", 2); // below the minimum of 3
        dynamic.put("wal_level", "logical");
        dynamic.put("hot_standby", "off"); // forced on
        dynamic.put("wal_log_hints", false); // forced on
        dynamic.put("max_locks_per_transaction", "lots");
        dynamic.put("port", 9999); // local only
        Map<String, Object> local = Map.of("max_connections", 50, "wal_level", "minimal", "port", 1234,
                "listen_addresses", "*", "cluster_name", "other");
        Map<String, String> p = pg15.serverParameters(dynamic, local, FIXED);
        assertEquals("200", p.get("max_connections"));
        assertEquals("10", p.get("max_wal_senders"));
        assertEquals("logical", p.get("wal_level"));
        assertEquals("on", p.get("hot_standby"));
        assertEquals("on", p.get("wal_log_hints"));
        assertEquals("64", p.get("max_locks_per_transaction"));
        assertEquals("5433", p.get("port"));
        assertEquals("10.0.0.5", p.get("listen_addresses"));
        assertEquals("demo", p.get("cluster_name"));
    }

    @Test
    void walKeepSegmentsIsTranslatedOn13AndNewer() {
        assertEquals("256MB", pg15.serverParameters(Map.of("wal_keep_segments", 16), Map.of(), FIXED)
                .get("wal_keep_size"));
        assertEquals("1GB", pg15.serverParameters(Map.of("wal_keep_segments", 16, "wal_keep_size", "1GB"), Map.of(),
                FIXED).get("wal_keep_size"));
        assertEquals("128MB", pg15.serverParameters(Map.of("wal_keep_size", "8MB"), Map.of(), FIXED)
                .get("wal_keep_size"));
        Map<String, String> pg12 = new PostgresDialect(null, 12)
                .serverParameters(Map.of("wal_keep_segments", 32), Map.of(), FIXED);
        assertEquals("32", pg12.get("wal_keep_segments"));
        assertFalse(pg12.containsKey("wal_keep_size"));
    }

    @Test
    void localMayMoveTheSocketButDynamicMayNot() {
        assertEquals("/var/lib/pg/data.sock", pg15.serverParameters(Map.of("unix_socket_directories", "/tmp"),
                Map.of(), FIXED).get("unix_socket_directories"));
        assertEquals("/run/pg", pg15.serverParameters(Map.of(), Map.of("unix_socket_directories", "/run/pg"), FIXED)
                .get("unix_socket_directories"));
    }

    @Test
    void invalidNamesAreDropped() {
        Map<String, String> p = pg15.serverParameters(Map.of("bad name", "x", "ok_name", "y"), Map.of(), FIXED);
        assertFalse(p.containsKey("bad name"));
        assertEquals("y", p.get("ok_name"));
    }

    @Test
    void postgresqlConfIncludesBaseFirstAndStandbyLast() {
        Map<String, String> p = new LinkedHashMap<>();
        p.put("port", "5432");
        p.put("search_path", "\"$user\", it's");
        p.put("archive_command", "cp %p /arch\\%f");
        String conf = pg15.renderConf(p);
        List<String> lines = conf.lines().toList();
        assertTrue(lines.get(0).startsWith("# Managed by HAS"));
        int base = lines.indexOf("include 'postgresql.base.conf'");
        int port = lines.indexOf("port = '5432'");
        int standby = lines.indexOf("include_if_exists 'postgresql.standby.conf'");
        assertTrue(base > 0 && port > base && standby > port, conf);
        assertTrue(lines.contains("search_path = '\"$user\", it''s'"), conf);
        assertTrue(lines.contains("archive_command = 'cp %p /arch\\\\%f'"), conf);
    }

    @Test
    void sizesAreUnderstood() {
        assertEquals(128, PostgresParameters.megabytes("128MB"));
        assertEquals(2048, PostgresParameters.megabytes("2GB"));
        assertEquals(16, PostgresParameters.megabytes("16"));
        assertEquals(-1, PostgresParameters.megabytes("big"));
    }
}
