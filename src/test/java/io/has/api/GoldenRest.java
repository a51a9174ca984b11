package io.has.api;

/**
 * Answers of a real Patroni 3.0.2 cluster, copied verbatim from
 * {@code reference/golden/rest-dump-patroni-3.0.2.txt} (nodes pg1 = leader, pg2 = replica, and the
 * appendix). Kept in a test source so the tests do not depend on files outside the repository.
 */
final class GoldenRest {

    private GoldenRest() {
    }

    /** {@code GET /patroni} on the leader pg1. */
    static final String PATRONI_LEADER = """
            {
              "database_system_identifier": "7710701428579163618",
              "dcs_last_seen": 1795287601,
              "patroni": {
                "scope": "batman",
                "version": "3.0.2"
              },
              "postmaster_start_time": "2026-11-21 18:59:37.815812+00:00",
              "replication": [
                {
                  "application_name": "pg3",
                  "client_addr": "127.0.0.1",
                  "state": "streaming",
                  "sync_priority": 0,
                  "sync_state": "async",
                  "usename": "replicator"
                },
                {
                  "application_name": "pg2",
                  "client_addr": "127.0.0.1",
                  "state": "streaming",
                  "sync_priority": 0,
                  "sync_state": "async",
                  "usename": "replicator"
                }
              ],
              "role": "master",
              "server_version": 150018,
              "state": "running",
              "timeline": 1,
              "xlog": {
                "location": 67108960
              }
            }
            """;

    /** {@code GET /patroni} on the replica pg2. */
    static final String PATRONI_REPLICA = """
            {
              "database_system_identifier": "7710701428579163618",
              "dcs_last_seen": 1795287601,
              "patroni": {
                "scope": "batman",
                "version": "3.0.2"
              },
              "postmaster_start_time": "2026-11-21 18:59:50.306090+00:00",
              "role": "replica",
              "server_version": 150018,
              "state": "running",
              "timeline": 1,
              "xlog": {
                "paused": false,
                "received_location": 67108960,
                "replayed_location": 67108960,
                "replayed_timestamp": null
              }
            }
            """;

    /** {@code GET /cluster} (identical on every node). */
    static final String CLUSTER = """
            {
              "members": [
                {
                  "api_url": "http://127.0.0.1:8008/patroni",
                  "host": "127.0.0.1",
                  "name": "pg1",
                  "port": 5432,
                  "role": "leader",
                  "state": "running",
                  "timeline": 1
                },
                {
                  "api_url": "http://127.0.0.1:8009/patroni",
                  "host": "127.0.0.1",
                  "lag": 0,
                  "name": "pg2",
                  "port": 5433,
                  "role": "replica",
                  "state": "running",
                  "timeline": 1
                },
                {
                  "api_url": "http://127.0.0.1:8010/patroni",
                  "host": "127.0.0.1",
                  "lag": 0,
                  "name": "pg3",
                  "port": 5434,
                  "role": "replica",
                  "state": "running",
                  "timeline": 1
                }
              ]
            }
            """;

    /** {@code GET /config} (identical on every node). */
    static final String CONFIG = """
            {
              "loop_wait": 10,
              "maximum_lag_on_failover": 1048576,
              "postgresql": {
                "parameters": {
                  "hot_standby": "on",
                  "max_connections": 100,
                  "max_replication_slots": 10,
                  "max_wal_senders": 10,
                  "wal_keep_size": "128MB",
                  "wal_level": "replica",
                  "wal_log_hints": "on"
                },
                "use_pg_rewind": true,
                "use_slots": true
              },
              "retry_timeout": 10,
              "ttl": 30
            }
            """;

