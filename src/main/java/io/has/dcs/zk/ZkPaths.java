package io.has.dcs.zk;

/**
 * Patroni's ZooKeeper key layout under {@code /<namespace>/<scope>} (reference patroni.md §1.1).
 *
 * @param base the cluster's base path, for example {@code /service/batman}
 */
record ZkPaths(String base) {

    static final String INITIALIZE = "initialize";
    static final String CONFIG = "config";
    static final String LEADER = "leader";
    static final String MEMBERS = "members";
    static final String STATUS = "status";
    static final String OPTIME = "optime";
    static final String FAILOVER = "failover";
    static final String SYNC = "sync";
    static final String HISTORY = "history";
    static final String FAILSAFE = "failsafe";

    ZkPaths {
        if (base == null || !base.startsWith("/") || base.length() < 2 || base.endsWith("/")) {
            throw new IllegalArgumentException("base path must look like /namespace/scope, got '" + base + "'");
        }
    }

    String key(String name) {
        return base + "/" + name;
    }

    String leader() {
        return key(LEADER);
    }

    String members() {
        return key(MEMBERS);
    }

    String member(String name) {
        return members() + "/" + name;
    }

    /** Legacy {@code optime/leader}, read only when {@code status} is missing. */
    String optimeLeader() {
        return key(OPTIME) + "/" + LEADER;
    }

    /** The parent of a path, or "" for the root's children. */
    static String parent(String path) {
        int slash = path.lastIndexOf('/');
        return slash <= 0 ? "" : path.substring(0, slash);
    }
}
