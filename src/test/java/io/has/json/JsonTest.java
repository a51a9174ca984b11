package io.has.json;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.JsonProcessingException;
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

class JsonTest {

    private static Map<String, Object> map(Object... kv) {
        Map<String, Object> m = new LinkedHashMap<>();
        for (int i = 0; i < kv.length; i += 2) {
            m.put((String) kv[i], kv[i + 1]);
        }
        return m;
    }

    @Test
    void readsObjectsInDocumentOrderAsMutableMapsAndLists() throws JsonProcessingException {
        Object v = Json.read("{\"z\":1,\"a\":[true,false,null,\"x\"],\"m\":{}}");
        assertEquals(LinkedHashMap.class, v.getClass());
        @SuppressWarnings("unchecked")
        Map<String, Object> m = (Map<String, Object>) v;
        assertEquals(List.of("z", "a", "m"), new ArrayList<>(m.keySet()));
        assertEquals(ArrayList.class, m.get("a").getClass());
        assertEquals(Arrays.asList(true, false, null, "x"), m.get("a"));
        m.put("added", 1); // callers own the tree
        ((List<Object>) m.get("a")).add(2);
    }

    @Test
    void integersTakeTheSmallestOfIntegerLongBigIntegerAndFractionsAreDoubles() throws JsonProcessingException {
        assertEquals(Integer.valueOf(2147483647), Json.read("2147483647"));
        assertEquals(Long.valueOf(2147483648L), Json.read("2147483648"));
        assertEquals(Long.valueOf(-9223372036854775808L), Json.read("-9223372036854775808"));
        assertEquals(new BigInteger("9223372036854775808"), Json.read("9223372036854775808"));
        assertEquals(Double.valueOf(1.0), Json.read("1.0"));
        assertEquals(Double.valueOf(100.0), Json.read("1e2"));
        assertEquals(Integer.valueOf(0), Json.read("-0"));
        assertEquals(Double.POSITIVE_INFINITY, Json.read("1e400"));
    }

    @Test
    void aRepeatedKeyKeepsItsFirstPlaceAndLastValueUnlessStrict() throws JsonProcessingException {
        assertEquals("{\"a\":3,\"b\":2}", Json.PLAIN.write(Json.read("{\"a\":1,\"b\":2,\"a\":3}")));
        JsonProcessingException e = assertThrows(JsonProcessingException.class,
                () -> Json.readStrict("{\"a\":1,\n \"a\":2}"));
        assertEquals("Duplicate field 'a'", e.getOriginalMessage());
        assertEquals(2, e.getLocation().getLineNr());
        assertEquals(5, e.getLocation().getColumnNr());
    }