    /** {@code GET /history} after the failover experiments (appendix). */
    static final String HISTORY_APPENDIX = """
            [
                [
                    1,
                    67311712,
                    "no recovery target specified",
                    "2026-11-21T19:01:26.524776+00:00",
                    "pg2"
                ],
                [
                    2,
                    67374280,
                    "no recovery target specified",
                    "2026-11-21T19:01:47.020777+00:00",
                    "pg3"
                ],
                [
                    3,
                    83886240,
                    "no recovery target specified",
                    "2026-11-21T19:02:09.956777+00:00",
                    "pg3"
                ],
                [
                    4,
                    83946360,
                    "no recovery target specified",
                    "2026-11-21T19:02:52.536779+00:00",
                    "pg1"
                ],
                [
                    5,
                    84035272,
                    "no recovery target specified",
                    "2026-11-21T19:03:14.572780+00:00",
                    "pg2"
                ],
                [
                    6,
                    84119456,
                    "no recovery target specified",
                    "2026-11-21T19:04:00.508782+00:00",
                    "pg3"
                ],
                [
                    7,
                    84203416,
                    "no recovery target specified",
                    "2026-11-21T19:04:30.092783+00:00",
                    "pg1"
                ],
                [
                    8,
                    100663456,
                    "no recovery target specified",
                    "2026-11-21T19:04:53.384784+00:00",
                    "pg1"
                ],
                [
                    9,
                    100838408,
                    "no recovery target specified",
                    "2026-11-21T19:08:36.328794+00:00",
                    "pg2"
                ],
                [
                    10,
                    100903536,
                    "no recovery target specified",
                    "2026-11-21T19:09:03.600795+00:00",
                    "pg3"
                ],
                [
                    11,
                    100969032,
                    "no recovery target specified",
                    "2026-11-21T19:09:17.308796+00:00",
                    "pg1"
                ],
                [
                    12,
                    117440672,
                    "no recovery target specified",
                    "2026-11-21T19:09:39.944797+00:00",
                    "pg1"
                ]
            ]
            """;

    /** {@code GET /cluster} after the failover experiments (appendix): members in Patroni's own key order. */
    static final String CLUSTER_APPENDIX = """
            {
                "members": [
                    {
                        "name": "pg1",
                        "role": "leader",
                        "state": "running",
                        "api_url": "http://127.0.0.1:8008/patroni",
                        "host": "127.0.0.1",
                        "port": 5432,
                        "timeline": 13
                    },
                    {
                        "name": "pg2",
                        "role": "replica",
                        "state": "running",
                        "api_url": "http://127.0.0.1:8009/patroni",
                        "host": "127.0.0.1",
                        "port": 5433,
                        "timeline": 13,
                        "lag": 0
                    },
                    {
                        "name": "pg3",
                        "role": "replica",
                        "state": "running",
                        "api_url": "http://127.0.0.1:8010/patroni",
                        "host": "127.0.0.1",
                        "port": 5434,
                        "timeline": 13,
                        "lag": 0
                    }
                ]
            }
            """;

    /** Status codes on the leader pg1 (GET; HEAD/OPTIONS shown where they differ). */
    static final String STATUS_CODES_LEADER = """
            /primary           GET 200
            /master            GET 200
            /leader            GET 200
            /replica           GET 503
            /health            GET 200
            /read-only         GET 200
            /read-write        GET 200
            /standby-leader    GET 503
            /sync              GET 503
            /synchronous       GET 503
            /async             GET 503
            /asynchronous      GET 503
            /replica?lag=1MB   GET 503
            /liveness          GET 200   (HEAD 503, OPTIONS 503)
            /readiness         GET 200   (HEAD 503, OPTIONS 503)
            /metrics           GET 200   (HEAD 503, OPTIONS 503)
            """;

    /** Status codes on the replica pg2 (GET; HEAD/OPTIONS shown where they differ). */
    static final String STATUS_CODES_REPLICA = """
            /primary           GET 503
            /master            GET 503
            /leader            GET 503
            /replica           GET 200
            /health            GET 200
            /read-only         GET 200
            /read-write        GET 503
            /standby-leader    GET 503
            /sync              GET 503
            /synchronous       GET 503
            /async             GET 200
            /asynchronous      GET 200
            /replica?lag=1MB   GET 200
            /liveness          GET 200   (HEAD 503, OPTIONS 503)
            /readiness         GET 200   (HEAD 503, OPTIONS 503)
            /metrics           GET 200   (HEAD 503, OPTIONS 503)
            """;

