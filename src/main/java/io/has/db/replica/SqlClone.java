package io.has.db.replica;

import io.has.db.postgres.PostgresDialect;
import java.io.IOException;
import java.io.OutputStream;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;

/**
 * A {@code create_replica_methods} command that clones a PostgreSQL 9.6+ server over an ordinary SQL
 * connection, for hosts without a {@code pg_basebackup} of the server's major version (pg_basebackup
 * refuses newer servers). It runs a non-exclusive base backup ({@code pg_backup_start} /
 * {@code pg_start_backup}), copies every file of the data directory with
 * {@code pg_read_binary_file} (the control file last), skipping what pg_basebackup skips, ends the
 * backup and writes its {@code backup_label}. WAL is not copied: the new standby streams it from
 * the source (keep {@code wal_keep_size}/slots as HAS does). Tablespaces are not supported.
 *
 * <p>Called like Patroni calls custom methods:
 * {@code --scope=S --role=replica --datadir=D --connstring=postgres://user@host:port/db} plus options
 * from its section; {@code --user=NAME} connects as another (superuser) role, since reading files
 * needs superuser rights. The password comes from {@code PGPASSFILE}. Verified against PostgreSQL
 * 16.15 and 17.11 (matrix IT); the SQL is in {@code sql/postgresql*}/{@code clone_*.sql}.
 */
public final class SqlClone {

    private static final int CHUNK = 4 * 1024 * 1024;
    /** Directories whose contents are not copied (the directories themselves are created). */
    private static final Set<String> EMPTY_DIRS = Set.of("pg_wal", "pg_xlog", "pg_replslot", "pg_stat_tmp",
            "pg_dynshmem", "pg_notify", "pg_serial", "pg_snapshots", "pg_subtrans");
    /** Files never copied. */
    private static final Set<String> SKIP_FILES = Set.of("postmaster.pid", "postmaster.opts", "backup_label",
            "tablespace_map", "postgresql.auto.conf.tmp", "current_logfiles", "pg_internal.init", "standby.signal",
            "recovery.signal", "recovery.conf", "recovery.done", "backup_label.old");

    private SqlClone() {
    }

    public static void main(String[] args) {
        try {
            run(args);
        } catch (Exception e) {
            System.err.println("sql clone failed: " + e.getMessage());
            System.exit(1);
        }
    }

    static void run(String[] args) throws Exception {
        Map<String, String> opts = new LinkedHashMap<>();
        for (String a : args) {
            if (a.startsWith("--") && a.contains("=")) {
                opts.put(a.substring(2, a.indexOf('=')), a.substring(a.indexOf('=') + 1));
            }
        }
        Path dataDir = Path.of(require(opts, "datadir"));
        URI uri = URI.create(require(opts, "connstring"));
        String user = opts.getOrDefault("user", uri.getUserInfo());
        String db = uri.getPath() == null || uri.getPath().length() <= 1 ? "postgres" : uri.getPath().substring(1);
        String url = "jdbc:postgresql://" + uri.getHost() + ":" + (uri.getPort() < 0 ? 5432 : uri.getPort()) + "/" + db;
        Properties p = new Properties();
        p.setProperty("user", user);
        String password = PgPass.lookup(System.getenv("PGPASSFILE"), uri.getHost(), uri.getPort(), db, user);
        if (password != null) {
            p.setProperty("password", password);
        }
        p.setProperty("ApplicationName", "has-sql-clone");
        p.setProperty("connectTimeout", "10");
        Files.createDirectories(dataDir);
        try (Connection c = DriverManager.getConnection(url, p)) {
            c.setAutoCommit(true);
            PostgresDialect dialect = new PostgresDialect((Path) null,
                    PostgresDialect.majorFromVersionNum(intQuery(c, "SHOW server_version_num")));
            clone(c, dialect, dataDir);
        }
        System.out.println("cloned " + url + " into " + dataDir);
    }

