package io.has.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.json.JsonWriteFeature;
import com.fasterxml.jackson.databind.DeserializationFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.json.JsonMapper;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import org.junit.jupiter.api.Test;

/**
 * {@link Json} and {@link JsonTree} against the jackson-databind configurations HAS used before it
 * dropped databind from the daemon: the same trees, bytes, errors and coercions.
 */
class JsonCompatibilityTest {

    private static final ObjectMapper PLAIN = new ObjectMapper();
    /** ClusterCodec's former mapper. */
    private static final JsonMapper ASCII = JsonMapper.builder()
            .enable(JsonWriteFeature.ESCAPE_NON_ASCII)
            .disable(JsonWriteFeature.WRITE_HEX_UPPER_CASE)
            .disable(DeserializationFeature.FAIL_ON_UNKNOWN_PROPERTIES)
            .build();
    /** RequestBody's former mapper. */
    private static final ObjectMapper STRICT = new ObjectMapper()
            .enable(DeserializationFeature.FAIL_ON_TRAILING_TOKENS)
            .enable(JsonParser.Feature.STRICT_DUPLICATE_DETECTION);

    private static final List<String> VALID = List.of(
            "{}", "[]", "0", "-0", "1", "-1", "2147483647", "2147483648", "-2147483648", "-2147483649",
            "9223372036854775807", "9223372036854775808", "-9223372036854775808", "-9223372036854775809",
            "123456789012345678901234567890", "0.0", "-0.0", "1.5", "1e2", "1E-2", "1.0e+300", "1e400", "-1e400",
            "4.9e-324", "1e-400", "0.1", "123456789.123456789", "true", "false", "null", "\"\"",
            "\"a\\u00e9\\u0000\\n\\t\\\"\\\\\\/\\b\\f\\r\\ud83d\\ude00\"", "\"ünïcødé ✓ \uD83D\uDE00\"",
            "{\"a\":1,\"b\":[1,2,{\"c\":null}],\"d\":{\"e\":{\"f\":[[]]}}}",
            "{\"a\":1,\"b\":2,\"a\":3}", "{\"a\":null,\"a\":[1]}", "  {\"spaced\" : [ 1 , 2 ] }  ",
            "{\"ttl\":30,\"postgresql\":{\"parameters\":{\"max_connections\":100,\"wal_level\":\"replica\"}}}",
            "{\"k\":\"v\"} garbage after the value", "[1] [2]", "\"\\u2028\\u2029\\u007f\\u0080\"");

    private static final List<String> INVALID = List.of(
            "", "   ", "{", "[1,2", "{\"a\":}", "{\"a\" 1}", "{a:1}", "[1,]", "tru", "nul", "'x'", "\"unterminated",
            "{\"a\":1,,\"b\":2}", "123abc", "01", "-", "1.", ".5", "+1", "NaN", "[\"\\x\"]", "\"tab\there\"",
            "{\n  \"a\": [\n    1,\n    oops\n  ]\n}", "// comment\n{}", "{\"a\":1}}", "]");

    /** The types and values of a tree, key order included, as text: equal descriptions mean equal trees. */
    private static String describe(Object v) {
        if (v instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder(v.getClass().getSimpleName()).append('{');
            m.forEach((k, x) -> b.append(k).append('=').append(describe(x)).append(';'));
            return b.append('}').toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder b = new StringBuilder(v.getClass().getSimpleName()).append('[');
            l.forEach(x -> b.append(describe(x)).append(';'));
            return b.append(']').toString();
        }
        return v == null ? "null" : v.getClass().getSimpleName() + ":" + v;
    }

    private static List<String> corpus() throws IOException {
        List<String> all = new ArrayList<>(VALID);
        try (InputStream in = JsonCompatibilityTest.class.getResourceAsStream("/golden/zk-raw-patroni-3.0.2.tsv");
                BufferedReader r = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            r.lines().map(line -> line.split("\t", 3)[2]).filter(raw -> !raw.startsWith("pg")).forEach(all::add);
        }
        return all;
    }

    @Test
    void readGivesDatabindsTrees() throws IOException {
        for (String text : corpus()) {
            JsonNode node = PLAIN.readTree(text);
            String expected = describe(PLAIN.convertValue(node, Object.class));
            assertEquals(expected, describe(Json.read(text)), text);
            assertEquals(expected, describe(Json.read(text.getBytes(StandardCharsets.UTF_8))), text);
            assertEquals(expected, describe(ASCII.convertValue(ASCII.readTree(text), Object.class)), text);
        }
    }

    @Test
    void readStrictGivesDatabindsReadValueOrItsErrorPosition() throws IOException {
        List<String> all = new ArrayList<>(corpus());
        all.addAll(INVALID);
        for (String text : all) {
            Object expected;
            try {
                expected = STRICT.readValue(text, Object.class);
            } catch (JsonProcessingException e) {
                try {
                    Json.readStrict(text);
                    fail("accepted " + text + " which databind rejects: " + e.getOriginalMessage());
                } catch (JsonProcessingException mine) {
                    assertEquals(e.getLocation().getLineNr(), mine.getLocation().getLineNr(), text);
                    assertEquals(e.getLocation().getColumnNr(), mine.getLocation().getColumnNr(), text);
                }
                continue;
            }
            assertEquals(describe(expected), describe(Json.readStrict(text)), text);
        }
    }

