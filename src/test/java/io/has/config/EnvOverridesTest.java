package io.has.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.cluster.HostPort;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code PATRONI_*} environment overrides (reference §6.5). */
class EnvOverridesTest {

    @TempDir
    Path tmp;

    private HasConfig load(Map<String, String> env) {
        ConfigResult r = ConfigLoader.parse(ConfigFixtures.minimalYaml(tmp), "has.yml", env);
        assertEquals(List.of(), r.errors());
        return r.config();
    }

    @Test
    void environmentOverridesTheFile() throws Exception {
        Path other = Files.createDirectory(tmp.resolve("other"));
        HasConfig c = load(Map.of(
                "PATRONI_NAME", "pg9",
                "PATRONI_SCOPE", "robin",
                "PATRONI_NAMESPACE", "ha",
                "PATRONI_RESTAPI_LISTEN", "10.0.0.9:8009",
                "PATRONI_SUPERUSER_PASSWORD", "envSecret",
                "PATRONI_REPLICATION_USERNAME", "repl",
                "PATRONI_POSTGRESQL_DATA_DIR", other + "/pg9",
                "PATRONI_LOG_LEVEL", "DEBUG",
                "PATRONI_LOG_FILE_NUM", "7"));
        assertEquals("pg9", c.name());
        assertEquals("robin", c.scope());
        assertEquals("/ha/robin", c.basePath());
        assertEquals(new HostPort("10.0.0.9", 8009), c.restapi().listen());
        assertEquals(new HostPort("10.0.0.9", 8009), c.restapi().connectAddress());
        assertEquals(new HasConfig.Credentials("postgres", "envSecret", null), c.postgresql().superuser());
        assertEquals("repl", c.postgresql().replication().username());
        assertEquals(other.resolve("pg9"), c.postgresql().dataDir());
        assertEquals(other.resolve(".pgpass_pg9"), c.postgresql().pgpass());
        assertEquals("DEBUG", c.log().level());
        assertEquals(7, c.log().fileNum());
        assertEquals(new HostPort("10.0.0.5", 5432), c.postgresql().connectAddress(), "file value kept");
    }

    @Test
    void zooKeeperHostsInQuotedListForm() {
        HasConfig c = load(Map.of("PATRONI_ZOOKEEPER_HOSTS", "'h1:2181','h2:2181'"));
        assertEquals(List.of("h1:2181", "h2:2181"), c.zookeeper().hosts());
    }

    @Test
    void zooKeeperHostsInPlainCommaForm() {
        HasConfig c = load(Map.of("PATRONI_ZOOKEEPER_HOSTS", "h1:2181,h2:2181, h3:2181"));
        assertEquals(List.of("h1:2181", "h2:2181", "h3:2181"), c.zookeeper().hosts());
    }

    @Test
    void zooKeeperHostsInYamlListForms() {
        assertEquals(List.of("h1:2181", "h2:2181"),
                load(Map.of("PATRONI_ZOOKEEPER_HOSTS", "[h1:2181, h2:2181]")).zookeeper().hosts());
        assertEquals(List.of("h1:2181", "h2:2181"),
                load(Map.of("PATRONI_ZOOKEEPER_HOSTS", "- h1:2181\n- h2:2181\n")).zookeeper().hosts());
    }

    @Test
    void legacyLogLevelAndRestApiCredentials() {
        HasConfig c = load(Map.of("PATRONI_LOGLEVEL", "WARNING", "PATRONI_RESTAPI_USERNAME", "u",
                "PATRONI_RESTAPI_PASSWORD", "p"));
        assertEquals("WARNING", c.log().level());
        assertEquals("u", c.restapi().username());
        assertEquals("p", c.restapi().password());
        HasConfig both = load(Map.of("PATRONI_LOGLEVEL", "WARNING", "PATRONI_LOG_LEVEL", "ERROR"));
        assertEquals("ERROR", both.log().level(), "the new name wins");
    }

