-- Physical replication slots only: logical slots are not HAS's to manage.
SELECT slot_name, active FROM pg_catalog.pg_replication_slots WHERE slot_type = 'physical'
