package io.has.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import io.has.cluster.HostPort;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {

    @TempDir
    Path tmp;

    private HasConfig valid(ConfigResult r) {
        assertEquals(List.of(), r.errors(), "errors");
        assertNotNull(r.config());
        assertTrue(r.isValid());
        return r.config();
    }

    private static List<String> unknownKeyWarnings(ConfigResult r) {
        return r.warnings().stream().filter(w -> w.startsWith("unknown key")).toList();
    }

    @Test
    void fullPatroniFileMapsEveryField() throws IOException {
        Files.createDirectories(tmp.resolve("data"));
        Path file = tmp.resolve("postgres0.yml");
        Files.writeString(file, ConfigFixtures.fullYaml(tmp));

        ConfigResult r = ConfigLoader.load(file, Map.of());
        HasConfig c = valid(r);
        assertEquals(List.of(), r.warnings());

        assertEquals("batman", c.scope());
        assertEquals("/service", c.namespace());
        assertEquals("postgresql0", c.name());
        assertEquals("/service/batman", c.basePath());

        assertEquals(new HostPort("127.0.0.1", 8008), c.restapi().listen());
        assertEquals(new HostPort("127.0.0.1", 8008), c.restapi().connectAddress());
        assertEquals("apiuser", c.restapi().username());
        assertEquals("apiSecret1", c.restapi().password());

        assertEquals(List.of("127.0.0.1:2181", "127.0.0.2:2181"), c.zookeeper().hosts());
        assertEquals("127.0.0.1:2181,127.0.0.2:2181", c.zookeeper().connectString());

        HasConfig.Bootstrap b = c.bootstrap();
        assertEquals(30, b.dcs().get("ttl"));
        @SuppressWarnings("unchecked")
        Map<String, Object> dcsPg = (Map<String, Object>) b.dcs().get("postgresql");
        assertEquals(true, dcsPg.get("use_pg_rewind"));
        assertEquals(Map.of("wal_level", "hot_standby", "max_connections", 100), dcsPg.get("parameters"));
        assertEquals(30, DynamicConfig.fromMap(b.dcs()).ttl());
        assertEquals(List.of("--encoding=UTF8", "--data-checksums"), b.initdb());
        assertEquals(List.of("host replication replicator 127.0.0.1/32 md5", "host all all 0.0.0.0/0 md5"),
                b.pgHba());
        assertEquals(new HasConfig.User("adminSecret2", List.of("createrole", "createdb")), b.users().get("admin"));

        HasConfig.Postgresql p = c.postgresql();
        assertEquals("127.0.0.1", p.listenAddresses());
        assertEquals(5432, p.port());
        assertEquals(new HostPort("127.0.0.1", 5432), p.connectAddress());
        assertEquals("postgres://127.0.0.1:5432/postgres", p.connUrl());
        assertEquals(tmp.resolve("data/postgresql0"), p.dataDir());
        assertEquals(tmp, p.binDir());
        assertEquals(Path.of("/tmp/pgpass0"), p.pgpass());
        assertEquals(60, p.pgCtlTimeout());
        assertEquals("postgres", p.database());
        assertEquals(new HasConfig.Credentials("postgres", "zalando4", null), p.superuser());
        assertEquals(new HasConfig.Credentials("replicator", "rep-pass3", null), p.replication());
        assertEquals(new HasConfig.Credentials("rewind_user", "rewind_password5", null), p.rewind());
        assertEquals(Map.of("unix_socket_directories", "."), p.parameters());
        assertEquals(List.of("local all all trust"), p.pgHba());
        assertFalse(p.useUnixSocket());
        assertEquals(List.of("basebackup"), p.createReplicaMethods());
        assertEquals(List.of(), p.basebackup());

        assertEquals(Map.of("nofailover", false, "noloadbalance", false, "clonefrom", false, "nosync", false),
                c.tags());
        assertEquals(new HasConfig.Log("INFO", null, 4, 25_000_000L), c.log());
        assertEquals("batman", c.raw().get("scope"));
    }

    @Test
    void minimalFileGetsPatroniDefaults() {
        HasConfig c = valid(ConfigLoader.parse(ConfigFixtures.minimalYaml(tmp), "min.yml", Map.of()));
        assertEquals("/service", c.namespace());
        assertEquals(new HostPort("0.0.0.0", 8008), c.restapi().connectAddress());
        ConfigResult r = ConfigLoader.parse(ConfigFixtures.minimalYaml(tmp), "min.yml", Map.of());
        assertEquals(List.of("restapi.connect_address is not set and restapi.listen (0.0.0.0:8008) binds to all"
                + " addresses; other members will be told to use 0.0.0.0:8008"), r.warnings());
        assertNull(c.restapi().username());
        assertEquals(List.of("zk1:2181", "zk2:2181"), c.zookeeper().hosts());
        assertEquals(Map.of(), c.bootstrap().dcs());
        assertEquals(List.of(), c.bootstrap().initdb());
        assertEquals(Map.of(), c.bootstrap().users());
        HasConfig.Postgresql p = c.postgresql();
        assertEquals(new HostPort("10.0.0.5", 5432), p.connectAddress());
        assertNull(p.binDir());
        assertEquals(tmp.resolve(".pgpass_pg1"), p.pgpass());
        assertEquals("postgres", p.superuser().username());
        assertNull(p.superuser().password());
        assertEquals("replicator", p.replication().username());
        assertNull(p.rewind());
        assertEquals(Map.of(), p.parameters());
        assertEquals(List.of("basebackup"), p.createReplicaMethods());
        assertEquals(Map.of(), c.tags());
        assertEquals(new HasConfig.Log("INFO", null, 4, 25_000_000L), c.log());
    }

    @Test
    void namespaceIsNormalised() {
        assertEquals("/service", ConfigMapper.normaliseNamespace(null));
        assertEquals("/service", ConfigMapper.normaliseNamespace("service"));
        assertEquals("/a/b", ConfigMapper.normaliseNamespace("//a//b/"));
        assertEquals("/", ConfigMapper.normaliseNamespace("/"));
        HasConfig c = valid(ConfigLoader.parse(ConfigFixtures.minimalYaml(tmp) + "namespace: /"
                + "\n", "x", Map.of()));
        assertEquals("/batman", c.basePath());
    }

    @Test
    void listenWithSeveralHostsAndOptionSyntaxes() {
        String yaml = ConfigFixtures.minimalYaml(tmp).replace("listen: 10.0.0.5:5432",
                "listen: 127.0.0.1, 10.0.0.5:5433") + """
                  create_replica_methods: [pgbackrest, basebackup]
                  pgbackrest:
                    command: /usr/bin/pgbackrest restore
                  basebackup:
                    max-rate: 100M
                    checkpoint: fast
                    verbose: true
                  use_unix_socket: true
                  pg_ctl_timeout: 120
                  database: app
                bootstrap:
                  initdb: {encoding: UTF8, locale: C}
                  method: custom
                  custom:
                    command: /bin/true
                tags:
                  nofailover: true
                  gone: null
                  zone: a
                """;
        ConfigResult r = ConfigLoader.parse(yaml, "x", Map.of());
        HasConfig c = valid(r);
        assertEquals(List.of(), unknownKeyWarnings(r), "declared method sections must not warn");
        HasConfig.Postgresql p = c.postgresql();
        assertEquals("127.0.0.1,10.0.0.5", p.listenAddresses());
        assertEquals(5433, p.port());
        assertEquals(new HostPort("127.0.0.1", 5433), p.connectAddress());
        assertEquals(List.of("pgbackrest", "basebackup"), p.createReplicaMethods());
        assertEquals(List.of("--max-rate=100M", "--checkpoint=fast", "--verbose"), p.basebackup());
        assertTrue(p.useUnixSocket());
        assertEquals(120, p.pgCtlTimeout());
        assertEquals("postgres://127.0.0.1:5433/app", p.connUrl());
        assertEquals(List.of("--encoding=UTF8", "--locale=C"), c.bootstrap().initdb());
        assertEquals(Map.of("nofailover", true, "zone", "a"), c.tags());
    }

    @Test
    void basebackupAsListOfFlagsAndMaps() {
        String yaml = ConfigFixtures.minimalYaml(tmp) + """
                  basebackup:
                    - verbose
                    - max-rate: '100M'
                    - pgdata: /elsewhere
                """;
        ConfigResult r = ConfigLoader.parse(yaml, "x", Map.of());
        assertEquals(List.of("--verbose", "--max-rate=100M"), valid(r).postgresql().basebackup());
        assertTrue(r.warnings().stream().anyMatch(w -> w.contains("postgresql.basebackup[2]") && w.contains("pgdata")),
                r.warnings().toString());
    }

    @Test
    void unknownKeysAreWarningsNotErrors() {
        String yaml = ConfigFixtures.minimalYaml(tmp) + """
                  lissten: 127.0.0.1:5432
                  callbacks:
                    on_role_change: /bin/true
                    on_what: /bin/true
                watchdog: {mode: automatic, device: /dev/watchdog, safety_margin: 5}
                vip: {address: 10.0.0.50, netmask_bits: 24, broadcast: 10.0.0.255, device: eth0, label: 1}
                ctl: {insecure: true, authentication: {username: u, password: p}}
                citus: {group: 0, database: citus}
                log: {traceback_level: ERROR, loggers: {patroni.postmaster: WARNING}}
                frobnicate: 1
                """;
        ConfigResult r = ConfigLoader.parse(yaml, "x", Map.of());
        valid(r);
        assertEquals(List.of("unknown key 'postgresql.lissten' ignored",
                "unknown key 'postgresql.callbacks.on_what' ignored", "unknown key 'frobnicate' ignored"),
                unknownKeyWarnings(r));
    }

    @Test
    void directoryOfFilesMergesAlphabetically() throws IOException {
        Path dir = Files.createDirectory(tmp.resolve("conf.d"));
        Files.writeString(dir.resolve("10-base.yml"), ConfigFixtures.minimalYaml(tmp));
        Files.writeString(dir.resolve("20-override.yaml"), """
                name: pg2
                postgresql:
                  listen: 10.0.0.6:5432
                tags:
                  nofailover: true
                """);
        Files.writeString(dir.resolve("05-early.yml"), "name: pg0\nscope: robin\n");
        Files.writeString(dir.resolve("99-ignored.txt"), "name: nope\n");
        HasConfig c = valid(ConfigLoader.load(dir, Map.of()));
        assertEquals("pg2", c.name());
        assertEquals("batman", c.scope(), "10-base.yml comes after 05-early.yml");
        assertEquals(new HostPort("10.0.0.6", 5432), c.postgresql().connectAddress());
        assertEquals(tmp.resolve("pg1"), c.postgresql().dataDir(), "sibling keys survive the merge");
        assertEquals(Map.of("nofailover", true), c.tags());
    }

    @Test
    void describeAndToStringNeverShowPasswords() throws IOException {
        Files.createDirectories(tmp.resolve("data"));
        String yaml = ConfigFixtures.fullYaml(tmp) + """
                ctl:
                  keyfile_password: ctlKeySecret6
                """;
        ConfigResult r = ConfigLoader.parse(yaml, "x", Map.of());
        HasConfig c = valid(r);
        String describe = c.describe();
        for (String out : List.of(describe, c.toString(), r.toString(), c.postgresql().toString(),
                String.valueOf(ConfigLoader.masked(c.raw())))) {
            for (String secret : List.of("apiSecret1", "adminSecret2", "rep-pass3", "zalando4",
                    "rewind_password5", "ctlKeySecret6")) {
                assertFalse(out.contains(secret), secret + " leaked in: " + out);
            }
        }
        assertTrue(describe.contains("password: \"******\"") || describe.contains("password: '******'")
                || describe.contains("password: ******"), describe);
        assertTrue(describe.contains("pg_ctl_timeout: 60"), "defaults are shown: " + describe);
        assertTrue(describe.contains("username: postgres"), describe);
    }

    @Test
    void describeIsTheYamlJacksonPrinted() throws IOException {
        Files.createDirectories(tmp.resolve("data"));
        HasConfig c = valid(ConfigLoader.parse(ConfigFixtures.fullYaml(tmp), "x", Map.of()));
        // ConfigDescriber's former writer
        ObjectMapper jackson = new ObjectMapper(YAMLFactory.builder()
                .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
                .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
                .build());
        assertEquals(jackson.writeValueAsString(ConfigDescriber.effective(c)), c.describe());
    }
}
