-- asks a standby to promote and returns at once (HAS then waits for the end of recovery itself)
SELECT pg_catalog.pg_promote(false)
