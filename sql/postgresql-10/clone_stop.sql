-- SQL clone, PostgreSQL 10-11: ends the non-exclusive backup started on this connection.
SELECT labelfile, spcmapfile FROM pg_catalog.pg_stop_backup(false)
