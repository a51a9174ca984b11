package io.has.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.fail;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.math.BigDecimal;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;
import org.yaml.snakeyaml.error.MarkedYAMLException;

/**
 * {@link YamlReader} and {@link YamlWriter} against the jackson-dataformat-yaml configurations HAS used
 * before it dropped them from the daemon: the same values read, the same text written.
 */
class YamlCompatibilityTest {

    /** YamlSource's and hasctl's former reader. */
    private static final ObjectMapper READER = new ObjectMapper(new YAMLFactory());
    /** ConfigDescriber's former writer. */
    private static final ObjectMapper DESCRIBER = new ObjectMapper(YAMLFactory.builder()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .build());
    /** hasctl's former writer (Output.YAML). */
    private static final ObjectMapper CTL = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS))
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    static final List<String> SCALARS = List.of(
            "1", "+1", "-1", "0", "-0", "+0", "00", "007", "0755", "-0755", "0_7", "09", "0x1F", "0X1f", "-0x10",
            "0x_ff", "0xFFFFFFF", "0x7FFFFFFF", "0x80000000", "-0x80000000", "0xFFFFFFFFFFFFFFF",
            "0x7FFFFFFFFFFFFFFF", "0xFFFFFFFFFFFFFFFFFF", "0b101", "0b", "-0b11", "0b11111111111111111111111111111111",
            "0b1111111111111111111111111111111", "07777777777", "0777777777777777777777", "01777777777777777777777",
            "1_000", "+1_000", "-1_0", "1__0", "_1", "2147483647", "2147483648", "-2147483648", "-2147483649",
            "+2147483647", "1000000000", "+1000000000000000000", "9223372036854775807", "9223372036854775808",
            "-9223372036854775808", "-9223372036854775809", "99999999999999999999999", "1:30", "190:20:30",
            "-1:30", "1.5", "+1.5", "-1.5", ".5", "1.", "1e3", "1E3", "1.0e+3", "1e", "1_0.5", "0.5_0", "+1_0.5",
            "1.7976931348623157e309", "6.8523015e+5", "685.230_15e+03", "yes", "Yes", "YES", "yEs", "no", "on",
            "Off", "y", "n", "true", "True", "TRUE", "tRue", "false", "null", "Null", "NULL", "nULL", "~", "",
            "2001-12-14", "2001-12-14t21:59:43.10-05:00", "<<", "=", "abc", "a b", "'quoted 1'", "\"2\"", "''",
            "\"\"", "\"yes\"", "'null'", "!!str 1", "!!str", "!!int 12", "!!int abc", "!!int 0x1F", "!!int 0X1F",
            "!!int 0B11", "!!int 1.5", "!!int", "!!float 1", "!!float 1_000.5", "!!float NaN", "!!float",
            "!!bool yes", "!!bool y", "!!bool N", "!!bool maybe", "!!bool", "!!null x", "!!null", "!foo bar",
            "!foo 12", "! 12", "!!binary aGVsbG8=", "!!timestamp 2001-01-01", "0o17", "1e+3",
            "\"multi\\nline\"", "|\n  block\n  text", ">\n  folded\n  text", "*unknown", "&anchor 5",
            "'it''s'", "\"\\u00e9\\t\"", "ünïcødé", "http://x:8008/patroni", "a: b", "[]", "{}", "[1, a, ~]",
            "{x: 1, y: [2]}", "- 1", "---", "...");

    static final List<String> DOCUMENTS = List.of(
            "a: 1\na: 2\nb: 3", "a: &x 1\nb: *x", "a: &x {c: 1}\nb: *x", "? [1]\n: x", "? {a: 1}\n: x", "*a : 1",
            "1: a\ntrue: b\n~: c\n2.5: d\n\"q\": e\n'': f\n: g", "# only comment", "---\n...", "~", "[1, 2",
            "a: [1,\n  b: 2", "a:\n  - 1\n - 2", "a: 1\n---\nb: 2", "a: 1\n---\n]", "a: b: c", "\"a\": 'b'",
            "a: |\n  x\n  y\n", "a: >-\n  x\n  y\n", "a: !!binary |\n  aGVs\n  bG8=", "key with spaces: 1",
            "a: \"\\x\"", "a: \t1", "a:\n\tb: 1", "{a: 1, a: 2}", "a: 1\n  b: 2", "- a\n- b: 1\n  c: [x, {y: z}]",
            "a: @x", "a: `x", "a: %x", "- &a [1]\n- *a", "a: *unknown", "a: .inf", "a: -.Inf", "a: .NaN",
            "%YAML 1.1\n---\na: 1", "--- !!map\na: 1", "!!set {a, b}", "a: !!omap [x: 1]", "\u0001", "a: \u0007",
            "\uFEFFa: 1", "a: 1 # comment\n# more\nb: [1, # inline\n 2]", "[[[[[]]]]]", "- - - x", "a:\n  b:\n    c:\n",
            "scope: batman\nname: pg1\nrestapi:\n  listen: 0.0.0.0:8008\n  connect_address: 127.0.0.1:8008\n"
                    + "postgresql:\n  parameters:\n    max_connections: 100\n    shared_buffers: 128MB\n"
                    + "    wal_level: replica\n    synchronous_commit: 'on'\n    archive_mode: on\n"
                    + "  pg_hba:\n  - host replication replicator 127.0.0.1/32 md5\n  - local all all trust\n"
                    + "tags:\n  nofailover: false\n  clonefrom: yes\n  priority: 010\n");

    /** The types and values of a tree, key order included, as text: equal descriptions mean equal trees. */
    static String describe(Object v) {
        if (v instanceof Map<?, ?> m) {
            StringBuilder b = new StringBuilder(v.getClass().getSimpleName()).append('{');
            m.forEach((k, x) -> b.append(describe(k)).append('=').append(describe(x)).append(';'));
            return b.append('}').toString();
        }
        if (v instanceof List<?> l) {
            StringBuilder b = new StringBuilder(v.getClass().getSimpleName()).append('[');
            l.forEach(x -> b.append(describe(x)).append(';'));
            return b.append(']').toString();
        }
        if (v instanceof byte[] bytes) {
            return "byte[]:" + Arrays.toString(bytes);
        }
        return v == null ? "null" : v.getClass().getSimpleName() + ":" + v;
    }

    private static List<String> inputs() {
        List<String> all = new ArrayList<>();
        for (String s : SCALARS) {
            all.add("k: " + s);
            all.add("- " + s);
            all.add(s);
        }
        all.addAll(DOCUMENTS);
        return all;
    }

    @Test
    void readGivesJacksonsValuesAndRejectsWhatItRejected() {
        int compared = 0;
        for (String text : inputs()) {
            Object expected;
            try {
                expected = READER.readValue(text, Object.class);
            } catch (JsonProcessingException e) {
                YamlException mine = null;
                try {
                    Object v = YamlReader.read(text);
                    fail("accepted " + text.replace("\n", "\\n") + " as " + describe(v) + "; Jackson: " + e.getMessage());
                } catch (YamlException x) {
                    mine = x;
                }
                assertEquals(expectedProblem(e), mine.problem(), text);
                assertEquals(expectedPosition(e), mine.line() + ":" + mine.column(), text);
                compared++;
                continue;
            } catch (java.io.IOException e) {
                throw new AssertionError(e);
            }
            try {
                assertEquals(describe(expected), describe(YamlReader.read(text)), text.replace("\n", "\\n"));
            } catch (YamlException e) {
                fail("rejected " + text.replace("\n", "\\n") + " which Jackson reads as " + describe(expected) + ": "
                        + e.getMessage());
            }
            compared++;
        }
        assertEquals(inputs().size(), compared);
    }

    /** What YamlSource printed: SnakeYAML's problem, else Jackson's first line. */
    private static String expectedProblem(JsonProcessingException e) {
        MarkedYAMLException m = marked(e);
        if (m != null) {
            return m.getProblem() != null ? m.getProblem() : "invalid YAML";
        }
        String first = e.getOriginalMessage().lines().findFirst().orElse("invalid YAML");
        // Jackson names its own limit's origin; the reader keeps the number
        return first.replace(", from `StreamReadConstraints.getMaxNestingDepth()`", "");
    }

    private static String expectedPosition(JsonProcessingException e) {
        MarkedYAMLException m = marked(e);
        if (m != null) {
            org.yaml.snakeyaml.error.Mark mark = m.getProblemMark() != null ? m.getProblemMark() : m.getContextMark();
            return mark == null ? "0:0" : (mark.getLine() + 1) + ":" + (mark.getColumn() + 1);
        }
        return e.getLocation() == null || e.getLocation().getLineNr() < 0 ? "0:0"
                : e.getLocation().getLineNr() + ":" + e.getLocation().getColumnNr();
    }

    private static MarkedYAMLException marked(Throwable e) {
        for (Throwable c = e; c != null; c = c.getCause()) {
            if (c instanceof MarkedYAMLException m) {
                return m;
            }
        }
        return null;
    }

    @Test
    void deepNestingIsRefusedAtJacksonsLimit() throws Exception {
        String ok = "[".repeat(YamlReader.MAX_DEPTH) + "]".repeat(YamlReader.MAX_DEPTH);
        assertEquals(describe(READER.readValue(ok, Object.class)), describe(YamlReader.read(ok)));
        String deep = "[".repeat(YamlReader.MAX_DEPTH + 1) + "]".repeat(YamlReader.MAX_DEPTH + 1);
        JsonProcessingException jackson = org.junit.jupiter.api.Assertions.assertThrows(JsonProcessingException.class,
                () -> READER.readValue(deep, Object.class));
        YamlException mine = org.junit.jupiter.api.Assertions.assertThrows(YamlException.class, () -> YamlReader.read(deep));
        assertEquals(expectedProblem(jackson), mine.problem());
        assertEquals(expectedPosition(jackson), mine.line() + ":" + mine.column());
    }

    @Test
    void writeGivesJacksonsText() throws Exception {
        List<Object> trees = new ArrayList<>();
        for (String text : inputs()) {
            try {
                trees.add(READER.readValue(text, Object.class));
            } catch (JsonProcessingException e) {
                // only readable inputs
            }
        }
        for (String s : SCALARS) {
            trees.add(s);
            trees.add(Map.of(s, s));
        }
        trees.addAll(randomTrees(500));
        Map<String, Object> mixed = new LinkedHashMap<>();
        mixed.put("float", 2.5f);
        mixed.put("doubles", Arrays.asList(1e7, 1.0e-5, 123456789.0, Double.NEGATIVE_INFINITY, Double.NaN, -0.0));
        mixed.put("short", (short) -3);
        mixed.put("bigdec", Arrays.asList(new BigDecimal("1.50"), new BigDecimal("1E+3")));
        mixed.put("bigint", new BigInteger("-123456789012345678901234567890"));
        mixed.put("array", new Object[] {1, "x", null});
        mixed.put("enum", java.time.DayOfWeek.MONDAY);
        mixed.put("char", 'y');
        mixed.put("binary", new byte[] {0, 1, 2, (byte) 255});
        mixed.put("long binary", new byte[200]);
        mixed.put("long line", "word ".repeat(40).trim());
        mixed.put("long key ".repeat(20), 1);
        trees.add(mixed);
        for (Object tree : trees) {
            assertEquals(DESCRIBER.writeValueAsString(tree), YamlWriter.PLAIN.write(tree), describe(tree));
            assertEquals(CTL.writeValueAsString(tree), YamlWriter.SORTED.write(tree), describe(tree));
        }
    }

    /** Maps and lists of strings built from the characters YAML treats specially, with a fixed seed. */
    static List<Object> randomTrees(int count) {
        Random r = new Random(20261122L);
        String alphabet = " \t\n:#,[]{}-?|>!&*'\"%@`~.+_0123456789eExXbBoOyYnNtTfFlLuUaA/\\\u00e9\u2028\u0085\u0001\u007f";
        List<Object> out = new ArrayList<>();
        for (int i = 0; i < count; i++) {
            Map<String, Object> m = new LinkedHashMap<>();
            for (int k = 0; k < 3; k++) {
                m.put(randomString(r, alphabet), k == 0 ? randomString(r, alphabet)
                        : List.of(randomString(r, alphabet), Map.of("x", randomString(r, alphabet))));
            }
            out.add(m);
        }
        return out;
    }

    private static String randomString(Random r, String alphabet) {
        StringBuilder b = new StringBuilder();
        int len = r.nextInt(8);
        for (int i = 0; i < len; i++) {
            b.append(alphabet.charAt(r.nextInt(alphabet.length())));
        }
        return b.toString();
    }
}
