-- SQL clone, PostgreSQL 9.6: ? = backup label; non-exclusive, immediate checkpoint.
SELECT pg_catalog.pg_start_backup(?, true, false)
