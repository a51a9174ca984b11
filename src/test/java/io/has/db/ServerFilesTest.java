package io.has.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.cluster.HostPort;
import io.has.config.HasConfig;
import io.has.db.postgres.PostgresDialect;
import io.has.process.ProcessRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerFilesTest {

    private static HasConfig.Postgresql pg(Path data, Path pgpass) {
        return pg(data, pgpass, Map.of());
    }

    private static HasConfig.Postgresql pg(Path data, Path pgpass, Map<String, Object> parameters) {
        HasConfig.Credentials su = new HasConfig.Credentials("postgres", "x", null);
        return new HasConfig.Postgresql("*", 5432, new HostPort("10.0.0.1", 5432), data, null, pgpass, 60, "postgres",
                su, su, null, parameters, List.of(), false, List.of(), List.of());
    }

    private static ServerConfigurator configurator(int major, Map<String, Object> parameters) {
        HasConfig.Postgresql pg = pg(Path.of("/d/data"), null, parameters);
        HasConfig config = new HasConfig("c", "/service", "m1", null, null, null, pg, Map.of(), null, Map.of());
        return new ServerConfigurator(config, new PostgresDialect(Path.of("/usr/lib/postgresql/15/bin"), major),
                new ManagedFiles(new ProcessRunner(null, Map.of())), ServerPaths.of(pg));
    }

    @Test
    void theFirstStartOfASyncedCloneSyncsWithSyncfsUnlessConfiguredOtherwise() {
        String name = "recovery_init_sync_method";
        assertEquals("syncfs", configurator(15, Map.of()).commandLineParameters(true).get(name));
        assertEquals("5432", configurator(15, Map.of()).commandLineParameters(true).get("port"), "the others stay");
        assertFalse(configurator(15, Map.of()).commandLineParameters(false).containsKey(name));
        assertFalse(configurator(15, Map.of()).commandLineParameters().containsKey(name));
        assertFalse(configurator(13, Map.of()).commandLineParameters(true).containsKey(name), "14 added it");
        assertFalse(configurator(15, Map.of(name, "fsync")).commandLineParameters(true).containsKey(name),
                "the configured method is the operator's choice: postgresql.conf has it");
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
        assertTrue(p.socketDirInTemp());
        assertFalse(ServerPaths.of(pg(Path.of("/var/lib/postgresql/15/main"), null)).socketDirInTemp());
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
