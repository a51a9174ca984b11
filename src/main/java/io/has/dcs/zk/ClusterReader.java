package io.has.dcs.zk;

import io.has.cluster.Cluster;
import io.has.cluster.ClusterStatus;
import io.has.cluster.Failover;
import io.has.cluster.HistoryEntry;
import io.has.cluster.Leader;
import io.has.cluster.Member;
import io.has.cluster.MemberData;
import io.has.cluster.SyncState;
import io.has.cluster.json.ClusterCodec;
import io.has.cluster.json.MalformedValueException;
import io.has.dcs.DcsException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.apache.curator.framework.api.CuratorEvent;
import org.apache.zookeeper.KeeperException.Code;
import org.apache.zookeeper.data.Stat;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads every key of one cluster (Patroni's {@code get_cluster}): the children of the base, then
 * {@code initialize}, {@code config}, {@code history}, {@code sync}, {@code members/*}, {@code leader},
 * {@code status} (or the legacy {@code optime/leader}) and {@code failover}.
 *
 * <p>Garbage never throws. It is logged at WARN once per value (per znode path and mzxid) and then:
 * <ul>
 *   <li>{@code config} decodes to an empty map, {@code history} to absent (timeline unknown), {@code
 *       status} to absent (falling back to {@code optime/leader}), {@code sync} and {@code failover} to
 *       empty values that still carry the znode version, so a leader can CAS-overwrite them;</li>
 *   <li>a member decodes to state unknown with no role;</li>
 *   <li>{@code leader} and {@code initialize} are raw text: bytes that are not UTF-8 are decoded with
 *       replacement characters, so a lock that exists is never mistaken for a free one.</li>
 * </ul>
 */
final class ClusterReader {

    /**
     * @param cluster   the snapshot
     * @param statusKey the decoded {@code status} key, or null when it is absent or garbage
     */
    record Result(Cluster cluster, ClusterStatus statusKey) {
    }

    private static final Logger LOG = LoggerFactory.getLogger(ClusterReader.class);

    private final ZkPaths paths;
    private final ZkOps ops;
    private final String prefix;
    /** path → mzxid of the bad value we last warned about. */
    private final Map<String, Long> warned = new ConcurrentHashMap<>();

    ClusterReader(ZkPaths paths, ZkOps ops, String prefix) {
        this.paths = paths;
        this.ops = ops;
        this.prefix = prefix;
    }

    Result read(Deadline d) throws DcsException {
        CuratorEvent base = ops.getChildren(paths.base(), d);
        if (ZkOps.code(base) == Code.NONODE) {
            return new Result(Cluster.EMPTY, null);
        }
        expectOk(base);
        Set<String> keys = new HashSet<>(base.getChildren());

        String initialize = null;
        CuratorEvent e = get(keys, ZkPaths.INITIALIZE, d);
        if (e != null) {
            initialize = rawText(e);
        }

        Cluster.ConfigKey config = null;
        e = get(keys, ZkPaths.CONFIG, d);
        if (e != null) {
            Map<String, Object> value;
            try {
                value = ClusterCodec.decodeConfig(utf8(e.getData()));
                valid(e);
            } catch (MalformedValueException ex) {
                garbage(e, ex, "using an empty config");
                value = Map.of();
            }
            config = new Cluster.ConfigKey(value, e.getStat().getVersion(), e.getStat().getMzxid());
        }

        List<HistoryEntry> history = null;
        e = get(keys, ZkPaths.HISTORY, d);
        if (e != null) {
            try {
                history = ClusterCodec.decodeHistory(utf8(e.getData()));
                valid(e);
            } catch (MalformedValueException ex) {
                garbage(e, ex, "treating history as absent");
            }
        }

        SyncState sync = SyncState.EMPTY;
        e = get(keys, ZkPaths.SYNC, d);
        if (e != null) {
            try {
                sync = ClusterCodec.decodeSync(utf8(e.getData()), e.getStat().getVersion());
                valid(e);
            } catch (MalformedValueException ex) {
                garbage(e, ex, "treating sync as empty");
                sync = new SyncState(null, List.of(), e.getStat().getVersion());
            }
        }

        List<Member> members = keys.contains(ZkPaths.MEMBERS) ? members(d) : List.of();

        Leader leader = null;
        e = get(keys, ZkPaths.LEADER, d);
        if (e != null) {
            leader = new Leader(rawText(e), e.getStat().getEphemeralOwner(), e.getStat().getVersion());
        }

        ClusterStatus statusKey = null;
        e = get(keys, ZkPaths.STATUS, d);
        if (e != null) {
            try {
                statusKey = ClusterCodec.decodeStatus(utf8(e.getData()));
                valid(e);
            } catch (MalformedValueException ex) {
                garbage(e, ex, "treating status as absent");
            }
        }
        ClusterStatus status = statusKey != null ? statusKey : legacyOptime(keys, d);

        Failover failover = Failover.NONE;
        e = get(keys, ZkPaths.FAILOVER, d);
        if (e != null) {
            try {
                failover = ClusterCodec.decodeFailover(utf8(e.getData()), e.getStat().getVersion());
                valid(e);
            } catch (MalformedValueException ex) {
                garbage(e, ex, "treating failover as empty");
                failover = new Failover(null, null, null, e.getStat().getVersion());
            }
        }

        Map<String, String> failsafe = Map.of();
        e = get(keys, ZkPaths.FAILSAFE, d);
        if (e != null) {
            try {
                failsafe = ClusterCodec.decodeFailsafe(utf8(e.getData()));
                valid(e);
            } catch (MalformedValueException ex) {
                garbage(e, ex, "treating failsafe as empty");
            }
        }

        return new Result(new Cluster(initialize, config, leader, members, failover, sync, history, status, failsafe),
                statusKey);
    }

    private List<Member> members(Deadline d) throws DcsException {
        CuratorEvent list = ops.getChildren(paths.members(), d);
        if (ZkOps.code(list) == Code.NONODE) {
            return List.of();
        }
        expectOk(list);
        List<Member> out = new ArrayList<>();
        for (String name : list.getChildren()) {
            CuratorEvent e = ops.getData(paths.member(name), d);
            if (ZkOps.code(e) == Code.NONODE) {
                continue; // left between the listing and the read
            }
            expectOk(e);
            MemberData data;
            try {
                data = ClusterCodec.decodeMemberStrict(utf8(e.getData()));
                valid(e);
            } catch (MalformedValueException ex) {
                garbage(e, ex, "member state unknown");
                data = ClusterCodec.UNKNOWN_MEMBER;
            }
            Stat s = e.getStat();
            out.add(new Member(name, data, s.getEphemeralOwner(), s.getVersion()));
        }
        out.sort(Comparator.comparing(Member::name));
        return out;
    }

    private ClusterStatus legacyOptime(Set<String> keys, Deadline d) throws DcsException {
        if (!keys.contains(ZkPaths.OPTIME)) {
            return ClusterStatus.EMPTY;
        }
        CuratorEvent e = ops.getData(paths.optimeLeader(), d);
        if (ZkOps.code(e) == Code.NONODE) {
            return ClusterStatus.EMPTY;
        }
        expectOk(e);
        try {
            ClusterStatus s = ClusterCodec.decodeLegacyOptime(utf8(e.getData()));
            valid(e);
            return s;
        } catch (MalformedValueException ex) {
            garbage(e, ex, "optime unknown");
            return ClusterStatus.EMPTY;
        }
    }

    /** Reads {@code <base>/<key>} if the base listed it; null when absent. */
    private CuratorEvent get(Set<String> keys, String key, Deadline d) throws DcsException {
        if (!keys.contains(key)) {
            return null;
        }
        CuratorEvent e = ops.getData(paths.key(key), d);
        if (ZkOps.code(e) == Code.NONODE) {
            return null;
        }
        expectOk(e);
        return e;
    }

    private void expectOk(CuratorEvent e) throws DcsException {
        if (ZkOps.code(e) != Code.OK) {
            throw ops.unexpected(e);
        }
    }

    /** Raw text keys: invalid UTF-8 is decoded with replacement characters (and warned about). */
    private String rawText(CuratorEvent e) {
        byte[] data = e.getData() == null ? new byte[0] : e.getData();
        try {
            String s = utf8(data);
            valid(e);
            return s;
        } catch (MalformedValueException ex) {
            garbage(e, ex, "using it with replacement characters");
            return new String(data, StandardCharsets.UTF_8);
        }
    }

    static String utf8(byte[] data) {
        if (data == null) {
            return "";
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(data))
                    .toString();
        } catch (CharacterCodingException ex) {
            throw new MalformedValueException("not UTF-8", ex);
        }
    }

    private void valid(CuratorEvent e) {
        warned.remove(e.getPath());
    }

    private void garbage(CuratorEvent e, MalformedValueException ex, String consequence) {
        long mzxid = e.getStat().getMzxid();
        Long before = warned.put(e.getPath(), mzxid);
        if (before == null || before != mzxid) {
            LOG.warn("{}Unreadable value in {} ({}); {}. Fix or rewrite the key.", prefix, e.getPath(),
                    ex.getMessage(), consequence);
        }
    }
}
