package io.has.yaml;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class YamlTest {

    @SuppressWarnings("unchecked")
    private static Map<String, Object> map(String yaml) throws YamlException {
        return (Map<String, Object>) YamlReader.read(yaml);
    }

    @Test
    void scalarsAreTypedTheYaml11Way() throws YamlException {
        Map<String, Object> m = map("""
                int: 100
                octal: 0755
                hex: 0x1f
                under: 1_000
                long: 4294967296
                big: 99999999999999999999
                float: 0.5
                exp: 1e3
                yes: yes
                off: Off
                tilde: ~
                empty:
                quoted: '100'
                date: 2026-11-22
                sexagesimal: 1:30
                tagged: !!str 12
                """);
        assertEquals(100, m.get("int"));
        assertEquals(493, m.get("octal"));
        assertEquals(31, m.get("hex"));
        assertEquals(1000, m.get("under"));
        assertEquals(4294967296L, m.get("long"));
        assertEquals(new BigInteger("99999999999999999999"), m.get("big"));
        assertEquals(0.5, m.get("float"));
        assertEquals(1000.0, m.get("exp"));
        assertEquals(true, m.get("yes"));
        assertEquals(false, m.get("off"));
        assertNull(m.get("tilde"));
        assertNull(m.get("empty"));
        assertEquals("100", m.get("quoted"));
        assertEquals("2026-11-22", m.get("date"));
        assertEquals("1:30", m.get("sexagesimal"));
        assertEquals("12", m.get("tagged"));
    }

    @Test
    void keysStayTextAndRepeatedKeysKeepFirstPlaceLastValue() throws YamlException {
        Map<String, Object> m = map("1: a\ntrue: b\nz: 1\nx: 2\nz: 3\n");
        assertEquals(List.of("1", "true", "z", "x"), new ArrayList<>(m.keySet()));
        assertEquals(3, m.get("z"));
        assertEquals(LinkedHashMap.class, m.getClass());
    }

    @Test
    void aliasesReadAsTheAnchorsName() throws YamlException {
        // as jackson-dataformat-yaml did: anchors are not resolved (PyYAML would resolve them)
        assertEquals(Arrays.asList(List.of(1), "a"), YamlReader.read("- &a [1]\n- *a"));
    }

    @Test
    void errorsCarryLineAndColumn() {
        YamlException e = assertThrows(YamlException.class, () -> YamlReader.read("a:\n  - 1\n - 2"));
        assertEquals("expected <block end>, but found '<block sequence start>'", e.problem());
        assertEquals(3, e.line());
        assertEquals(2, e.column());
        assertEquals("while parsing a block mapping", e.getMessage().lines().findFirst().orElseThrow());
        YamlException number = assertThrows(YamlException.class, () -> YamlReader.read("k: .inf"));
        assertEquals("Malformed numeric value '.inf'", number.problem());
        assertEquals(1, number.line());
        assertEquals(8, number.column());
        YamlException key = assertThrows(YamlException.class, () -> YamlReader.read("? [1]\n: x"));
        assertEquals(1, key.line());
        YamlException none = assertThrows(YamlException.class, () -> YamlReader.read("# nothing but a comment"));
        assertEquals("No content to map due to end-of-input", none.problem());
    }

    @Test
    void writesBlockYamlQuotingOnlyWhatWouldReadBackDifferently() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("name", "pg1");
        m.put("listen", "0.0.0.0:8008");
        m.put("flag", "on");
        m.put("empty", "");
        m.put("number", "5432");
        m.put("comment", "a #b");
        m.put("lines", "one\ntwo\n");
        m.put("list", List.of(1, 2.5, true));
        m.put("none", null);
        m.put("nested", Map.of());
        m.put("10", "numeric key");
        assertEquals("""
                name: pg1
                listen: 0.0.0.0:8008
                flag: "on"
                empty: ""
                number: 5432
                comment: "a #b"
                lines: |
                  one
                  two
                list:
                - 1
                - 2.5
                - true
                none: null
                nested: {}
                "10": numeric key
                """, YamlWriter.PLAIN.write(m));
        assertEquals("""
                "10": numeric key
                comment: "a #b"
                """, YamlWriter.SORTED.write(Map.of("comment", "a #b", "10", "numeric key")));
        assertEquals("- \"5432\"\n- \"1.5\"\n- 1.2.3\n", YamlWriter.SORTED.write(List.of("5432", "1.5", "1.2.3")));
    }

    @Test
    void hasctlsYamlReadsBackToTheSameTree() throws YamlException {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("i", 493);
        m.put("n", "0755");
        m.put("nested", new LinkedHashMap<>(Map.of("list", List.of("a: b", "[x]", "~", "-1", "1e3"))));
        m.put("s", "yes");
        assertEquals(m, YamlReader.read(YamlWriter.SORTED.write(m)));
        // the configuration dump never quoted number-like strings (as before): they read back as numbers
        assertEquals("port: 5432\n", YamlWriter.PLAIN.write(Map.of("port", "5432")));
    }
}
