package io.has.cluster.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import io.has.cluster.ClusterStatus;
import io.has.cluster.Failover;
import io.has.cluster.HistoryEntry;
import io.has.cluster.MemberData;
import io.has.cluster.PgState;
import io.has.cluster.Role;
import io.has.cluster.SyncState;
import io.has.json.Json;
import java.math.BigInteger;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * Patroni's JSON encodings of the values stored under {@code /<namespace>/<scope>/} (reference
 * patroni.md §1.2-1.7), byte-compatible with what Patroni 3.0.2 writes.
 *
 * <p>Writers produce compact JSON (no spaces) in Patroni's field order and escape non-ASCII characters
 * the way Python's {@code json.dumps} does ({@code \u00e9}, lower-case hex). Readers accept any valid
 * JSON (for example the spaced form {@code patronictl edit-config} writes) and ignore unknown fields.
 *
 * <p>Decoders for the member key never throw: garbage decodes to a member in state
 * {@link PgState#UNKNOWN} with a null role. All other decoders throw {@link MalformedValueException} for
 * garbage, so that the caller can log it once and treat the key as absent. Stateless and thread-safe.
 */
public final class ClusterCodec {

    /** Python's {@code datetime.isoformat()}: microseconds only when non-zero, offset as {@code +00:00}. */
    private static final DateTimeFormatter ISO_SECONDS = DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ssxxx");
    private static final DateTimeFormatter ISO_MICROS =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSSSSxxx");

    /** What a member key holding garbage decodes to. */
    public static final MemberData UNKNOWN_MEMBER =
            new MemberData(null, null, PgState.UNKNOWN, null, null, Map.of(), null, null, false);

    private ClusterCodec() {
    }

    // ---------------------------------------------------------------------------------------------
    // members/<name>

    /** Encodes a member in Patroni's field order; optional fields are left out when not applicable. */
    public static String encodeMember(MemberData m) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("conn_url", m.connUrl());
        o.put("api_url", m.apiUrl());
        o.put("state", m.state() == null ? PgState.UNKNOWN.wire() : m.state().wire());
        o.put("role", m.role() == null ? null : m.role().wire());
        o.put("version", m.version());
        if (m.checkpointAfterPromote() != null) {
            o.put("checkpoint_after_promote", m.checkpointAfterPromote());
        }
        if (!m.tags().isEmpty()) {
            // MemberData keeps tags in an unordered map: sort for a stable encoding.
            o.put("tags", new TreeMap<>(m.tags()));
        }
        if (m.xlogLocation() != null) {
            o.put("xlog_location", m.xlogLocation());
        }
        if (m.timeline() != null) {
            o.put("timeline", m.timeline());
        }
        if (m.scheduledRestart() != null) {
            o.put("scheduled_restart", m.scheduledRestart());
        }
        if (m.pause()) {
            o.put("pause", true);
        }
        return write(o);
    }

    /** Lenient: never throws; garbage gives {@link #UNKNOWN_MEMBER}. */
    public static MemberData decodeMember(String raw) {
        try {
            return decodeMemberStrict(raw);
        } catch (MalformedValueException e) {
            return UNKNOWN_MEMBER;
        }
    }

    /**
     * Decodes a member key. A legacy value starting with {@code postgres} is a connection URL whose
     * {@code application_name} query parameter is the api_url. Fields of the wrong type are ignored.
     *
     * @throws MalformedValueException when the value is neither a JSON object nor a legacy URL
     */
    public static MemberData decodeMemberStrict(String raw) {
        if (raw != null && raw.startsWith("postgres")) {
            return decodeLegacyMember(raw);
        }
        Map<String, Object> n = object(parse(raw), "member value is not a JSON object");
        Map<String, Object> tags = new LinkedHashMap<>();
        Map<String, Object> t = objectOrNull(n.get("tags"));
        if (t != null) {
            t.forEach((k, v) -> {
                if (v != null) {
                    tags.put(k, v);
                }
            });
        }
        return new MemberData(
                text(n, "conn_url"),
                text(n, "api_url"),
                PgState.fromWire(text(n, "state")),
                Role.fromWire(text(n, "role")),
                text(n, "version"),
                tags,
                longValue(n.get("xlog_location")),
                intValue(n.get("timeline")),
                Boolean.TRUE.equals(n.get("pause")),
                objectOrNull(n.get("scheduled_restart")),
                n.get("checkpoint_after_promote") instanceof Boolean b ? b : null);
    }

    private static MemberData decodeLegacyMember(String raw) {
        int q = raw.indexOf('?');
        String connUrl = raw;
        String apiUrl = null;
        if (q >= 0) {
            String query = raw.substring(q + 1);
            int hash = query.indexOf('#');
            connUrl = raw.substring(0, q) + (hash >= 0 ? query.substring(hash) : "");
            query = hash >= 0 ? query.substring(0, hash) : query;
            for (String pair : query.split("[&;]")) {
                int eq = pair.indexOf('=');
                if (eq > 0 && pair.substring(0, eq).equals("application_name")) {
                    try {
                        apiUrl = URLDecoder.decode(pair.substring(eq + 1), StandardCharsets.UTF_8);
                    } catch (IllegalArgumentException e) {
                        apiUrl = pair.substring(eq + 1);
                    }
                    break;
                }
            }
        }
        return new MemberData(connUrl, apiUrl, PgState.UNKNOWN, null, null, Map.of(), null, null, false);
    }

    // ---------------------------------------------------------------------------------------------
    // failover

    /** {@code {"leader":..,"member":..,"scheduled_at":..}} without nulls; an empty failover is {@code {}}. */
    public static String encodeFailover(Failover f) {
        Map<String, Object> o = new LinkedHashMap<>();
        if (f.leader() != null) {
            o.put("leader", f.leader());
        }
        if (f.candidate() != null) {
            o.put("member", f.candidate());
        }
        if (f.scheduledAt() != null) {
            o.put("scheduled_at", formatTimestamp(f.scheduledAt()));
        }
        return write(o);
    }

    /**
     * Decodes the failover key: JSON, or the legacy text {@code leader:candidate}.
     *
     * @param version the znode version to carry in the result
     * @throws MalformedValueException on garbage, including an unparsable {@code scheduled_at} (acting
     *                                 on it at once would be wrong)
     */
    public static Failover decodeFailover(String raw, int version) {
        String s = raw == null ? "" : raw.strip();
        if (s.isEmpty()) {
            return new Failover(null, null, null, version);
        }
        if (!s.startsWith("{") && !s.startsWith("[") && !s.startsWith("\"")) {
            return decodeLegacyFailover(s, version);
        }
        Map<String, Object> n = object(parse(s), "failover value is not a JSON object");
        String at = text(n, "scheduled_at");
        return new Failover(text(n, "leader"), text(n, "member"), at == null ? null : parseTimestamp(at), version);
    }

    private static Failover decodeLegacyFailover(String s, int version) {
        if (s.chars().anyMatch(Character::isISOControl) || s.chars().filter(c -> c == ':').count() > 1) {
            throw new MalformedValueException("failover value is neither JSON nor leader:candidate");
        }
        String[] parts = s.split(":", -1);
        String leader = parts[0].strip();
        String member = parts.length > 1 ? parts[1].strip() : "";
        return new Failover(leader.isEmpty() ? null : leader, member.isEmpty() ? null : member, null, version);
    }

    /** Python's {@code isoformat()}: {@code 2026-11-21T19:00:00+00:00}, microseconds when non-zero. */
    public static String formatTimestamp(OffsetDateTime t) {
        OffsetDateTime micros = t.truncatedTo(ChronoUnit.MICROS);
        return (micros.getNano() == 0 ? ISO_SECONDS : ISO_MICROS).format(micros);
    }

    /**
     * Parses ISO-8601 with a zone ({@code Z} or an offset).
     *
     * @throws MalformedValueException when unparsable or without a zone
     */
    public static OffsetDateTime parseTimestamp(String value) {
        try {
            return OffsetDateTime.parse(value.strip().replace(' ', 'T'));
        } catch (DateTimeParseException e) {
            throw new MalformedValueException("not an ISO-8601 timestamp with zone: " + value, e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // sync

    /** {@code {"leader":..,"sync_standby":"a,b"}} (sorted, null when none); an empty state is {@code {}}. */
    public static String encodeSync(SyncState s) {
        Map<String, Object> o = new LinkedHashMap<>();
        if (s.leader() == null && s.syncStandby().isEmpty()) {
            return write(o);
        }
        o.put("leader", s.leader());
        o.put("sync_standby", s.syncStandby().isEmpty()
                ? null
                : String.join(",", s.syncStandby().stream().sorted().toList()));
        return write(o);
    }

    /**
     * Decodes the sync key; {@code sync_standby} may be a comma-separated string or a JSON list.
     *
     * @throws MalformedValueException on garbage
     */
    public static SyncState decodeSync(String raw, int version) {
        if (raw == null || raw.isBlank()) {
            return new SyncState(null, List.of(), version);
        }
        Map<String, Object> n = object(parse(raw), "sync value is not a JSON object");
        List<String> names = new ArrayList<>();
        Object ss = n.get("sync_standby");
        if (ss instanceof String text) {
            Arrays.stream(text.split(",")).map(String::strip).filter(x -> !x.isEmpty()).forEach(names::add);
        } else if (ss instanceof List<?> list) {
            list.forEach(x -> {
                if (x instanceof String name && !name.isEmpty()) {
                    names.add(name);
                }
            });
        }
        names.sort(null);
        return new SyncState(text(n, "leader"), names, version);
    }

    // ---------------------------------------------------------------------------------------------
    // history

    /** {@code [[tl,lsn,"reason","timestamp","leader"],...]}; trailing nulls are left out. */
    public static String encodeHistory(List<HistoryEntry> history) {
        List<Object> a = new ArrayList<>(history.size());
        for (HistoryEntry h : history) {
            List<Object> e = new ArrayList<>(5);
            e.add(h.timeline());
            e.add(h.lsn());
            e.add(h.reason());
            if (h.timestamp() != null || h.newLeader() != null) {
                e.add(h.timestamp());
            }
            if (h.newLeader() != null) {
                e.add(h.newLeader());
            }
            a.add(e);
        }
        return write(a);
    }

    /**
     * Decodes the history list; entries with only three elements are accepted.
     *
     * @throws MalformedValueException on garbage
     */
    public static List<HistoryEntry> decodeHistory(String raw) {
        if (!(parse(raw) instanceof List<?> n)) {
            throw new MalformedValueException("history value is not a JSON list");
        }
        List<HistoryEntry> out = new ArrayList<>();
        for (Object o : n) {
            List<?> e = o instanceof List<?> l && l.size() >= 3 ? l : null;
            Integer tl = e == null ? null : intValue(e.get(0));
            Long lsn = tl == null ? null : longValue(e.get(1));
            if (lsn == null) {
                throw new MalformedValueException("history entry is not [timeline, lsn, reason, ...]: "
                        + Json.PLAIN.write(o));
            }
            out.add(new HistoryEntry(tl, lsn, scalarText(e, 2), scalarText(e, 3), scalarText(e, 4)));
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // status

    /** {@code {"optime":N}} plus {@code "slots":{...}} (sorted by name) only when there are slots. */
    public static String encodeStatus(ClusterStatus s) {
        Map<String, Object> o = new LinkedHashMap<>();
        o.put("optime", s.optime());
        if (!s.slots().isEmpty()) {
            o.put("slots", new TreeMap<>(s.slots()));
        }
        return write(o);
    }

    /**
     * Decodes the status key; a bare integer is the legacy form, {@code slots} may be a JSON string.
     * Slot entries that are not integers are dropped.
     *
     * @throws MalformedValueException on garbage
     */
    public static ClusterStatus decodeStatus(String raw) {
        Object root = parse(raw);
        if (root instanceof Integer || root instanceof Long || root instanceof BigInteger) {
            return new ClusterStatus(((Number) root).longValue(), Map.of());
        }
        Map<String, Object> n = object(root, "status value is neither an object nor an integer");
        Long optime = longValue(n.get("optime"));
        Object slots = n.get("slots");
        if (slots instanceof String text) {
            try {
                slots = Json.read(text);
            } catch (JsonProcessingException e) {
                slots = null;
            }
        }
        Map<String, Long> slotMap = new LinkedHashMap<>();
        Map<String, Object> m = objectOrNull(slots);
        if (m != null) {
            m.forEach((k, v) -> {
                Long lsn = longValue(v);
                if (lsn != null) {
                    slotMap.put(k, lsn);
                }
            });
        }
        return new ClusterStatus(optime == null ? 0 : optime, slotMap);
    }

    /**
     * Decodes the legacy {@code optime/leader} key (a decimal string).
     *
     * @throws MalformedValueException on garbage
     */
    public static ClusterStatus decodeLegacyOptime(String raw) {
        try {
            return new ClusterStatus(Long.parseLong(raw.strip()), Map.of());
        } catch (NumberFormatException | NullPointerException e) {
            throw new MalformedValueException("optime/leader is not a decimal number", e);
        }
    }

    // ---------------------------------------------------------------------------------------------
    // config

    /** Compact JSON; key order follows the map's iteration order. */
    /** {@code failsafe}: a JSON object member name → api_url. */
    public static String encodeFailsafe(Map<String, String> failsafe) {
        return Json.ASCII.write(failsafe);
    }

    /** Decodes {@code failsafe}; non-string values are skipped. */
    public static Map<String, String> decodeFailsafe(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) {
            return out;
        }
        object(parse(raw), "failsafe value is not a JSON object").forEach((k, v) -> {
            if (v instanceof String apiUrl) {
                out.put(k, apiUrl);
            }
        });
        return out;
    }

    public static String encodeConfig(Map<String, Object> config) {
        return Json.ASCII.write(config);
    }

    /**
     * Decodes the config key into nested {@link LinkedHashMap}s (key order kept); blank gives an empty map.
     *
     * @throws MalformedValueException when the value is not a JSON object
     */
    public static Map<String, Object> decodeConfig(String raw) {
        if (raw == null || raw.isBlank()) {
            return new LinkedHashMap<>();
        }
        return object(parse(raw), "config value is not a JSON object");
    }

    // ---------------------------------------------------------------------------------------------
    // helpers

    /** The first JSON value of {@code raw} as plain Java values ({@link Json}); trailing text is not read. */
    private static Object parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new MalformedValueException("empty value");
        }
        try {
            return Json.read(raw);
        } catch (JsonProcessingException e) {
            throw new MalformedValueException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    /** {@code value} as a JSON object, or a {@link MalformedValueException} with {@code message}. */
    private static Map<String, Object> object(Object value, String message) {
        Map<String, Object> m = objectOrNull(value);
        if (m == null) {
            throw new MalformedValueException(message);
        }
        return m;
    }

    /** {@code value} as a JSON object (keys are always strings in a tree {@link Json} read), else null. */
    @SuppressWarnings("unchecked")
    private static Map<String, Object> objectOrNull(Object value) {
        return value instanceof Map<?, ?> m ? (Map<String, Object>) m : null;
    }

    private static String write(Object tree) {
        return Json.ASCII.write(tree);
    }

    private static String text(Map<String, Object> n, String field) {
        return n.get(field) instanceof String s ? s : null;
    }

    /** Element {@code i} as text when it is a scalar (numbers and booleans in JSON form), else null. */
    private static String scalarText(List<?> e, int i) {
        Object v = i < e.size() ? e.get(i) : null;
        return v == null || v instanceof Map<?, ?> || v instanceof List<?> ? null : String.valueOf(v);
    }

    /** An integer that fits a long, or a decimal string of one; null for anything else. */
    private static Long longValue(Object v) {
        if (v instanceof Integer || v instanceof Long) {
            return ((Number) v).longValue();
        }
        if (v instanceof BigInteger b) {
            return b.bitLength() < Long.SIZE ? b.longValue() : null;
        }
        if (v instanceof String s) {
            try {
                return Long.parseLong(s.strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Integer intValue(Object v) {
        Long l = longValue(v);
        return l == null || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE ? null : l.intValue();
    }
}
