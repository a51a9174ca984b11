-- SQL clone: ? = path, offset, length; NULL when the file is gone.
SELECT pg_catalog.pg_read_binary_file(?, ?, ?, true)
