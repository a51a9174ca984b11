package io.has.db.contract;

import java.util.List;

/** PostgreSQL 10 and 11: pg_wal functions, {@code *_lsn} columns, recovery.conf, {@code pg_ctl promote -w}. */
class PostgreSQL10ContractTest extends PostgresContractTest {

    @Override
    int major() {
        return 11;
    }

    @Override
    String expectedName() {
        return "PostgreSQL 11";
    }

    @Override
    String expectedSqlFolder() {
        return "postgresql-10";
    }

    @Override
    List<String> expectedPromote(int newTimeline) {
        return List.of("/opt/pg/bin/pg_ctl", "promote", "-D", "/var/lib/db/data", "-w", "-t", "60");
    }

    @Override
    List<String> requiredSql() {
        return List.of("pg_current_wal_lsn()", "pg_last_wal_receive_lsn()", "pg_last_wal_replay_lsn()",
                "pg_walfile_name(", "flush_lsn::text", "replay_lsn::text");
    }

    @Override
    List<String> forbiddenSql() {
        return List.of("xlog", "_location", "pg_promote", "w.sender_host");
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
        return "standby_mode = 'on'\nprimary_conninfo = 'host=10.0.0.2 port=5432 user=replicator passfile=";
    }
}
