package io.has.config;

import io.has.cluster.HostPort;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

/**
 * The validated, immutable local configuration of one daemon: Patroni's YAML keys plus the
 * {@code PATRONI_*} environment overrides. Built only by {@link ConfigLoader}.
 *
 * @param scope     cluster name
 * @param namespace ZooKeeper namespace, normalised to start with "/" and not end with "/" (default /service)
 * @param name      this member's name
 * @param restapi   REST API settings
 * @param zookeeper ZooKeeper settings
 * @param bootstrap bootstrap section (only used by the member that wins the initialize race)
 * @param postgresql local database settings
 * @param tags      member tags as written in YAML (booleans stay booleans)
 * @param log       logging settings
 * @param raw       the merged YAML tree, for sections later issues read (watchdog, vip, callbacks, ctl)
 */
public record HasConfig(
        String scope,
        String namespace,
        String name,
        RestApi restapi,
        ZooKeeper zookeeper,
        Bootstrap bootstrap,
        Postgresql postgresql,
        Map<String, Object> tags,
        Log log,
        Map<String, Object> raw) {

    /**
     * The effective configuration (the merged YAML with every default filled in) as YAML text, with
     * every password replaced by {@code ******}. Safe to log.
     */
    public String describe() {
        return ConfigDescriber.describe(this);
    }

    /** Same as {@link #describe()}: a config never prints its passwords. */
    @Override
    public String toString() {
        return describe();
    }

    /** ZooKeeper base path of this cluster: {@code /<namespace>/<scope>}. */
    public String basePath() {
        return (namespace.equals("/") ? "" : namespace) + "/" + scope;
    }

    /**
     * @param listen         address and port to bind
     * @param connectAddress address peers and clients use (defaults to listen)
     * @param username       Basic auth user, or null
     * @param password       Basic auth password, or null (never logged)
     */
    public record RestApi(HostPort listen, HostPort connectAddress, String username, String password) {
        @Override
        public String toString() {
            return "RestApi[listen=" + listen + ", connectAddress=" + connectAddress + ", username=" + username
                    + ", password=" + mask(password) + "]";
        }
    }

    /** @param hosts {@code host:port} strings as given */
    public record ZooKeeper(List<String> hosts) {
        /** The Curator connect string. */
        public String connectString() {
            return String.join(",", hosts);
        }
    }

    /**
     * @param dcs    {@code bootstrap.dcs}, the seed of the DCS {@code config} key (kept verbatim)
     * @param initdb {@code bootstrap.initdb} turned into initdb options ({@code --key=value} or {@code --flag})
     * @param pgHba  {@code bootstrap.pg_hba} lines
     * @param users  {@code bootstrap.users}: name to user
     */
    public record Bootstrap(Map<String, Object> dcs, List<String> initdb, List<String> pgHba, Map<String, User> users) {
    }

    /** @param options role options such as {@code createrole}, {@code createdb}, {@code login} */
    public record User(String password, List<String> options) {
        @Override
        public String toString() {
            return "User[password=" + mask(password) + ", options=" + options + "]";
        }
    }

    /** Credentials for one of superuser/replication/rewind; password may be null. */
    public record Credentials(String username, String password, String sslmode) {
        @Override
        public String toString() {
            return "Credentials[username=" + username + ", password=" + mask(password) + ", sslmode=" + sslmode + "]";
        }
    }

    /**
     * @param listenAddresses  the host part of {@code postgresql.listen} (may be a comma list, {@code *})
     * @param port             the port of {@code postgresql.listen}
     * @param connectAddress   host:port peers use to reach this server (defaults to listen)
     * @param dataDir          data directory
     * @param binDir           directory of pg_ctl/initdb/..., or null for PATH
     * @param pgpass           pgpass file HAS writes for its own tools
     * @param pgCtlTimeout     seconds pg_ctl may take (default 60)
     * @param database         database in conn_url (default postgres)
     * @param superuser        superuser credentials
     * @param replication      replication credentials
     * @param rewind           pg_rewind credentials, or null
     * @param parameters       local postgresql.conf parameters
     * @param pgHba            local pg_hba lines (override bootstrap.pg_hba), or empty
     * @param useUnixSocket    connect locally through the unix socket
     * @param createReplicaMethods ordered methods, default [basebackup]
     * @param basebackup       options for pg_basebackup ({@code --key=value} or {@code --flag})
     */
    public record Postgresql(
            String listenAddresses,
            int port,
            HostPort connectAddress,
            Path dataDir,
            Path binDir,
            Path pgpass,
            int pgCtlTimeout,
            String database,
            Credentials superuser,
            Credentials replication,
            Credentials rewind,
            Map<String, Object> parameters,
            List<String> pgHba,
            boolean useUnixSocket,
            List<String> createReplicaMethods,
            List<String> basebackup) {

        /** {@code postgres://host:port/db} for the member key. */
        public String connUrl() {
            return "postgres://" + connectAddress + "/" + database;
        }
    }

    /**
     * @param level    root log level (INFO)
     * @param dir      directory of rotated log files, or null for stderr only
     * @param fileNum  number of rotated files kept (4)
     * @param fileSize bytes per file before rotation (25000000)
     */
    public record Log(String level, Path dir, int fileNum, long fileSize) {
    }

    private static String mask(String secret) {
        return secret == null ? null : Secrets.MASK;
    }
}
