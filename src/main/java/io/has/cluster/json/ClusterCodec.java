package io.has.cluster.json;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.json.JsonMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import io.has.cluster.ClusterStatus;
import io.has.cluster.Failover;
import io.has.cluster.HistoryEntry;
import io.has.cluster.MemberData;
import io.has.cluster.PgState;
import io.has.cluster.Role;
import io.has.cluster.SyncState;
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

    private static final JsonMapper MAPPER = JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();

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
        ObjectNode o = MAPPER.createObjectNode();
        o.put("conn_url", m.connUrl());
        o.put("api_url", m.apiUrl());
        o.put("state", m.state() == null ? PgState.UNKNOWN.wire() : m.state().wire());
        o.put("role", m.role() == null ? null : m.role().wire());
        o.put("version", m.version());
        if (!m.tags().isEmpty()) {
            // MemberData keeps tags in an unordered map: sort for a stable encoding.
            o.set("tags", MAPPER.valueToTree(new TreeMap<>(m.tags())));
        }
        if (m.xlogLocation() != null) {
            o.put("xlog_location", m.xlogLocation());
        }
        if (m.timeline() != null) {
            o.put("timeline", m.timeline());
        }
        if (m.scheduledRestart() != null) {
            o.set("scheduled_restart", MAPPER.valueToTree(m.scheduledRestart()));
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
        JsonNode n = parse(raw);
        if (!n.isObject()) {
            throw new MalformedValueException("member value is not a JSON object");
        }
        Map<String, Object> tags = new LinkedHashMap<>();
        JsonNode t = n.get("tags");
        if (t != null && t.isObject()) {
            for (Map.Entry<String, JsonNode> e : t.properties()) {
                if (!e.getValue().isNull()) {
                    tags.put(e.getKey(), MAPPER.convertValue(e.getValue(), Object.class));
                }
            }
        }
        JsonNode pause = n.get("pause");
        return new MemberData(
                text(n, "conn_url"),
                text(n, "api_url"),
                PgState.fromWire(text(n, "state")),
                Role.fromWire(text(n, "role")),
                text(n, "version"),
                tags,
                longValue(n.get("xlog_location")),
                intValue(n.get("timeline")),
                pause != null && pause.isBoolean() && pause.booleanValue(),
                n.has("scheduled_restart") && n.get("scheduled_restart").isObject()
                        ? MAPPER.convertValue(n.get("scheduled_restart"), LinkedHashMap.class) : null);
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
        ObjectNode o = MAPPER.createObjectNode();
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
        JsonNode n = parse(s);
        if (!n.isObject()) {
            throw new MalformedValueException("failover value is not a JSON object");
        }
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
        ObjectNode o = MAPPER.createObjectNode();
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
        JsonNode n = parse(raw);
        if (!n.isObject()) {
            throw new MalformedValueException("sync value is not a JSON object");
        }
        List<String> names = new ArrayList<>();
        JsonNode ss = n.get("sync_standby");
        if (ss != null && ss.isTextual()) {
            Arrays.stream(ss.textValue().split(",")).map(String::strip).filter(x -> !x.isEmpty()).forEach(names::add);
        } else if (ss != null && ss.isArray()) {
            ss.forEach(x -> {
                if (x.isTextual() && !x.textValue().isEmpty()) {
                    names.add(x.textValue());
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
        ArrayNode a = MAPPER.createArrayNode();
        for (HistoryEntry h : history) {
            ArrayNode e = a.addArray();
            e.add(h.timeline()).add(h.lsn()).add(h.reason());
            if (h.timestamp() != null || h.newLeader() != null) {
                e.add(h.timestamp());
            }
            if (h.newLeader() != null) {
                e.add(h.newLeader());
            }
        }
        return write(a);
    }

    /**
     * Decodes the history list; entries with only three elements are accepted.
     *
     * @throws MalformedValueException on garbage
     */
    public static List<HistoryEntry> decodeHistory(String raw) {
        JsonNode n = parse(raw);
        if (!n.isArray()) {
            throw new MalformedValueException("history value is not a JSON list");
        }
        List<HistoryEntry> out = new ArrayList<>();
        for (JsonNode e : n) {
            Integer tl = e.isArray() && e.size() >= 3 ? intValue(e.get(0)) : null;
            Long lsn = tl == null ? null : longValue(e.get(1));
            if (lsn == null) {
                throw new MalformedValueException("history entry is not [timeline, lsn, reason, ...]: " + e);
            }
            out.add(new HistoryEntry(tl, lsn, scalarText(e.get(2)), scalarText(e.get(3)), scalarText(e.get(4))));
        }
        return out;
    }

    // ---------------------------------------------------------------------------------------------
    // status

    /** {@code {"optime":N}} plus {@code "slots":{...}} (sorted by name) only when there are slots. */
    public static String encodeStatus(ClusterStatus s) {
        ObjectNode o = MAPPER.createObjectNode();
        o.put("optime", s.optime());
        if (!s.slots().isEmpty()) {
            ObjectNode slots = o.putObject("slots");
            new TreeMap<>(s.slots()).forEach(slots::put);
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
        JsonNode n = parse(raw);
        if (n.isIntegralNumber()) {
            return new ClusterStatus(n.longValue(), Map.of());
        }
        if (!n.isObject()) {
            throw new MalformedValueException("status value is neither an object nor an integer");
        }
        Long optime = longValue(n.get("optime"));
        JsonNode slots = n.get("slots");
        if (slots != null && slots.isTextual()) {
            try {
                slots = MAPPER.readTree(slots.textValue());
            } catch (JsonProcessingException e) {
                slots = null;
            }
        }
        Map<String, Long> slotMap = new LinkedHashMap<>();
        if (slots != null && slots.isObject()) {
            for (Map.Entry<String, JsonNode> e : slots.properties()) {
                Long lsn = longValue(e.getValue());
                if (lsn != null) {
                    slotMap.put(e.getKey(), lsn);
                }
            }
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
        try {
            return MAPPER.writeValueAsString(failsafe);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("failsafe cannot be encoded as JSON", e);
        }
    }

    /** Decodes {@code failsafe}; non-string values are skipped. */
    public static Map<String, String> decodeFailsafe(String raw) {
        Map<String, String> out = new LinkedHashMap<>();
        if (raw == null || raw.isBlank()) {
            return out;
        }
        JsonNode n = parse(raw);
        if (!n.isObject()) {
            throw new MalformedValueException("failsafe value is not a JSON object");
        }
        n.fields().forEachRemaining(e -> {
            if (e.getValue().isTextual()) {
                out.put(e.getKey(), e.getValue().asText());
            }
        });
        return out;
    }

    public static String encodeConfig(Map<String, Object> config) {
        try {
            return MAPPER.writeValueAsString(config);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("config cannot be encoded as JSON", e);
        }
    }

    /**
     * Decodes the config key into nested {@link LinkedHashMap}s (key order kept); blank gives an empty map.
     *
     * @throws MalformedValueException when the value is not a JSON object
     */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> decodeConfig(String raw) {
        if (raw == null || raw.isBlank()) {
            return new LinkedHashMap<>();
        }
        JsonNode n = parse(raw);
        if (!n.isObject()) {
            throw new MalformedValueException("config value is not a JSON object");
        }
        return MAPPER.convertValue(n, LinkedHashMap.class);
    }

    // ---------------------------------------------------------------------------------------------
    // helpers

    private static JsonNode parse(String raw) {
        if (raw == null || raw.isBlank()) {
            throw new MalformedValueException("empty value");
        }
        try {
            JsonNode n = MAPPER.readTree(raw);
            if (n == null || n.isMissingNode()) {
                throw new MalformedValueException("empty value");
            }
            return n;
        } catch (JsonProcessingException e) {
            throw new MalformedValueException("not JSON: " + e.getOriginalMessage(), e);
        }
    }

    private static String write(JsonNode n) {
        try {
            return MAPPER.writeValueAsString(n);
        } catch (JsonProcessingException e) {
            // a tree of plain nodes always serializes
            throw new IllegalStateException(e);
        }
    }

    private static String text(JsonNode n, String field) {
        JsonNode v = n.get(field);
        return v != null && v.isTextual() ? v.textValue() : null;
    }

    private static String scalarText(JsonNode v) {
        return v == null || v.isNull() || v.isContainerNode() ? null : v.asText();
    }

    private static Long longValue(JsonNode v) {
        if (v == null) {
            return null;
        }
        if (v.isIntegralNumber() && v.canConvertToLong()) {
            return v.longValue();
        }
        if (v.isTextual()) {
            try {
                return Long.parseLong(v.textValue().strip());
            } catch (NumberFormatException e) {
                return null;
            }
        }
        return null;
    }

    private static Integer intValue(JsonNode v) {
        Long l = longValue(v);
        return l == null || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE ? null : l.intValue();
    }
}