    /** {@code GET /metrics} on the leader (appendix). */
    static final String METRICS_LEADER = """
            # HELP patroni_version Patroni semver without periods.
            # TYPE patroni_version gauge
            patroni_version{scope="batman"} 030002
            # HELP patroni_postgres_running Value is 1 if Postgres is running, 0 otherwise.
            # TYPE patroni_postgres_running gauge
            patroni_postgres_running{scope="batman"} 1
            # HELP patroni_postmaster_start_time Epoch seconds since Postgres started.
            # TYPE patroni_postmaster_start_time gauge
            patroni_postmaster_start_time{scope="batman"} 1795288179.824793
            # HELP patroni_master Value is 1 if this node is the leader, 0 otherwise.
            # TYPE patroni_master gauge
            patroni_master{scope="batman"} 1
            # HELP patroni_primary Value is 1 if this node is the leader, 0 otherwise.
            # TYPE patroni_primary gauge
            patroni_primary{scope="batman"} 1
            # HELP patroni_xlog_location Current location of the Postgres transaction log, 0 if this node is not the leader.
            # TYPE patroni_xlog_location counter
            patroni_xlog_location{scope="batman"} 117480808
            # HELP patroni_standby_leader Value is 1 if this node is the standby_leader, 0 otherwise.
            # TYPE patroni_standby_leader gauge
            patroni_standby_leader{scope="batman"} 0
            # HELP patroni_replica Value is 1 if this node is a replica, 0 otherwise.
            # TYPE patroni_replica gauge
            patroni_replica{scope="batman"} 0
            # HELP patroni_sync_standby Value is 1 if this node is a sync standby replica, 0 otherwise.
            # TYPE patroni_sync_standby gauge
            patroni_sync_standby{scope="batman"} 0
            # HELP patroni_xlog_received_location Current location of the received Postgres transaction log, 0 if this node is not a replica.
            # TYPE patroni_xlog_received_location counter
            patroni_xlog_received_location{scope="batman"} 0
            # HELP patroni_xlog_replayed_location Current location of the replayed Postgres transaction log, 0 if this node is not a replica.
            # TYPE patroni_xlog_replayed_location counter
            patroni_xlog_replayed_location{scope="batman"} 0
            # HELP patroni_xlog_replayed_timestamp Current timestamp of the replayed Postgres transaction log, 0 if null.
            # TYPE patroni_xlog_replayed_timestamp gauge
            patroni_xlog_replayed_timestamp{scope="batman"} 0
            # HELP patroni_xlog_paused Value is 1 if the Postgres xlog is paused, 0 otherwise.
            # TYPE patroni_xlog_paused gauge
            patroni_xlog_paused{scope="batman"} 0
            # HELP patroni_postgres_server_version Version of Postgres (if running), 0 otherwise.
            # TYPE patroni_postgres_server_version gauge
            patroni_postgres_server_version {scope="batman"} 150018
            # HELP patroni_cluster_unlocked Value is 1 if the cluster is unlocked, 0 if locked.
            # TYPE patroni_cluster_unlocked gauge
            patroni_cluster_unlocked{scope="batman"} 0
            # HELP patroni_failsafe_mode_is_active Value is 1 if the cluster is unlocked, 0 if locked.
            # TYPE patroni_failsafe_mode_is_active gauge
            patroni_failsafe_mode_is_active{scope="batman"} 0
            # HELP patroni_postgres_timeline Postgres timeline of this node (if running), 0 otherwise.
            # TYPE patroni_postgres_timeline counter
            patroni_postgres_timeline{scope="batman"} 13
            # HELP patroni_dcs_last_seen Epoch timestamp when DCS was last contacted successfully by Patroni.
            # TYPE patroni_dcs_last_seen gauge
            patroni_dcs_last_seen{scope="batman"} 1795288199
            # HELP patroni_pending_restart Value is 1 if the node needs a restart, 0 otherwise.
            # TYPE patroni_pending_restart gauge
            patroni_pending_restart{scope="batman"} 0
            # HELP patroni_is_paused Value is 1 if auto failover is disabled, 0 otherwise.
            # TYPE patroni_is_paused gauge
            patroni_is_paused{scope="batman"} 0
            """;
}
