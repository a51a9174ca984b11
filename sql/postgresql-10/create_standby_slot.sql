-- ? = slot name. On a standby, for a member that would follow it after a promotion: no WAL reserved, so
-- nothing is retained meanwhile (PostgreSQL sets restart_lsn when the member first streams from it).
SELECT pg_catalog.pg_create_physical_replication_slot(?, false)
