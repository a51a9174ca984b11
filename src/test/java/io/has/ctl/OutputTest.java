package io.has.ctl;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.dataformat.yaml.YAMLFactory;
import com.fasterxml.jackson.dataformat.yaml.YAMLGenerator;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** hasctl's JSON and YAML output and YAML input, against the Jackson mappers it used before. */
class OutputTest {

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final ObjectMapper YAML = new ObjectMapper(new YAMLFactory()
            .disable(YAMLGenerator.Feature.WRITE_DOC_START_MARKER)
            .enable(YAMLGenerator.Feature.MINIMIZE_QUOTES)
            .enable(YAMLGenerator.Feature.ALWAYS_QUOTE_NUMBERS_AS_STRINGS))
            .enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    @Test
    void memberRowsAndConfigsPrintAsBefore() throws Exception {
        List<Map<String, Object>> rows = new ArrayList<>();
        rows.add(Output.row("Cluster", "batman", "Member", "pg1", "Host", "127.0.0.1:5432", "Role", "Leader",
                "State", "running", "TL", 3, "Lag in MB", ""));
        Map<String, Object> replica = Output.row("Cluster", "batman", "Member", "+ pg2", "Host", "127.0.0.1:5433",
                "Role", "Sync Standby", "State", "streaming", "TL", 3, "Lag in MB", 12L);
        replica.put("Tags", new LinkedHashMap<>(Map.of("nofailover", true, "zone", "on", "priority", "010")));
        rows.add(replica);
        rows.add(Output.row("Cluster", "batman", "Member", "pg3", "Host", "", "Role", "Replica", "State",
                "stopped", "TL", "", "Lag in MB", "unknown"));
        Map<String, Object> config = new LinkedHashMap<>();
        config.put("ttl", 30);
        config.put("loop_wait", 10);
        config.put("maximum_lag_on_failover", 1048576);
        config.put("postgresql", Map.of("use_pg_rewind", true, "parameters", new LinkedHashMap<>(Map.of(
                "wal_level", "replica", "hot_standby", "on", "max_connections", 100, "wal_keep_size", "128MB",
                "archive_command", "test ! -f /a/%f && cp %p /a/%f", "listen_addresses", "*", "port", "5432",
                "ratio", 0.9, "empty", "", "multi", "line1\nline2"))));
        config.put("pause", null);
        config.put("synchronous_node_count", 1L << 33);
        for (Object tree : List.of(rows, config, List.of(), Map.of())) {
            assertEquals(JSON.writeValueAsString(tree) + "\n", Output.json(tree));
            assertEquals(YAML.writeValueAsString(tree), Output.yaml(tree));
        }
    }

    @Test
    void yamlInputParsesAsBefore() throws Exception {
        for (String text : List.of("5", "'5'", "yes", "on", "0755", "1.5", "[a, b]", "{x: 1}", "null", "~", "a b",
                "1:30", "'quoted'")) {
            assertEquals(YAML.readValue(text, Object.class), ConfigCommands.parseYamlValue(text), text);
        }
        assertNull(ConfigCommands.parseYamlValue(" "));
        assertEquals("[unclosed", ConfigCommands.parseYamlValue("[unclosed"));
        assertEquals(Map.of("ttl", 20, "postgresql", Map.of("parameters", Map.of("max_connections", 200))),
                ConfigCommands.parseYamlObject("ttl: 20\npostgresql:\n  parameters:\n    max_connections: 200\n", "f"));
        assertEquals(Map.of(), ConfigCommands.parseYamlObject("~", "f"));
        assertEquals("f is not a YAML mapping: while parsing a flow sequence",
                assertThrows(CtlContext.CtlException.class, () -> ConfigCommands.parseYamlObject("a: [1", "f")).getMessage());
        assertEquals("f is not a YAML mapping: No content to map due to end-of-input",
                assertThrows(CtlContext.CtlException.class, () -> ConfigCommands.parseYamlObject("", "f")).getMessage());
        assertEquals("f is not a YAML mapping: it holds a list",
                assertThrows(CtlContext.CtlException.class, () -> ConfigCommands.parseYamlObject("- a", "f")).getMessage());
    }
}
