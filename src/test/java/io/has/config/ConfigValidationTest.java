package io.has.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** One test per class of configuration error; each asserts the exact key path. */
class ConfigValidationTest {

    @TempDir
    Path tmp;

    private ConfigResult parse(String yaml) {
        return ConfigLoader.parse(yaml, "has.yml", Map.of());
    }

    /** The minimal valid file with one line replaced. */
    private ConfigResult with(String line, String replacement) {
        String base = ConfigFixtures.minimalYaml(tmp);
        assertTrue(base.contains(line), line);
        return parse(base.replace(line, replacement));
    }

    private static List<String> paths(ConfigResult r) {
        return r.errors().stream().map(ConfigError::path).toList();
    }

    private static String messageFor(ConfigResult r, String path) {
        return r.errors().stream().filter(e -> e.path().equals(path)).map(ConfigError::message).findFirst()
                .orElseThrow(() -> new AssertionError("no error for " + path + " in " + r.errors()));
    }

    private static void assertInvalid(ConfigResult r) {
        assertFalse(r.isValid());
        assertNull(r.config());
    }

    @Test
    void errorToStringIsPathColonMessage() {
        ConfigResult r = with("listen: 10.0.0.5:5432", "listen: 127.0.0.1");
        assertInvalid(r);
        assertEquals(List.of("postgresql.listen: expected host:port, got '127.0.0.1'"),
                r.errors().stream().map(ConfigError::toString).toList());
    }

    @Test
    void missingRequiredKeysAreAllReportedAtOnce() {
        ConfigResult r = parse("namespace: /service\npostgresql:\n  listen: 127.0.0.1:5432\n");
        assertInvalid(r);
        assertEquals(List.of("scope", "name", "restapi.listen", "zookeeper.hosts", "postgresql.data_dir"), paths(r));
        assertTrue(messageFor(r, "name").contains("missing required key"));
    }

    @Test
    void missingZooKeeperWithAnotherDcsSaysOnlyZooKeeperIsSupported() {
        ConfigResult r = with("zookeeper:\n  hosts: zk1:2181,zk2:2181", "etcd3:\n  hosts: e1:2379");
        assertInvalid(r);
        assertEquals(List.of("zookeeper.hosts"), paths(r));
        assertTrue(messageFor(r, "zookeeper.hosts").contains("HAS only supports ZooKeeper"));
        assertTrue(messageFor(r, "zookeeper.hosts").contains("'etcd3'"));
    }

    @Test
    void wrongTypesNameTheKeyAndValue() {
        String yaml = ConfigFixtures.minimalYaml(tmp) + """
                  pg_ctl_timeout: abc
                  use_unix_socket: maybe
                  parameters: [a, b]
                  bin_dir: {a: 1}
                tags: nofailover
                """;
        ConfigResult r = parse(yaml.replace("scope: batman", "scope: {a: 1}"));
        assertInvalid(r);
        assertEquals("expected an integer, got 'abc'", messageFor(r, "postgresql.pg_ctl_timeout"));
        assertEquals("expected a boolean (true/false), got 'maybe'", messageFor(r, "postgresql.use_unix_socket"));
        assertEquals("expected a map of keys, got a list", messageFor(r, "postgresql.parameters"));
        assertEquals("expected a string, got a map", messageFor(r, "postgresql.bin_dir"));
        assertEquals("expected a string, got a map", messageFor(r, "scope"));
        assertEquals("expected a map of keys, got 'nofailover'", messageFor(r, "tags"));
    }

    @Test
    void malformedRestApiAddresses() {
        ConfigResult r = with("listen: 0.0.0.0:8008", "listen: localhost\n  connect_address: host:http");
        assertInvalid(r);
        assertEquals("expected host:port, got 'localhost'", messageFor(r, "restapi.listen"));
        assertEquals("port is not a number in 'host:http'", messageFor(r, "restapi.connect_address"));
    }

    @Test
    void malformedPostgresqlAddressesAndPortRange() {
        ConfigResult r = with("listen: 10.0.0.5:5432", "listen: 10.0.0.5:99999\n  connect_address: pg1");
        assertInvalid(r);
        assertEquals("port out of range 1..65535 in '10.0.0.5:99999'", messageFor(r, "postgresql.listen"));
        assertEquals("expected host:port, got 'pg1'", messageFor(r, "postgresql.connect_address"));
    }

