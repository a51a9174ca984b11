-- Vastbase G100. The WAL-position part is the query Vastbase's own HAS runs (seed §2.7):
--   CASE WHEN pg_is_in_recovery() THEN GREATEST(
--     pg_xlog_location_diff(COALESCE(pg_last_xlog_receive_location(), '0/0'), '0/0')::bigint,
--     pg_xlog_location_diff((select lsn from pg_last_xlog_replay_location()), '0/0')::bigint)
--   ELSE pg_xlog_location_diff(pg_current_xlog_location(), '0/0')::bigint END
-- HAS returns the same three locations as text and takes the greatest itself.
-- The timeline never advances, so the "timeline" column carries the term (gs_ctl/vb_ctl -T).
-- Timestamps are UTC; the caller appends +00:00.
SELECT r.in_recovery,
       CASE WHEN r.in_recovery THEN NULL ELSE pg_catalog.pg_current_xlog_location() END AS current_lsn,
       COALESCE(pg_catalog.pg_last_xlog_receive_location(), '0/0') AS receive_lsn,
       (select lsn from pg_catalog.pg_last_xlog_replay_location()) AS replay_lsn,
       pg_catalog.to_char(pg_catalog.pg_last_xact_replay_timestamp() AT TIME ZONE 'UTC',
                          'YYYY-MM-DD HH24:MI:SS.US') AS replay_timestamp,
       (select term from pg_catalog.pg_last_xlog_replay_location())::int AS timeline,
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
