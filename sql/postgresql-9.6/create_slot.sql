-- ? = slot name; reserve WAL at once so the standby cannot fall behind before it connects.
SELECT pg_catalog.pg_create_physical_replication_slot(?, true)
