-- openGauss / Vastbase: WAL senders on a primary, most advanced first (seed §2.7, Vastbase HAS).
-- application_name is "WalSender to Standby[<name>]": the member name is between the brackets.
-- state and sync_state are capitalised (Streaming, Sync): lower-cased as the seed's query does.
-- Locations are text, so they are ordered by their byte position, not as strings.
SELECT usename,
       pg_catalog.lower(pg_catalog.left(pg_catalog.substr(application_name, pg_catalog.strpos(application_name, '[') + 1), -1)) AS application_name,
       pg_catalog.host(client_addr) AS client_addr,
       pg_catalog.lower(state) AS state,
       pg_catalog.lower(sync_state) AS sync_state,
       sync_priority,
       receiver_flush_location AS flush_lsn,
       receiver_replay_location AS replay_lsn
  FROM pg_catalog.pg_stat_replication
 ORDER BY pg_catalog.pg_xlog_location_diff(receiver_flush_location, '0/0') DESC NULLS LAST, application_name
