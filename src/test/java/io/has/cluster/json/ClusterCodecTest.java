package io.has.cluster.json;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.has.cluster.ClusterStatus;
import io.has.cluster.Failover;
import io.has.cluster.HistoryEntry;
import io.has.cluster.MemberData;
import io.has.cluster.PgState;
import io.has.cluster.Role;
import io.has.cluster.SyncState;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ClusterCodecTest {

    /** One DATA(raw) line of reference/golden/zk-dump-patroni-3.0.2.txt. */
    record Golden(int snapshot, String key, String raw) {
    }

    private static List<Golden> golden() throws IOException {
        List<Golden> out = new ArrayList<>();
        try (InputStream in = ClusterCodecTest.class.getResourceAsStream("/golden/zk-raw-patroni-3.0.2.tsv");
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = r.readLine()) != null) {
                String[] f = line.split("\t", 3);
                out.add(new Golden(Integer.parseInt(f[0]), f[1].substring("/service/batman/".length()), f[2]));
            }
        }
        return out;
    }

    @Test
    void goldenValuesRoundTripByteIdentical() throws IOException {
        List<Golden> values = golden();
        int checked = 0;
        for (Golden g : values) {
            String raw = g.raw();
            String again;
            if (g.key().startsWith("members/")) {
                MemberData m = ClusterCodec.decodeMemberStrict(raw);
                again = ClusterCodec.encodeMember(m);
                if (raw.contains("\"role\":\"master\"")) {
                    assertEquals(Role.PRIMARY, m.role(), g.key());
                    // the one deliberate difference: v3's master is re-encoded in v4 vocabulary
                    assertEquals(raw.replace("\"role\":\"master\"", "\"role\":\"primary\""), again, g.key());
                    checked++;
                    continue;
                }
            } else {
                again = switch (g.key()) {
                    case "status" -> ClusterCodec.encodeStatus(ClusterCodec.decodeStatus(raw));
                    case "history" -> ClusterCodec.encodeHistory(ClusterCodec.decodeHistory(raw));
                    case "failover" -> ClusterCodec.encodeFailover(ClusterCodec.decodeFailover(raw, 11));
                    case "config" -> ClusterCodec.encodeConfig(ClusterCodec.decodeConfig(raw));
                    default -> raw; // initialize and leader are raw text
                };
            }
            assertEquals(raw, again, g.snapshot() + " " + g.key());
            checked++;
        }
        assertEquals(16, checked);
    }

    @Test
    void goldenPrimaryMemberDecodesAllFields() throws IOException {
        Golden pg1 = golden().stream()
                .filter(g -> g.snapshot() == 2 && g.key().equals("members/pg1"))
                .findFirst()
                .orElseThrow();
        MemberData m = ClusterCodec.decodeMember(pg1.raw());
        assertEquals("postgres://127.0.0.1:5432/postgres", m.connUrl());
        assertEquals("http://127.0.0.1:8008/patroni", m.apiUrl());
        assertEquals(PgState.RUNNING, m.state());
        assertEquals(Role.PRIMARY, m.role());
        assertEquals("3.0.2", m.version());
        assertEquals(117473280L, m.xlogLocation());
        assertEquals(13, m.timeline());
        assertFalse(m.pause());
    }

    @Test
    void memberOptionalFieldsInPatroniOrder() {
        MemberData m = new MemberData("postgres://h:5432/postgres", "http://h:8008/patroni", PgState.RUNNING,
                Role.REPLICA, "3.0.2", Map.of("nosync", true, "clonefrom", true), 5L, 2, true);
        assertEquals("{\"conn_url\":\"postgres://h:5432/postgres\",\"api_url\":\"http://h:8008/patroni\","
                + "\"state\":\"running\",\"role\":\"replica\",\"version\":\"3.0.2\","
                + "\"tags\":{\"clonefrom\":true,\"nosync\":true},\"xlog_location\":5,\"timeline\":2,\"pause\":true}",
                ClusterCodec.encodeMember(m));
        assertEquals(m, ClusterCodec.decodeMember(ClusterCodec.encodeMember(m)));
    }

    @Test
    void checkpointAfterPromoteOnlyWhileFalseAndAfterVersion() {
        MemberData m = new MemberData("c", "a", PgState.RUNNING, Role.PRIMARY, "3.0.2", Map.of("dc", "x"), 5L, 2,
                false, null, false);
        String json = ClusterCodec.encodeMember(m);
        assertTrue(json.contains("\"version\":\"3.0.2\",\"checkpoint_after_promote\":false,\"tags\""), json);
        MemberData back = ClusterCodec.decodeMember(json);
        assertEquals(m, back);
        assertTrue(back.checkpointPending());
        MemberData done = new MemberData("c", "a", PgState.RUNNING, Role.PRIMARY, "3.0.2", Map.of(), 5L, 2, false);
        assertFalse(ClusterCodec.encodeMember(done).contains("checkpoint_after_promote"));
        assertFalse(done.checkpointPending());
        // Patroni's own member key, and a value of the wrong type (ignored: not pending)
        assertTrue(ClusterCodec.decodeMember("{\"role\":\"master\",\"checkpoint_after_promote\":false}")
                .checkpointPending());
        assertFalse(ClusterCodec.decodeMember("{\"role\":\"master\",\"checkpoint_after_promote\":\"no\"}")
                .checkpointPending());
    }

    @Test
    void nonAsciiIsEscapedLikePython() {
        MemberData m = new MemberData("c", "a", PgState.STOPPED, Role.REPLICA, "1", Map.of("dc", "Zürich"),
                null, null, false);
        assertTrue(ClusterCodec.encodeMember(m).contains("\"dc\":\"Z\\u00fcrich\""));
    }

    @Test
    void memberGarbageDecodesToUnknown() {
        for (String garbage : new String[] {"", "not json", "{", "[1,2]", "42", "\"text\"", "null", "\u0000\u00ff"}) {
            MemberData m = ClusterCodec.decodeMember(garbage);
            assertEquals(PgState.UNKNOWN, m.state(), garbage);
            assertNull(m.role(), garbage);
        }
        MemberData wrongTypes = ClusterCodec.decodeMember(
                "{\"state\":5,\"role\":[],\"xlog_location\":\"abc\",\"timeline\":{},\"tags\":\"x\",\"pause\":\"y\",\"x\":1}");
        assertEquals(PgState.UNKNOWN, wrongTypes.state());
        assertNull(wrongTypes.role());
        assertNull(wrongTypes.xlogLocation());
        assertNull(wrongTypes.timeline());
        assertTrue(wrongTypes.tags().isEmpty());
    }

    @Test
    void legacyMemberUrlCarriesApiUrlInApplicationName() {
        MemberData m = ClusterCodec.decodeMember(
                "postgres://replicator:pw@10.0.0.1:5432/postgres?application_name=http%3A%2F%2F10.0.0.1%3A8008%2Fpatroni");
        assertEquals("postgres://replicator:pw@10.0.0.1:5432/postgres", m.connUrl());
        assertEquals("http://10.0.0.1:8008/patroni", m.apiUrl());
        assertEquals(PgState.UNKNOWN, m.state());
    }

    @Test
    void failoverEncodingAndLegacyText() {
        OffsetDateTime at = OffsetDateTime.of(2026, 11, 21, 19, 0, 0, 0, ZoneOffset.UTC);
        assertEquals("{}", ClusterCodec.encodeFailover(Failover.NONE));
        assertEquals("{\"leader\":\"pg1\",\"member\":\"pg2\",\"scheduled_at\":\"2026-11-21T19:00:00+00:00\"}",
                ClusterCodec.encodeFailover(new Failover("pg1", "pg2", at, -1)));
        assertEquals("{\"member\":\"pg2\",\"scheduled_at\":\"2026-11-21T19:00:00.123456+02:00\"}",
                ClusterCodec.encodeFailover(new Failover(null, "pg2",
                        OffsetDateTime.of(2026, 11, 21, 19, 0, 0, 123456789, ZoneOffset.ofHours(2)), -1)));

        Failover f = ClusterCodec.decodeFailover("{\"member\":\"pg3\",\"scheduled_at\":\"2026-11-21T19:00:00Z\",\"x\":1}", 4);
        assertEquals(new Failover(null, "pg3", at, 4), f);
        assertEquals(new Failover("pg1", "pg2", null, 3), ClusterCodec.decodeFailover("pg1:pg2", 3));
        assertEquals(new Failover(null, "pg2", null, 3), ClusterCodec.decodeFailover(":pg2", 3));
        assertTrue(ClusterCodec.decodeFailover("{}", 11).isEmpty());
        assertEquals(11, ClusterCodec.decodeFailover("{}", 11).version());
        assertThrows(MalformedValueException.class, () -> ClusterCodec.decodeFailover("[1]", 1));
        assertThrows(MalformedValueException.class, () -> ClusterCodec.decodeFailover("{\"member\":\"a\",\"scheduled_at\":\"soon\"}", 1));
        assertThrows(MalformedValueException.class, () -> ClusterCodec.decodeFailover("a:b:c", 1));
    }

    @Test
    void syncEncodingSortsAndUsesNullWhenEmpty() {
        assertEquals("{\"leader\":\"pg1\",\"sync_standby\":\"pg2,pg3\"}",
                ClusterCodec.encodeSync(new SyncState("pg1", List.of("pg3", "pg2"), -1)));
        assertEquals("{\"leader\":\"pg1\",\"sync_standby\":null}",
                ClusterCodec.encodeSync(new SyncState("pg1", List.of(), -1)));
        assertEquals("{}", ClusterCodec.encodeSync(SyncState.EMPTY));
        assertEquals(new SyncState("pg1", List.of("a", "b"), 7),
                ClusterCodec.decodeSync("{\"leader\": \"pg1\", \"sync_standby\": \"b,a\"}", 7));
        assertEquals(new SyncState("pg1", List.of(), 7), ClusterCodec.decodeSync("{\"leader\":\"pg1\",\"sync_standby\":null}", 7));
        assertEquals(new SyncState(null, List.of(), 2), ClusterCodec.decodeSync("{}", 2));
        assertThrows(MalformedValueException.class, () -> ClusterCodec.decodeSync("oops", 1));
    }

    @Test
    void historyAcceptsThreeElementEntries() {
        List<HistoryEntry> h = ClusterCodec.decodeHistory("[[1,100,\"no recovery target specified\"],[2,200,\"r\",\"t\",\"pg2\"]]");
        assertEquals(new HistoryEntry(1, 100, "no recovery target specified", null, null), h.get(0));
        assertEquals(new HistoryEntry(2, 200, "r", "t", "pg2"), h.get(1));
        assertEquals("[[1,100,\"no recovery target specified\"],[2,200,\"r\",\"t\",\"pg2\"]]", ClusterCodec.encodeHistory(h));
        assertEquals("[]", ClusterCodec.encodeHistory(List.of()));
        assertEquals(List.of(), ClusterCodec.decodeHistory("[]"));
        assertThrows(MalformedValueException.class, () -> ClusterCodec.decodeHistory("[[\"x\"]]"));
        assertThrows(MalformedValueException.class, () -> ClusterCodec.decodeHistory("{}"));
    }

    @Test
    void looselyTypedFieldsDecodeAsPatroniWroteThemOrAreIgnored() {
        MemberData m = ClusterCodec.decodeMemberStrict("{\"state\":\"running\",\"timeline\":\" 3 \","
                + "\"xlog_location\":1.5,\"pause\":\"true\",\"version\":4,"
                + "\"tags\":{\"nofailover\":false,\"gone\":null,\"zone\":{\"dc\":1}},\"scheduled_restart\":[]}");
        assertEquals(3, m.timeline());
        assertNull(m.xlogLocation());
        assertFalse(m.pause());
        assertNull(m.version());
        assertNull(m.scheduledRestart());
        assertEquals(Map.of("nofailover", false, "zone", Map.of("dc", 1)), m.tags());
        assertEquals("{\"conn_url\":null,\"api_url\":null,\"state\":\"running\",\"role\":null,\"version\":null,"
                + "\"tags\":{\"nofailover\":false,\"zone\":{\"dc\":1}},\"timeline\":3}", ClusterCodec.encodeMember(m));
        List<HistoryEntry> h = ClusterCodec.decodeHistory("[[2,\"200\",4.5,true,null]]");
        assertEquals(new HistoryEntry(2, 200, "4.5", "true", null), h.get(0));
        MalformedValueException e = assertThrows(MalformedValueException.class,
                () -> ClusterCodec.decodeHistory("[[1, 99999999999999999999, \"r\"]]"));
        assertEquals("history entry is not [timeline, lsn, reason, ...]: [1,99999999999999999999,\"r\"]", e.getMessage());
    }

    @Test
    void statusAcceptsBareIntegerAndSlotsAsString() {
        assertEquals("{\"optime\":5,\"slots\":{\"a\":1,\"b\":2}}",
                ClusterCodec.encodeStatus(new ClusterStatus(5, Map.of("b", 2L, "a", 1L))));
        assertEquals("{\"optime\":5}", ClusterCodec.encodeStatus(new ClusterStatus(5, Map.of())));
        assertEquals(new ClusterStatus(42, Map.of()), ClusterCodec.decodeStatus("42"));
        assertEquals(new ClusterStatus(9, Map.of("s", 3L)),
                ClusterCodec.decodeStatus("{\"optime\":9,\"slots\":\"{\\\"s\\\":3}\",\"retain_slots\":[\"x\"]}"));
        assertEquals(new ClusterStatus(12, Map.of()), ClusterCodec.decodeLegacyOptime("12\n"));
        assertThrows(MalformedValueException.class, () -> ClusterCodec.decodeStatus("[]"));
        assertThrows(MalformedValueException.class, () -> ClusterCodec.decodeLegacyOptime("x"));
    }

    @Test
    void configKeepsKeyOrderAndReadsSpacedJson() {
        Map<String, Object> c = ClusterCodec.decodeConfig("{\"ttl\": 30, \"loop_wait\": 10, \"postgresql\": {\"b\": 1, \"a\": 2.5}}");
        assertEquals(List.of("ttl", "loop_wait", "postgresql"), new ArrayList<>(c.keySet()));
        assertEquals("{\"ttl\":30,\"loop_wait\":10,\"postgresql\":{\"b\":1,\"a\":2.5}}", ClusterCodec.encodeConfig(c));
        assertTrue(ClusterCodec.decodeConfig("").isEmpty());
        Map<String, Object> ordered = new LinkedHashMap<>();
        ordered.put("z", 1);
        ordered.put("a", "b");
        assertEquals("{\"z\":1,\"a\":\"b\"}", ClusterCodec.encodeConfig(ordered));
        assertThrows(MalformedValueException.class, () -> ClusterCodec.decodeConfig("[1]"));
        assertThrows(MalformedValueException.class, () -> ClusterCodec.decodeConfig("{{"));
    }

    @org.junit.jupiter.api.Test
    void failsafeRoundTripsAsAPatroniObjectOfApiUrls() {
        String raw = "{\"pg1\":\"http://127.0.0.1:8008/patroni\",\"pg2\":\"http://127.0.0.1:8009/patroni\"}";
        java.util.Map<String, String> m = ClusterCodec.decodeFailsafe(raw);
        org.junit.jupiter.api.Assertions.assertEquals("http://127.0.0.1:8009/patroni", m.get("pg2"));
        org.junit.jupiter.api.Assertions.assertEquals(raw, ClusterCodec.encodeFailsafe(m));
    }
}