    @Test
    void readStopsAfterTheFirstValueButStrictRejectsWhatFollows() throws JsonProcessingException {
        assertEquals(map("a", 1), Json.read("{\"a\":1} trailing garbage"));
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> Json.readStrict("{\"a\":1} {}"));
        assertTrue(e.getOriginalMessage().startsWith("Trailing token (of type START_OBJECT)"), e.getOriginalMessage());
        assertEquals(1, e.getLocation().getLineNr());
        assertEquals(9, e.getLocation().getColumnNr());
    }

    @Test
    void errorsNameLineAndColumn() {
        JsonProcessingException e = assertThrows(JsonProcessingException.class, () -> Json.read("{\n  \"a\": tru }"));
        assertTrue(e.getOriginalMessage().startsWith("Unrecognized token 'tru'"), e.getOriginalMessage());
        assertEquals(2, e.getLocation().getLineNr());
        assertEquals(8, e.getLocation().getColumnNr());
        JsonProcessingException eof = assertThrows(JsonProcessingException.class, () -> Json.read("[1,2"));
        assertEquals(1, eof.getLocation().getLineNr());
        assertEquals(5, eof.getLocation().getColumnNr());
        JsonProcessingException empty = assertThrows(JsonProcessingException.class, () -> Json.readStrict("  "));
        assertEquals("No content to map due to end-of-input", empty.getOriginalMessage());
    }

    @Test
    void readsUtf8Bytes() throws JsonProcessingException {
        assertEquals(map("name", "café"), Json.read("{\"name\":\"café\"}".getBytes(StandardCharsets.UTF_8)));
    }

    @Test
    void writesCompactlyInIterationOrder() {
        Map<String, Object> doc = map("b", 1, "a", Arrays.asList("x", null, false), "n", null, "o", map());
        assertEquals("{\"b\":1,\"a\":[\"x\",null,false],\"n\":null,\"o\":{}}", Json.PLAIN.write(doc));
        assertEquals("{\"a\":1,\"b\":2}", Json.PLAIN.write(new TreeMap<>(map("b", 2, "a", 1))));
        assertArrayEquals(Json.PLAIN.write(doc).getBytes(StandardCharsets.UTF_8), Json.PLAIN.writeBytes(doc));
    }

    @Test
    void writesNumbersAsJavaPrintsThem() {
        assertEquals("[1,12345678901,1.5,0.1,1.0E20,2.5,123456789012345678901,1.50,1E+3,\"NaN\",7]",
                Json.PLAIN.write(List.of(1, 12345678901L, 1.5, 0.1, 1e20, 2.5f, new BigInteger("123456789012345678901"),
                        new BigDecimal("1.50"), new BigDecimal("1E+3"), Double.NaN, (short) 7)));
    }

    @Test
    void escapesControlCharactersAndNonAsciiOnlyInAsciiMode() {
        String s = "é\u0001\u2028/\"\\\t\n\uD83D\uDE00";
        assertEquals("\"é\\u0001\u2028/\\\"\\\\\\t\\n\uD83D\uDE00\"", Json.PLAIN.write(s));
        // Python's json.dumps: lower-case hex, astral characters as a surrogate pair
        assertEquals("\"\\u00e9\\u0001\\u2028/\\\"\\\\\\t\\n\\ud83d\\ude00\"", Json.ASCII.write(s));
        assertArrayEquals(("\"" + "é" + "\"").getBytes(StandardCharsets.UTF_8), Json.PLAIN.writeBytes("é"));
    }

    @Test
    void writesEnumsByNameAndRejectsBeans() {
        assertEquals("[\"SECONDS\",\"c\"]", Json.PLAIN.write(new Object[] {java.util.concurrent.TimeUnit.SECONDS, 'c'}));
        assertThrows(IllegalArgumentException.class, () -> Json.PLAIN.write(map("x", new Object())));
        Map<String, Object> nullKey = new java.util.HashMap<>();
        nullKey.put(null, 1);
        assertThrows(IllegalArgumentException.class, () -> Json.PLAIN.write(nullKey));
    }

    @Test
    void roundTripsArbitraryTrees() throws JsonProcessingException {
        Map<String, Object> doc = map("s", "ünï\u0000", "i", -5, "l", 1L << 40, "d", -0.25, "t", true, "z", null,
                "nested", map("list", Arrays.asList(map(), List.of(), Arrays.asList(1, "2", 3.5)), "e", ""));
        for (Json j : List.of(Json.PLAIN, Json.ASCII)) {
            assertEquals(doc, Json.read(j.write(doc)));
            assertEquals(doc, Json.readStrict(j.write(doc)));
            assertEquals(j.write(doc), j.write(Json.read(j.write(doc))));
        }
    }

    @Test
    void treeAccessorsCoerceLikeJsonNode() throws JsonProcessingException {
        Object doc = Json.read("{\"n\":null,\"i\":3,\"d\":2.7,\"s\":\" 12 \",\"b\":\"true\",\"o\":{\"x\":1},\"a\":[1]}");
        assertEquals(JsonTree.MISSING, JsonTree.path(doc, "absent"));
        assertEquals(JsonTree.MISSING, JsonTree.path(JsonTree.path(doc, "absent"), "deeper"));
        assertNull(JsonTree.path(doc, "n"));
        assertEquals("null", JsonTree.asText(JsonTree.path(doc, "n")));
        assertEquals("dflt", JsonTree.asText(JsonTree.path(doc, "n"), "dflt"));
        assertEquals("", JsonTree.asText(JsonTree.path(doc, "absent")));
        assertEquals("", JsonTree.asText(JsonTree.path(doc, "o"), "dflt"));
        assertEquals(12, JsonTree.asLong(JsonTree.path(doc, "s"), 0));
        assertEquals(2, JsonTree.asInt(JsonTree.path(doc, "d"), 0));
        assertTrue(JsonTree.asBoolean(JsonTree.path(doc, "b"), false));
        assertTrue(JsonTree.asBoolean(JsonTree.path(doc, "i"), false));
        assertEquals(List.of(1), listOf(JsonTree.elements(JsonTree.path(doc, "a"))));
        assertEquals(List.of(1), listOf(JsonTree.elements(JsonTree.path(doc, "o"))));
        assertEquals(List.of(), listOf(JsonTree.elements("scalar")));
    }

    private static List<Object> listOf(Iterable<?> it) {
        List<Object> out = new ArrayList<>();
        it.forEach(out::add);
        return out;
    }
}
