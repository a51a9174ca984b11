package io.has.config;

import io.has.yaml.YamlWriter;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Renders the effective configuration (the merged tree with every default filled in) as YAML with all
 * secrets masked, for {@code has --validate} output and a DEBUG log line at start-up.
 */
final class ConfigDescriber {

    private ConfigDescriber() {
    }

    static String describe(HasConfig c) {
        try {
            return YamlWriter.PLAIN.write(effective(c));
        } catch (IllegalArgumentException e) {
            return "<cannot render configuration: " + e.getMessage() + ">";
        }
    }

    /** The raw tree overlaid with the effective values, masked. */
    static Map<String, Object> effective(HasConfig c) {
        Map<String, Object> eff = new LinkedHashMap<>();
        eff.put("scope", c.scope());
        eff.put("namespace", c.namespace());
        eff.put("name", c.name());
        if (c.restapi() != null) {
            Map<String, Object> api = new LinkedHashMap<>();
            api.put("listen", str(c.restapi().listen()));
            api.put("connect_address", str(c.restapi().connectAddress()));
            if (c.restapi().username() != null || c.restapi().password() != null) {
                api.put("authentication", pair("username", c.restapi().username(), "password",
                        c.restapi().password()));
            }
            eff.put("restapi", api);
        }
        if (c.zookeeper() != null) {
            eff.put("zookeeper", pair("hosts", c.zookeeper().hosts(), null, null));
        }
        if (c.bootstrap() != null) {
            Map<String, Object> b = new LinkedHashMap<>();
            b.put("dcs", c.bootstrap().dcs());
            b.put("initdb", c.bootstrap().initdb());
            b.put("pg_hba", c.bootstrap().pgHba());
            Map<String, Object> users = new LinkedHashMap<>();
            c.bootstrap().users().forEach((n, u) -> users.put(n, pair("password", u.password(), "options",
                    u.options())));
            b.put("users", users);
            eff.put("bootstrap", b);
        }
        if (c.postgresql() != null) {
            eff.put("postgresql", postgresql(c.postgresql()));
        }
        eff.put("tags", c.tags());
        if (c.log() != null) {
            Map<String, Object> log = new LinkedHashMap<>();
            log.put("level", c.log().level());
            log.put("dir", str(c.log().dir()));
            log.put("file_num", c.log().fileNum());
            log.put("file_size", c.log().fileSize());
            eff.put("log", log);
        }
        Map<String, Object> out = new LinkedHashMap<>();
        if (c.raw() != null) {
            YamlSource.patch(out, c.raw());
        }
        YamlSource.patch(out, eff);
        return Secrets.masked(out);
    }

    private static Map<String, Object> postgresql(HasConfig.Postgresql p) {
        Map<String, Object> pg = new LinkedHashMap<>();
        pg.put("listen", p.listenAddresses() + ":" + p.port());
        pg.put("connect_address", str(p.connectAddress()));
        pg.put("data_dir", str(p.dataDir()));
        pg.put("bin_dir", str(p.binDir()));
        pg.put("pgpass", str(p.pgpass()));
        pg.put("pg_ctl_timeout", p.pgCtlTimeout());
        pg.put("database", p.database());
        Map<String, Object> auth = new LinkedHashMap<>();
        auth.put("superuser", credentials(p.superuser()));
        auth.put("replication", credentials(p.replication()));
        auth.put("rewind", credentials(p.rewind()));
        pg.put("authentication", auth);
        pg.put("parameters", p.parameters());
        pg.put("pg_hba", p.pgHba());
        pg.put("use_unix_socket", p.useUnixSocket());
        pg.put("create_replica_methods", p.createReplicaMethods());
        pg.put("basebackup", p.basebackup());
        return pg;
    }

    private static Map<String, Object> credentials(HasConfig.Credentials c) {
        if (c == null) {
            return null;
        }
        Map<String, Object> m = pair("username", c.username(), "password", c.password());
        m.put("sslmode", c.sslmode());
        return m;
    }

    private static Map<String, Object> pair(String k1, Object v1, String k2, Object v2) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put(k1, v1);
        if (k2 != null) {
            m.put(k2, v2);
        }
        return m;
    }

    private static String str(Object o) {
        return o == null ? null : o.toString();
    }
}
