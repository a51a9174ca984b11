-- openGauss / Vastbase. One round trip per HA cycle: role, WAL positions, term, versions and the
-- WAL receiver. Every location is text ("X/X"; there is no pg_lsn type): parsed by HAS.
-- The replay function returns a record (term, lsn): SELECT lsn FROM pg_last_xlog_replay_location().
-- The timeline never advances on these products, so the "timeline" column carries the term
-- (the fencing token gs_ctl failover -T wrote), which orders primaries the way timelines do.
-- server_version_num is always 90204; nothing here depends on it.
-- Timestamps are UTC; the caller appends +00:00.
SELECT r.in_recovery,
       CASE WHEN r.in_recovery THEN NULL ELSE pg_catalog.pg_current_xlog_location() END AS current_lsn,
       pg_catalog.pg_last_xlog_receive_location() AS receive_lsn,
       (SELECT lsn FROM pg_catalog.pg_last_xlog_replay_location()) AS replay_lsn,
       pg_catalog.to_char(pg_catalog.pg_last_xact_replay_timestamp() AT TIME ZONE 'UTC',
                          'YYYY-MM-DD HH24:MI:SS.US') AS replay_timestamp,
       (SELECT term FROM pg_catalog.pg_last_xlog_replay_location())::int AS timeline,
       pg_catalog.current_setting('server_version_num')::int AS server_version,
       pg_catalog.to_char(pg_catalog.pg_postmaster_start_time() AT TIME ZONE 'UTC',
                          'YYYY-MM-DD HH24:MI:SS.US') AS postmaster_start_time,
       (SELECT system_identifier FROM pg_catalog.pg_control_system())::text AS system_id,
       (SELECT pg_catalog.count(*) > 0 FROM pg_catalog.pg_stat_get_wal_receiver()) AS streaming,
       NULL::text AS sender_host,
       NULL::int AS sender_port,
       s.local_role,
       s.db_state,
       s.detail_information
  FROM (SELECT pg_catalog.pg_is_in_recovery() AS in_recovery) r
  LEFT JOIN pg_catalog.pg_stat_get_stream_replications() s ON true