    @Test
    void wildcardListenNeedsConnectAddress() {
        ConfigResult r = with("listen: 10.0.0.5:5432", "listen: '*:5432'");
        assertInvalid(r);
        assertEquals(List.of("postgresql.connect_address"), paths(r));
        assertTrue(messageFor(r, "postgresql.connect_address").contains("'*:5432'"));
        assertTrue(with("listen: 10.0.0.5:5432", "listen: 0.0.0.0:5432\n  connect_address: 10.0.0.5:5432")
                .isValid());
    }

    @Test
    void eachZooKeeperHostIsChecked() {
        ConfigResult r = with("hosts: zk1:2181,zk2:2181", "hosts: [zk1:2181, 'zk2:x', {a: 1}, 'zk4:0']");
        assertInvalid(r);
        assertEquals(List.of("zookeeper.hosts[1]", "zookeeper.hosts[2]", "zookeeper.hosts[3]"), paths(r));
        assertEquals("port is not a number in 'zk2:x'", messageFor(r, "zookeeper.hosts[1]"));
        assertEquals("port out of range 1..65535 in 'zk4:0'", messageFor(r, "zookeeper.hosts[3]"));
    }

    @Test
    void tlsAndAclsForZooKeeperAreRefusedNotIgnored() {
        ConfigResult r = with("hosts: zk1:2181,zk2:2181",
                "hosts: zk1:2181\n  use_ssl: true\n  set_acls: {admin: [ALL]}\n  auth_data: {digest: 'u:p'}");
        assertInvalid(r);
        assertEquals(List.of("zookeeper.use_ssl", "zookeeper.set_acls", "zookeeper.auth_data"), paths(r));
        assertTrue(messageFor(r, "zookeeper.use_ssl").contains("not supported"));
        assertTrue(with("hosts: zk1:2181,zk2:2181", "hosts: zk1:2181\n  use_ssl: false").isValid(),
                "use_ssl: false asks for what HAS does");
        assertEquals(List.of("zookeeper.use_ssl"), paths(with("hosts: zk1:2181,zk2:2181",
                "hosts: zk1:2181\n  use_ssl: maybe")));
    }

    @Test
    void zooKeeperHostWithoutPortGetsTheDefault() {
        ConfigResult r = with("hosts: zk1:2181,zk2:2181", "hosts: [zk1, zk2:2182]");
        assertEquals(List.of("zk1:2181", "zk2:2182"), r.config().zookeeper().hosts());
    }

    @Test
    void bootstrapDcsTimingInvariant() {
        ConfigResult r = parse(ConfigFixtures.minimalYaml(tmp) + """
                bootstrap:
                  dcs:
                    ttl: 30
                    retry_timeout: 15
                """);
        assertInvalid(r);
        assertEquals(List.of("bootstrap.dcs"), paths(r));
        String m = messageFor(r, "bootstrap.dcs");
        assertTrue(m.contains("loop_wait (10)") && m.contains("retry_timeout (15)") && m.contains("ttl (30)"), m);
    }

    @Test
    void bootstrapDcsTimingsMustBePositiveIntegers() {
        ConfigResult r = parse(ConfigFixtures.minimalYaml(tmp) + """
                bootstrap:
                  dcs:
                    ttl: thirty
                    loop_wait: 0
                    retry_timeout: 10
                """);
        assertInvalid(r);
        assertEquals(List.of("bootstrap.dcs.ttl", "bootstrap.dcs.loop_wait"), paths(r));
        assertEquals("expected a positive integer (seconds), got 'thirty'", messageFor(r, "bootstrap.dcs.ttl"));
    }

    @Test
    void dataDirParentMustExist() {
        ConfigResult r = with("data_dir: " + tmp + "/pg1", "data_dir: " + tmp + "/missing/pg1");
        assertInvalid(r);
        assertEquals(List.of("postgresql.data_dir"), paths(r));
        assertTrue(messageFor(r, "postgresql.data_dir").contains("does not exist"));
    }

    @Test
    void binDirMustExist() {
        ConfigResult r = parse(ConfigFixtures.minimalYaml(tmp) + "  bin_dir: " + tmp + "/no/bin\n");
        assertInvalid(r);
        assertEquals("directory '" + tmp + "/no/bin' does not exist", messageFor(r, "postgresql.bin_dir"));
    }