    private static void clone(Connection c, PostgresDialect dialect, Path dataDir) throws SQLException, IOException {
        // pg_backup_start/stop from 15; pg_start_backup/stop_backup before (12-14 share the 12+ folder)
        String api = dialect.majorVersion() >= 12 && dialect.majorVersion() < 15 ? "_14" : "";
        try (PreparedStatement ps = c.prepareStatement(dialect.sql("clone_start" + api))) {
            ps.setString(1, "has sql clone");
            ps.execute();
        }
        List<String[]> entries = new ArrayList<>();
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(dialect.sql("clone_files"))) {
            while (rs.next()) {
                entries.add(new String[] {rs.getString("path"), rs.getString("isdir")});
            }
        }
        String control = null;
        for (String[] e : entries) {
            String path = e[0];
            boolean dir = "t".equals(e[1]) || "true".equals(e[1]);
            String name = path.substring(path.lastIndexOf('/') + 1);
            String parent = path.contains("/") ? path.substring(0, path.indexOf('/')) : "";
            if (path.startsWith("pg_tblspc/")) {
                throw new IOException("tablespaces are not supported by the SQL clone (" + path + ")");
            }
            if (EMPTY_DIRS.contains(parent) && !(path.startsWith("pg_wal/archive_status")
                    || path.startsWith("pg_xlog/archive_status"))) {
                continue;
            }
            if (dir) {
                mkdir(dataDir.resolve(path));
            } else if (path.equals("global/pg_control")) {
                control = path;
            } else if (!SKIP_FILES.contains(name) && !path.startsWith("pg_wal/") && !path.startsWith("pg_xlog/")) {
                copy(c, dialect, path, dataDir.resolve(path));
            }
        }
        for (String d : EMPTY_DIRS) {
            if (entries.stream().anyMatch(e -> e[0].equals(d))) {
                mkdir(dataDir.resolve(d));
            }
        }
        mkdir(dataDir.resolve(entries.stream().anyMatch(e -> e[0].equals("pg_wal")) ? "pg_wal" : "pg_xlog")
                .resolve("archive_status"));
        if (control == null) {
            throw new IOException("the source has no global/pg_control");
        }
        copy(c, dialect, control, dataDir.resolve(control));
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(dialect.sql("clone_stop" + api))) {
            if (!rs.next()) {
                throw new SQLException("the backup stop returned no row");
            }
            write(dataDir.resolve("backup_label"), rs.getString("labelfile").getBytes(java.nio.charset.StandardCharsets.UTF_8));
            String map = rs.getString("spcmapfile");
            if (map != null && !map.isEmpty()) {
                write(dataDir.resolve("tablespace_map"), map.getBytes(java.nio.charset.StandardCharsets.UTF_8));
            }
        }
    }

    private static void copy(Connection c, PostgresDialect dialect, String path, Path target)
            throws SQLException, IOException {
        mkdir(target.getParent());
        try (OutputStream out = Files.newOutputStream(target, StandardOpenOption.CREATE,
                StandardOpenOption.TRUNCATE_EXISTING, StandardOpenOption.WRITE);
                PreparedStatement ps = c.prepareStatement(dialect.sql("clone_read"))) {
            Files.setPosixFilePermissions(target, PosixFilePermissions.fromString("rw-------"));
            long offset = 0;
            while (true) {
                ps.setString(1, path);
                ps.setLong(2, offset);
                ps.setLong(3, CHUNK);
                byte[] chunk;
                try (ResultSet rs = ps.executeQuery()) {
                    chunk = rs.next() ? rs.getBytes(1) : null;
                }
                if (chunk == null) {
                    return; // removed meanwhile: WAL replay recreates what matters
                }
                out.write(chunk);
                offset += chunk.length;
                if (chunk.length < CHUNK) {
                    return;
                }
            }
        }
    }

    private static void mkdir(Path dir) throws IOException {
        if (!Files.isDirectory(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        }
    }

    private static void write(Path f, byte[] bytes) throws IOException {
        Files.write(f, bytes);
        Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
    }

    private static int intQuery(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(sql)) {
            rs.next();
            return Integer.parseInt(rs.getString(1).trim());
        }
    }

    private static String require(Map<String, String> opts, String key) {
        String v = opts.get(key);
        if (v == null || v.isBlank()) {
            throw new IllegalArgumentException("missing --" + key);
        }
        return v;
    }
}
