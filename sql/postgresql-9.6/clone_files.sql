-- SQL clone (create_replica_methods): every entry of the data directory, parents before children.
WITH RECURSIVE files(path, isdir) AS (
    SELECT n, (pg_catalog.pg_stat_file(n, true)).isdir
      FROM pg_catalog.pg_ls_dir('.', true, false) AS n
    UNION ALL
    SELECT f.path || '/' || n, (pg_catalog.pg_stat_file(f.path || '/' || n, true)).isdir
      FROM files f, LATERAL pg_catalog.pg_ls_dir(f.path, true, false) AS n
     WHERE f.isdir
)
SELECT path, isdir FROM files WHERE isdir IS NOT NULL ORDER BY path
