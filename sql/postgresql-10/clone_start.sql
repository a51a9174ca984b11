-- SQL clone, PostgreSQL 10-11: ? = backup label; non-exclusive, immediate checkpoint.
SELECT pg_catalog.pg_start_backup(?, true, false)
