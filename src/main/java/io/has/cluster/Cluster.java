package io.has.cluster;

import java.util.List;
import java.util.Map;
import java.util.Optional;

/**
 * Immutable snapshot of everything HAS keeps under {@code /<namespace>/<scope>/} in ZooKeeper, read
 * once per HA cycle.
 *
 * @param initialize  value of {@code initialize}: null when absent, "" while a bootstrap runs, else the
 *                    database system identifier
 * @param config      the {@code config} key, or null when absent
 * @param leader      the {@code leader} key, or null when the cluster is unlocked
 * @param members     all {@code members/*}, sorted by name
 * @param failover    the {@code failover} key ({@link Failover#NONE} when absent)
 * @param sync        the {@code sync} key ({@link SyncState#EMPTY} when absent)
 * @param history     the {@code history} key, or null when absent
 * @param status      the {@code status} key ({@link ClusterStatus#EMPTY} when absent)
 * @param failsafe    the {@code failsafe} key: member name to api_url, written by the leader while
 *                    {@code failsafe_mode} is on (empty when absent)
 */
public record Cluster(
        String initialize,
        ConfigKey config,
        Leader leader,
        List<Member> members,
        Failover failover,
        SyncState sync,
        List<HistoryEntry> history,
        ClusterStatus status,
        Map<String, String> failsafe) {

    /** An empty namespace: nothing bootstrapped yet. */
    public static final Cluster EMPTY =
            new Cluster(null, null, null, List.of(), Failover.NONE, SyncState.EMPTY, null, ClusterStatus.EMPTY);

    /** A cluster without a {@code failsafe} key. */
    public Cluster(String initialize, ConfigKey config, Leader leader, List<Member> members, Failover failover,
            SyncState sync, List<HistoryEntry> history, ClusterStatus status) {
        this(initialize, config, leader, members, failover, sync, history, status, Map.of());
    }

    public Cluster {
        members = members == null ? List.of() : List.copyOf(members);
        failover = failover == null ? Failover.NONE : failover;
        sync = sync == null ? SyncState.EMPTY : sync;
        status = status == null ? ClusterStatus.EMPTY : status;
        history = history == null ? null : List.copyOf(history);
        failsafe = failsafe == null ? Map.of() : java.util.Collections.unmodifiableMap(new java.util.TreeMap<>(failsafe));
    }

    /**
     * The raw {@code config} key.
     *
     * @param value   decoded JSON object (empty map for an empty or undecodable key)
     * @param version znode version, used for compare-and-set
     * @param mzxid   modification zxid: a change means the dynamic config must be re-applied
     */
    public record ConfigKey(Map<String, Object> value, int version, long mzxid) {
    }

    public boolean isUnlocked() {
        return leader == null;
    }

    public Optional<Member> member(String name) {
        return members.stream().filter(m -> m.name().equals(name)).findFirst();
    }

    /** The member record of the lock holder, if the holder has published one. */
    public Optional<Member> leaderMember() {
        return leader == null ? Optional.empty() : member(leader.name());
    }

    /** A sysid is valid once it has at least 10 characters, all digits (Patroni's rule). */
    public boolean hasValidSysid() {
        return initialize != null && initialize.length() >= 10 && initialize.chars().allMatch(Character::isDigit);
    }

    /** Cluster timeline derived from history: last entry + 1, 1 for {@code []}, 0 when unknown. */
    public int timeline() {
        if (history == null) {
            return 0;
        }
        return history.isEmpty() ? 1 : history.get(history.size() - 1).timeline() + 1;
    }
}
