package io.has.db.contract;

import java.util.List;

/** PostgreSQL 9.6: pg_xlog functions, {@code *_location} columns, recovery.conf, {@code pg_ctl promote} without wait. */
class PostgreSQL96ContractTest extends PostgresContractTest {

    @Override
    int major() {
        return 9;
    }

    @Override
    String expectedName() {
        return "PostgreSQL 9.6";
    }

    @Override
    String expectedSqlFolder() {
        return "postgresql-9.6";
    }

    @Override
    List<String> expectedPromote(int newTimeline) {
        return List.of("/opt/pg/bin/pg_ctl", "promote", "-D", "/var/lib/db/data");
    }

    @Override
    List<String> requiredSql() {
        return List.of("pg_current_xlog_location()", "pg_last_xlog_receive_location()",
                "pg_last_xlog_replay_location()", "pg_xlogfile_name(", "flush_location", "replay_location");
    }

    @Override
    List<String> forbiddenSql() {
        return List.of("_wal_lsn", "pg_walfile_name", "pg_promote", "flush_lsn::", "w.sender_host");
    }

    @Override
    List<String> forbiddenParameters() {
        return List.of("wal_keep_size", "unix_socket_directory");
    }

    @Override
    String standbyFile() {
        return "recovery.conf";
    }

    @Override
    String standbyFileMustContain() {
        // libpq 9.6 has no passfile option: the walreceiver reads PGPASSFILE
        return "standby_mode = 'on'\nprimary_conninfo = 'host=10.0.0.2 port=5432 user=replicator sslmode=prefer"
                + " application_name=pg-b'\nprimary_slot_name = 'pg_b'";
    }
}
