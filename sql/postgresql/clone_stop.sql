-- SQL clone, PostgreSQL 15+: ends the backup started on this connection (no archiving wait).
SELECT labelfile, spcmapfile FROM pg_catalog.pg_backup_stop(false)
