package io.has.db.contract;

import java.util.List;

/** PostgreSQL 12 to 17: standby.signal + primary_conninfo, {@code pg_promote()}, wal_keep_size from 13. */
class PostgreSQL12ContractTest extends PostgresContractTest {

    @Override
    int major() {
        return 17;
    }

    @Override
    String expectedName() {
        return "PostgreSQL 17";
    }

    @Override
    String expectedSqlFolder() {
        return "postgresql";
    }

    @Override
    List<String> expectedPromote(int newTimeline) {
        return List.of(); // SELECT pg_promote(true, timeout)
    }

    @Override
    List<String> requiredSql() {
        return List.of("pg_current_wal_lsn()", "pg_last_wal_receive_lsn()", "pg_last_wal_replay_lsn()",
                "w.sender_host", "flush_lsn::text");
    }

    @Override
    List<String> forbiddenSql() {
        return List.of("xlog", "_location");
    }

    @Override
    List<String> forbiddenParameters() {
        return List.of("wal_keep_segments", "unix_socket_directory");
    }

    @Override
    String standbyFile() {
        return "postgresql.standby.conf";
    }

    @Override
    String standbyFileMustContain() {
        return "primary_conninfo = 'host=10.0.0.2 port=5432 user=replicator passfile=";
    }
}
