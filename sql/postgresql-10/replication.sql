-- WAL senders on a primary, most advanced first.
SELECT usename,
       application_name,
       pg_catalog.host(client_addr) AS client_addr,
       pg_catalog.lower(state) AS state,
       pg_catalog.lower(sync_state) AS sync_state,
       sync_priority,
       flush_lsn::text AS flush_lsn,
       replay_lsn::text AS replay_lsn
  FROM pg_catalog.pg_stat_replication
 ORDER BY flush_lsn DESC NULLS LAST, application_name
