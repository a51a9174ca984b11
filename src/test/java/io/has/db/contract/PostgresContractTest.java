package io.has.db.contract;

import io.has.db.Dialect;
import io.has.db.postgres.PostgresDialect;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Shared expectations of the PostgreSQL dialects; subclasses fix the major version. Rows were
 * captured from real servers (PostgreSQL 9.6.24, 10.23 and 15 via psql, booleans as {@code t}/{@code f}).
 */
abstract class PostgresContractTest extends DialectContractTest {

    static final Path BIN = Path.of("/opt/pg/bin");

    abstract int major();

    @Override
    Dialect dialect() {
        return new PostgresDialect(BIN, major());
    }

    @Override
    List<String> expectedStart(boolean standby) {
        // the role comes from the data directory (recovery.conf / standby.signal), not the command line
        return List.of("/opt/pg/bin/pg_ctl", "start", "-D", "/var/lib/db/data", "-w", "-t", "60", "-l",
                "/var/lib/db/data.log");
    }

    @Override
    List<String> expectedStopImmediate() {
        return List.of("/opt/pg/bin/pg_ctl", "stop", "-D", "/var/lib/db/data", "-m", "immediate", "-w", "-t", "60");
    }

    @Override
    List<String> expectedRewind() {
        return List.of("/opt/pg/bin/pg_rewind", "--target-pgdata=/var/lib/db/data",
                "--source-server=host=10.0.0.2 port=5432 user=rewinder dbname=postgres sslmode=prefer", "--progress");
    }

    @Override
    List<String> expectedClone() {
        return List.of("/opt/pg/bin/pg_basebackup", "-D", "/var/lib/db/data", "-h", "10.0.0.2", "-p", "5432", "-U",
                "replicator", "-X", "stream", "-c", "fast", "-w");
    }

    @Override
    Map<String, String> expectedDefaults() {
        Map<String, String> m = new LinkedHashMap<>();
        m.put("max_connections", "100");
        m.put("max_locks_per_transaction", "64");
        m.put("max_worker_processes", "8");
        m.put("max_prepared_transactions", "0");
        m.put("wal_level", "replica");
        m.put("wal_log_hints", "on");
        m.put("track_commit_timestamp", "off");
        m.put("hot_standby", "on");
        m.put("cluster_name", "c");
        m.put("unix_socket_directories", "/run/has");
        return m;
    }

    @Override
    String expectedJdbcPrefix() {
        return "jdbc:postgresql://";
    }

    @Override
    String expectedDriverClass() {
        return "org.postgresql.Driver";
    }

    @Override
    int primaryTimeline() {
        return 3;
    }

    @Override
    Map<String, String> primaryProbeRow() {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("in_recovery", "f");
        r.put("current_lsn", "0/3000060");
        r.put("receive_lsn", null);
        r.put("replay_lsn", null);
        r.put("replay_timestamp", null);
        r.put("timeline", "3");
        r.put("server_version", Integer.toString(major() == 9 ? 90624 : major() * 10000 + 8));
        r.put("postmaster_start_time", "2026-11-21 20:53:27.123456");
        r.put("system_id", "7310730762112927255");
        r.put("streaming", "f");
        r.put("sender_host", null);
        r.put("sender_port", null);
        return r;
    }

    @Override
    Map<String, String> standbyProbeRow() {
        Map<String, String> r = primaryProbeRow();
        r.put("in_recovery", "t");
        r.put("current_lsn", null);
        r.put("receive_lsn", "0/3000148");
        r.put("replay_lsn", "0/3000110");
        r.put("replay_timestamp", "2026-11-21 20:54:00.000001");
        r.put("streaming", "t");
        return r;
    }

    @Override
    Map<String, String> replicationRow() {
        Map<String, String> r = new LinkedHashMap<>();
        r.put("usename", "replicator");
        r.put("application_name", "pg-b");
        r.put("client_addr", "127.0.0.1");
        r.put("state", "streaming");
        r.put("sync_state", "sync");
        r.put("sync_priority", "1");
        r.put("flush_lsn", "0/3000148");
        r.put("replay_lsn", "0/3000110");
        return r;
    }
}