    @Test
    void remainingPasswordVariablesBecomeBootstrapUsers() {
        HasConfig c = load(Map.of("PATRONI_admin_PASSWORD", "adm", "PATRONI_admin_OPTIONS", "createdb,createrole",
                "PATRONI_RESTAPI_KEYFILE_PASSWORD", "k", "PATRONI_ZOOKEEPER_KEY_PASSWORD", "z"));
        assertEquals(Map.of("admin", new HasConfig.User("adm", List.of("createdb", "createrole"))),
                c.bootstrap().users());
    }

    @Test
    void emptyValuesAreIgnoredAndBadIntegersReportedUnderTheirKey() {
        ConfigResult r = ConfigLoader.parse(ConfigFixtures.minimalYaml(tmp), "has.yml",
                Map.of("PATRONI_NAME", "", "PATRONI_LOG_FILE_SIZE", "big"));
        assertEquals(List.of("log.file_size: expected an integer, got 'big'"),
                r.errors().stream().map(ConfigError::toString).toList());
    }

    @Test
    void otherDcsFromEnvironmentIsReported() {
        ConfigResult r = ConfigLoader.parse(ConfigFixtures.minimalYaml(tmp).replace("zookeeper:\n  hosts: zk1:2181,zk2:2181\n", ""),
                "has.yml", Map.of("PATRONI_ETCD3_HOSTS", "e1:2379"));
        assertEquals(List.of("zookeeper.hosts"), r.errors().stream().map(ConfigError::path).toList());
        assertTrue(r.errors().get(0).message().contains("'etcd3'"));
    }

    @Test
    void builderTreeShape() {
        List<ConfigError> errors = new ArrayList<>();
        Map<String, Object> tree = EnvOverrides.build(Map.of(
                "PATRONI_POSTGRESQL_BIN_PG_CTL", "/opt/pg_ctl",
                "PATRONI_RESTAPI_ALLOWLIST", "10.0.0.0/8, 127.0.0.1",
                "PATRONI_ZOOKEEPER_SET_ACLS", "admin: [ALL]",
                "PATRONI_CITUS_GROUP", "1",
                "PATRONI_CITUS_HOSTS", "ignored",
                "HOME", "/root"), errors);
        assertEquals(List.of(), errors);
        assertEquals(Map.of(
                "postgresql", Map.of("bin_name", Map.of("pg_ctl", "/opt/pg_ctl")),
                "restapi", Map.of("allowlist", List.of("10.0.0.0/8", "127.0.0.1")),
                "zookeeper", Map.of("set_acls", Map.of("admin", List.of("ALL"))),
                "citus", Map.of("group", "1")), tree);
    }

    @Test
    void patroniConfigurationHoldsTheWholeFile() {
        ConfigResult r = ConfigLoader.loadFromEnvironment(Map.of(
                "PATRONI_CONFIGURATION", ConfigFixtures.minimalYaml(tmp),
                "PATRONI_NAME", "ignored-when-configuration-is-set"));
        assertEquals(List.of(), r.errors());
        assertEquals("pg1", r.config().name());
    }

    @Test
    void environmentAloneWhenNoFileAndNoConfiguration() {
        ConfigResult r = ConfigLoader.loadFromEnvironment(Map.of(
                "PATRONI_SCOPE", "batman",
                "PATRONI_NAME", "pg5",
                "PATRONI_RESTAPI_LISTEN", "127.0.0.1:8008",
                "PATRONI_ZOOKEEPER_HOSTS", "'zk:2181'",
                "PATRONI_POSTGRESQL_LISTEN", "127.0.0.1:5432",
                "PATRONI_POSTGRESQL_DATA_DIR", tmp + "/pg5"));
        assertEquals(List.of(), r.errors());
        assertEquals(List.of("zk:2181"), r.config().zookeeper().hosts());
        assertNull(r.config().postgresql().binDir());
    }

    @Test
    void configurationSyntaxErrorNamesTheVariable() {
        ConfigResult r = ConfigLoader.loadFromEnvironment(Map.of("PATRONI_CONFIGURATION", "scope: [x\n"));
        assertEquals(List.of("PATRONI_CONFIGURATION"), r.errors().stream().map(ConfigError::path).toList());
        assertFalse(r.isValid());
    }
}
