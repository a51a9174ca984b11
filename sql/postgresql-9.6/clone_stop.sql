-- SQL clone, PostgreSQL 9.6: ends the non-exclusive backup started on this connection.
SELECT labelfile, spcmapfile FROM pg_catalog.pg_stop_backup(false)
