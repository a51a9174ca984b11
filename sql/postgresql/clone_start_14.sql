-- SQL clone, PostgreSQL 12-14: ? = backup label; non-exclusive, immediate checkpoint.
SELECT pg_catalog.pg_start_backup(?, true, false)
