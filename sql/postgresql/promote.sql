-- ? = seconds to wait for the promotion to finish
SELECT pg_catalog.pg_promote(true, ?)