    @Test
    void logLevelMustBeKnown() {
        ConfigResult r = parse(ConfigFixtures.minimalYaml(tmp) + "log:\n  level: verbose\n  file_num: 0\n");
        assertInvalid(r);
        assertEquals(List.of("log.level", "log.file_num"), paths(r));
        assertTrue(messageFor(r, "log.level").contains("got 'verbose'"));
        assertEquals("WARNING", parse(ConfigFixtures.minimalYaml(tmp) + "log:\n  level: warning\n")
                .config().log().level());
    }

    @Test
    void yamlSyntaxErrorNamesTheFileLineAndColumn() {
        ConfigResult r = parse("scope: batman\nname: [pg1\nrestapi:\n  listen: 1:2\n");
        assertInvalid(r);
        assertEquals(List.of("has.yml"), paths(r));
        assertTrue(messageFor(r, "has.yml").matches("YAML syntax error at line \\d+, column \\d+: .*"),
                messageFor(r, "has.yml"));
        assertEquals(List.of("has.yml"), paths(parse("- a\n- b\n")));
    }

    @Test
    void yamlErrorsNameTheProblemAndItsPositionExactly() {
        assertEquals("YAML syntax error at line 3, column 1: found character '\\t(TAB)' that cannot start any token. "
                + "(Do not use \\t(TAB) for indentation)", messageFor(parse("scope: batman\nrestapi:\n\tlisten: x\n"), "has.yml"));
        assertEquals("YAML syntax error at line 2, column 16: Malformed numeric value '.inf'",
                messageFor(parse("scope: batman\nloop_wait: .inf\n"), "has.yml"));
        assertTrue(messageFor(parse("? [a]\n: b\n"), "has.yml").startsWith(
                "YAML syntax error at line 1, column 4: Expected a field name (Scalar value in YAML)"));
        assertEquals("YAML syntax error at line 1, column 17: No content to map due to end-of-input",
                messageFor(parse("# only a comment"), "has.yml"));
        assertEquals("expected a map of settings at the top level, got a single value", messageFor(parse("pg1"), "has.yml"));
        // a repeated key is not an error (as in PyYAML): the last value counts
        assertEquals("pg9", parse(ConfigFixtures.minimalYaml(tmp) + "name: pg9\n").config().name());
    }

    @Test
    void missingFileIsAnError() {
        ConfigResult r = ConfigLoader.load(tmp.resolve("nope.yml"), Map.of());
        assertInvalid(r);
        assertEquals(List.of(tmp.resolve("nope.yml").toString()), paths(r));
    }

    @Test
    void wrongTypedPasswordIsNotEchoed() {
        String yaml = ConfigFixtures.minimalYaml(tmp) + """
                  authentication:
                    superuser:
                      password: [Sup3rSecret]
                    replication:
                      sslpassword: 12345678
                      sslmode: bogus
                bootstrap:
                  users:
                    admin:
                      password: {x: Adm1nSecret}
                """;
        ConfigResult r = parse(yaml);
        assertInvalid(r);
        assertEquals("expected a string, got a list",
                messageFor(r, "postgresql.authentication.superuser.password"));
        assertEquals("expected a string, got a map", messageFor(r, "bootstrap.users.admin.password"));
        assertTrue(paths(r).contains("postgresql.authentication.replication.sslmode"));
        String all = r.toString() + r.errorReport();
        assertFalse(all.contains("Sup3rSecret") || all.contains("Adm1nSecret"), all);
    }

    @Test
    void restApiUsernameWithoutPasswordIsAnError() {
        ConfigResult r = with("listen: 0.0.0.0:8008", "listen: 0.0.0.0:8008\n  authentication:\n    username: u");
        assertEquals(List.of("restapi.authentication"), paths(r));
    }

    @Test
    void knownTagsAreTypeChecked() {
        ConfigResult r = parse(ConfigFixtures.minimalYaml(tmp)
                + "tags: {nofailover: perhaps, failover_priority: -1, nosync: 'false', zone: a}\n");
        assertInvalid(r);
        assertEquals(List.of("tags.nofailover", "tags.failover_priority"), paths(r));
        ConfigResult ok = parse(ConfigFixtures.minimalYaml(tmp) + "tags: {nosync: 'false', failover_priority: '2'}\n");
        assertEquals(Map.of("nosync", false, "failover_priority", 2), ok.config().tags());
    }

    @Test
    void slashInScopeOrNameIsAnError() {
        ConfigResult r = with("name: pg1", "name: a/b");
        assertEquals(List.of("name"), paths(r));
    }
}
