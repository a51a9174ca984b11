-- PostgreSQL 10 and 11. One round trip per HA cycle: role, WAL positions, timeline, versions and the WAL receiver.
-- Timeline on a primary: from the name of the current WAL file (exact right after promotion, unlike
-- pg_control_checkpoint()); on a standby: the WAL receiver's, else the last restartpoint's.
-- Timestamps are UTC; the caller appends +00:00.
SELECT r.in_recovery,
       CASE WHEN r.in_recovery THEN NULL ELSE pg_catalog.pg_current_wal_lsn()::text END AS current_lsn,
       pg_catalog.pg_last_wal_receive_lsn()::text AS receive_lsn,
       pg_catalog.pg_last_wal_replay_lsn()::text AS replay_lsn,
       pg_catalog.to_char(pg_catalog.pg_last_xact_replay_timestamp() AT TIME ZONE 'UTC',
                          'YYYY-MM-DD HH24:MI:SS.US') AS replay_timestamp,
       CASE WHEN r.in_recovery
            THEN COALESCE(w.received_tli, (SELECT timeline_id FROM pg_catalog.pg_control_checkpoint()))
            ELSE ('x' || pg_catalog.substr(pg_catalog.pg_walfile_name(pg_catalog.pg_current_wal_lsn()), 1, 8))::bit(32)::int
       END AS timeline,
       pg_catalog.current_setting('server_version_num')::int AS server_version,
       pg_catalog.to_char(pg_catalog.pg_postmaster_start_time() AT TIME ZONE 'UTC',
                          'YYYY-MM-DD HH24:MI:SS.US') AS postmaster_start_time,
       (SELECT system_identifier FROM pg_catalog.pg_control_system())::text AS system_id,
       COALESCE(w.status = 'streaming', false) AS streaming,
       NULL::text AS sender_host, -- pg_stat_wal_receiver.sender_host/_port exist from 11 only
       NULL::int AS sender_port
  FROM (SELECT pg_catalog.pg_is_in_recovery() AS in_recovery) r
  LEFT JOIN pg_catalog.pg_stat_wal_receiver w ON true
