package io.has.config;

import java.nio.file.Path;

/** Shared YAML for the config tests. */
final class ConfigFixtures {

    private ConfigFixtures() {
    }

    /** A full Patroni-style file in the shape of Patroni's postgres0.yml, data_dir under {@code base}. */
    static String fullYaml(Path base) {
        return """
                scope: batman
                namespace: /service/
                name: postgresql0

                restapi:
                  listen: 127.0.0.1:8008
                  connect_address: 127.0.0.1:8008
                  authentication:
                    username: apiuser
                    password: apiSecret1

                zookeeper:
                  hosts:
                    - 127.0.0.1:2181
                    - 127.0.0.2:2181

                bootstrap:
                  dcs:
                    ttl: 30
                    loop_wait: 10
                    retry_timeout: 10
                    maximum_lag_on_failover: 1048576
                    postgresql:
                      use_pg_rewind: true
                      use_slots: true
                      parameters:
                        wal_level: hot_standby
                        max_connections: 100
                  initdb:
                    - encoding: UTF8
                    - data-checksums
                  pg_hba:
                    - host replication replicator 127.0.0.1/32 md5
                    - host all all 0.0.0.0/0 md5
                  users:
                    admin:
                      password: adminSecret2
                      options:
                        - createrole
                        - createdb

                postgresql:
                  listen: 127.0.0.1:5432
                  connect_address: 127.0.0.1:5432
                  data_dir: %1$s/data/postgresql0
                  bin_dir: %1$s
                  pgpass: /tmp/pgpass0
                  authentication:
                    replication:
                      username: replicator
                      password: rep-pass3
                    superuser:
                      username: postgres
                      password: zalando4
                    rewind:
                      username: rewind_user
                      password: rewind_password5
                  parameters:
                    unix_socket_directories: '.'
                  pg_hba:
                    - local all all trust

                tags:
                  nofailover: false
                  noloadbalance: false
                  clonefrom: false
                  nosync: false
                """.formatted(base.toString());
    }

    /** The smallest valid file: only what has no default. */
    static String minimalYaml(Path base) {
        return """
                scope: batman
                name: pg1
                restapi:
                  listen: 0.0.0.0:8008
                zookeeper:
                  hosts: zk1:2181,zk2:2181
                postgresql:
                  listen: 10.0.0.5:5432
                  data_dir: %s/pg1
                """.formatted(base.toString());
    }
}
