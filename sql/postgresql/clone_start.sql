-- SQL clone, PostgreSQL 15+: ? = backup label; non-exclusive, immediate checkpoint.
SELECT pg_catalog.pg_backup_start(?, true)
