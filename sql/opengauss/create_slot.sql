-- ? = slot name. openGauss: (slotname, dummy_standby); standbys also create their slots themselves.
SELECT pg_catalog.pg_create_physical_replication_slot(?, false)