    @Test
    void invalidTextFailsWithDatabindsMessageAndPosition() {
        for (String text : INVALID) {
            if (text.isBlank()) {
                continue; // databind's readTree answers a MissingNode; callers check for blank first
            }
            JsonProcessingException expected = null;
            try {
                PLAIN.readTree(text);
            } catch (JsonProcessingException e) {
                expected = e;
            }
            try {
                Object v = Json.read(text);
                if (expected != null) {
                    fail("accepted " + text + " as " + v + "; databind: " + expected.getOriginalMessage());
                }
            } catch (JsonProcessingException mine) {
                if (expected == null) {
                    fail("rejected " + text + " which databind reads: " + mine.getOriginalMessage());
                }
                assertEquals(expected.getOriginalMessage(), mine.getOriginalMessage(), text);
                assertEquals(expected.getLocation().getLineNr(), mine.getLocation().getLineNr(), text);
                assertEquals(expected.getLocation().getColumnNr(), mine.getLocation().getColumnNr(), text);
            }
        }
    }

    @Test
    void writeGivesDatabindsBytes() throws IOException {
        List<Object> values = new ArrayList<>();
        for (String text : corpus()) {
            values.add(Json.read(text));
        }
        Map<String, Object> mixed = new LinkedHashMap<>();
        mixed.put("float", 2.5f);
        mixed.put("floats", Arrays.asList(0.1f, 1e10f, Float.NaN));
        mixed.put("doubles", Arrays.asList(1e7, 1.0e-5, 123456789.0, Double.NEGATIVE_INFINITY, Double.NaN));
        mixed.put("short", (short) -3);
        mixed.put("byte", (byte) 7);
        mixed.put("bigdec", Arrays.asList(new BigDecimal("1.50"), new BigDecimal("1E+3"), new BigDecimal("-0.000001")));
        mixed.put("bigint", new BigInteger("-123456789012345678901234567890"));
        mixed.put("sorted", new TreeMap<>(Map.of("b", 1, "a", List.of())));
        mixed.put("array", new Object[] {1, "x", null});
        mixed.put("enum", java.time.DayOfWeek.MONDAY);
        mixed.put("char", 'é');
        mixed.put("builder", new StringBuilder("sb"));
        mixed.put("set", new java.util.LinkedHashSet<>(List.of(3, 1, 2)));
        mixed.put("controls", "\u0000\u001f\u007f\u0080\u00ff\u0100\uffff\ud83d\ude00 </script>");
        values.add(mixed);
        values.add(Map.of());
        values.add(List.of(List.of(), Map.of("k", Map.of())));
        for (Object v : values) {
            assertEquals(PLAIN.writeValueAsString(v), Json.PLAIN.write(v), String.valueOf(v));
            assertArrayEquals(PLAIN.writeValueAsBytes(v), Json.PLAIN.writeBytes(v), String.valueOf(v));
            assertEquals(ASCII.writeValueAsString(v), Json.ASCII.write(v), String.valueOf(v));
        }
    }

    @Test
    void treeAccessorsCoerceExactlyAsJsonNode() throws IOException {
        List<String> values = List.of("1", "0", "-3", "2.7", "-2.7", "1e20", "-1e20", "12345678901",
                "123456789012345678901234", "1e400", "true", "false", "null", "\"\"", "\" 12 \"", "\"12\"", "\"+12\"",
                "\"-12\"", "\"+\"", "\"-\"", "\"1.5\"", "\" 1.9 \"", "\"1e3\"", "\"99999999999\"",
                "\"99999999999999999999\"", "\"1e30\"", "\"true\"", "\" true \"", "\" TRUE \"", "\"True\"",
                "\"false\"", "\"yes\"", "\"abc\"", "\"Infinity\"", "{}", "{\"a\":1}", "[]", "[1]");
        for (String v : values) {
            String doc = "{\"k\":" + v + "}";
            JsonNode n = PLAIN.readTree(doc).get("k");
            Object mine = JsonTree.path(Json.read(doc), "k");
            check(n, mine, v);
        }
        JsonNode missing = PLAIN.readTree("{}").path("k");
        Object mineMissing = JsonTree.path(Json.read("{}"), "k");
        check(missing, mineMissing, "missing");
        check(PLAIN.readTree("[1]").path("k"), JsonTree.path(Json.read("[1]"), "k"), "field of an array");
        check(PLAIN.readTree("\"s\"").path("k"), JsonTree.path(Json.read("\"s\""), "k"), "field of a string");
    }

    private static void check(JsonNode n, Object mine, String what) {
        assertEquals(n.asText(), JsonTree.asText(mine), what + " asText()");
        assertEquals(n.asText("D"), JsonTree.asText(mine, "D"), what + " asText(D)");
        assertEquals(n.asLong(7), JsonTree.asLong(mine, 7), what + " asLong(7)");
        assertEquals(n.asInt(7), JsonTree.asInt(mine, 7), what + " asInt(7)");
        assertEquals(n.asInt(), JsonTree.asInt(mine, 0), what + " asInt()");
        assertEquals(n.asBoolean(false), JsonTree.asBoolean(mine, false), what + " asBoolean(false)");
        assertEquals(n.asBoolean(true), JsonTree.asBoolean(mine, true), what + " asBoolean(true)");
        assertEquals(n.isObject(), mine instanceof Map<?, ?>, what + " isObject");
        assertEquals(n.isMissingNode(), mine == JsonTree.MISSING, what + " isMissingNode");
        List<String> elements = new ArrayList<>();
        n.forEach(e -> elements.add(e.toString()));
        List<String> mineElements = new ArrayList<>();
        JsonTree.elements(mine).forEach(e -> mineElements.add(Json.PLAIN.write(e)));
        assertEquals(elements, mineElements, what + " elements");
    }
}
