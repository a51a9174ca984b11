package io.has.db;

import io.has.config.HasConfig;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Creates or updates the roles a new cluster needs: the replication user, the rewind user (with the
 * grants a rewind tool needs) and {@code bootstrap.users}. Identifiers and passwords are quoted by the
 * dialect; statement text is never logged because it carries passwords.
 */
final class RoleSetup {

    /** Role options such as {@code createdb} or {@code connection limit 5}: words and numbers only. */
    private static final Pattern OPTION = Pattern.compile("[A-Za-z_]+( [A-Za-z0-9_]+)*");

    private final Dialect dialect;

    RoleSetup(Dialect dialect) {
        this.dialect = dialect;
    }

    void createAll(Connection c, HasConfig config) throws SQLException, DbException {
        HasConfig.Postgresql pg = config.postgresql();
        HasConfig.Credentials repl = pg.replication();
        if (repl != null && repl.username() != null && !repl.username().equals(pg.superuser().username())) {
            upsert(c, "replication_role", repl.username(), repl.password(), null);
        }
        HasConfig.Credentials rewind = pg.rewind();
        if (rewind != null && rewind.username() != null && !rewind.username().equals(pg.superuser().username())) {
            upsert(c, "rewind_role", rewind.username(), rewind.password(), null);
            execute(c, fill(dialect.sql("grant_rewind"), rewind.username(), null, null));
        }
        Map<String, HasConfig.User> users = config.bootstrap() == null ? null : config.bootstrap().users();
        if (users != null) {
            for (Map.Entry<String, HasConfig.User> u : users.entrySet()) {
                upsert(c, "user", u.getKey(), u.getValue().password(), roleOptions(u.getValue().options()));
            }
        }
    }

    /** {@code LOGIN} (unless a login option is given) plus the configured options, upper-cased. */
    static String roleOptions(List<String> options) throws DbException {
        List<String> out = new ArrayList<>();
        boolean login = false;
        for (String o : options == null ? List.<String>of() : options) {
            String t = o.trim();
            if (!OPTION.matcher(t).matches()) {
                throw new DbException("invalid role option '" + t + "' in bootstrap.users");
            }
            String up = t.toUpperCase(Locale.ROOT);
            login |= up.equals("LOGIN") || up.equals("NOLOGIN");
            out.add(up);
        }
        if (!login) {
            out.add(0, "LOGIN");
        }
        return String.join(" ", out);
    }

    private void upsert(Connection c, String kind, String role, String password, String options)
            throws SQLException {
        boolean exists;
        try (PreparedStatement ps = c.prepareStatement(dialect.sql("role_exists"))) {
            ps.setString(1, role);
            try (ResultSet rs = ps.executeQuery()) {
                exists = rs.next();
            }
        }
        String sql = dialect.sql((exists ? "alter_" : "create_") + kind);
        execute(c, fill(sql, role, password, options));
    }

    private String fill(String sql, String role, String password, String options) {
        return sql.replace("{role}", dialect.quoteIdent(role))
                .replace("{password}", password == null ? "NULL" : dialect.quoteLiteral(password))
                .replace("{options}", options == null ? "" : options);
    }

    private static void execute(Connection c, String sql) throws SQLException {
        try (Statement st = c.createStatement()) {
            st.execute(sql);
        } catch (SQLException e) {
            // the statement may hold a password: report the server's message only
            throw new SQLException("role setup failed: " + e.getMessage(), e.getSQLState());
        }
    }
}
