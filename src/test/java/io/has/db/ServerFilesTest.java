package io.has.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.cluster.HostPort;
import io.has.config.HasConfig;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerFilesTest {

    private static HasConfig.Postgresql pg(Path data, Path pgpass) {
        HasConfig.Credentials su = new HasConfig.Credentials("postgres", "x", null);
        return new HasConfig.Postgresql("*", 5432, new HostPort("10.0.0.1", 5432), data, null, pgpass, 60, "postgres",
                su, su, null, Map.of(), List.of(), false, List.of(), List.of());
    }

    @Test
    void filesSitBesideTheDataDirectory() {
        ServerPaths p = ServerPaths.of(pg(Path.of("/var/lib/postgresql/15/main"), null));
        assertEquals(Path.of("/var/lib/postgresql/15/main.sock"), p.socketDir());
        assertEquals(Path.of("/var/lib/postgresql/15/main.log"), p.logFile());
        assertEquals(Path.of("/var/lib/postgresql/15/main.pgpass"), p.pgpass());
        assertEquals(Path.of("/etc/has/pgpass"), ServerPaths.of(pg(Path.of("/d/x"), Path.of("/etc/has/pgpass"))).pgpass());
    }

    @Test
    void longSocketPathsMoveToTheTemporaryDirectory() {
        Path deep = Path.of("/" + "very-long-directory-name/".repeat(5) + "data");
        ServerPaths p = ServerPaths.of(pg(deep, null));
        assertTrue(p.socketDir().startsWith(System.getProperty("java.io.tmpdir")), p.socketDir().toString());
        assertTrue(p.socketDir().toString().length() + ".s.PGSQL.65535.lock".length() < 100);
        assertEquals(p.socketDir(), ServerPaths.of(pg(deep, null)).socketDir(), "stable across restarts");
    }

    @Test
    void localHostForWildcards() {
        assertEquals("127.0.0.1", LocalConnector.localHost("*"));
        assertEquals("127.0.0.1", LocalConnector.localHost("0.0.0.0, 10.0.0.1"));
        assertEquals("::1", LocalConnector.localHost("::"));
        assertEquals("10.0.0.1", LocalConnector.localHost("10.0.0.1,127.0.0.1"));
    }

    @Test
    void pgpassFieldsAreEscaped() {
        assertEquals("a\\:b\\\\c", ServerConfigurator.pgpassEscape("a:b\\c"));
    }

    @Test
    void roleOptionsAreCheckedAndUpperCased() throws DbException {
        assertEquals("LOGIN CREATEDB CREATEROLE", RoleSetup.roleOptions(List.of("createdb", "createrole")));
        assertEquals("NOLOGIN", RoleSetup.roleOptions(List.of("nologin")));
        assertEquals("LOGIN CONNECTION LIMIT 5", RoleSetup.roleOptions(List.of("connection limit 5")));
        assertEquals("LOGIN", RoleSetup.roleOptions(null));
        assertThrows(DbException.class, () -> RoleSetup.roleOptions(List.of("superuser; DROP TABLE x")));
    }
}
