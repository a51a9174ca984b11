-- What pg_rewind needs from a non-superuser on its source server.
GRANT EXECUTE ON FUNCTION pg_catalog.pg_ls_dir(text, boolean, boolean) TO {role};
GRANT EXECUTE ON FUNCTION pg_catalog.pg_stat_file(text, boolean) TO {role};
GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_binary_file(text) TO {role};
GRANT EXECUTE ON FUNCTION pg_catalog.pg_read_binary_file(text, bigint, bigint, boolean) TO {role}
