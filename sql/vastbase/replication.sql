-- Vastbase G100: the synchronous-standby query of Vastbase's own HAS (seed §2.7) with the columns
-- HAS reads added:
--   SELECT pg_catalog.lower(pg_catalog.left(pg_catalog.substr(application_name, pg_catalog.strpos(application_name,'[') + 1),-1)),
--          pg_catalog.lower(state), pg_catalog.lower(sync_state)
--     FROM pg_catalog.pg_stat_replication ORDER BY receiver_flush_location DESC;
-- (ordering by the text column sorts strings; HAS orders by byte position instead.)
SELECT usename,
       pg_catalog.lower(pg_catalog.left(pg_catalog.substr(application_name, pg_catalog.strpos(application_name,'[') + 1),-1)) AS application_name,
       pg_catalog.host(client_addr) AS client_addr,
       pg_catalog.lower(state) AS state,
       pg_catalog.lower(sync_state) AS sync_state,
       sync_priority,
       receiver_flush_location AS flush_lsn,
       receiver_replay_location AS replay_lsn
  FROM pg_catalog.pg_stat_replication
 ORDER BY pg_catalog.pg_xlog_location_diff(receiver_flush_location, '0/0') DESC NULLS LAST, application_name
