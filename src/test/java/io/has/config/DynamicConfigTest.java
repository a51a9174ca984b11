package io.has.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class DynamicConfigTest {

    @Test
    void localPostgresqlSettingsPatroniAllowsLocallyOverrideTheDynamicOnes() {
        Map<String, Object> dcs = Map.of("ttl", 30, "postgresql", Map.of("use_pg_rewind", true, "use_slots", true));
        DynamicConfig dc = DynamicConfig.fromMap(dcs,
                Map.of("remove_data_directory_on_rewind_failure", true, "use_pg_rewind", false, "use_slots", false));
        assertTrue(dc.removeDataDirectoryOnRewindFailure());
        assertFalse(dc.usePgRewind());
        assertTrue(dc.useSlots(), "use_slots is global-only");
    }

    @Test
    void garbageNeverThrowsAndFallsBackToDefaultsWithAWarning() {
        DynamicConfig dc = DynamicConfig.fromMap(Map.of("ttl", "abc", "loop_wait", 10, "retry_timeout", 10), null);
        assertEquals(30, dc.ttl());
        assertTrue(dc.warnings().get(0).contains("config.ttl"), dc.warnings().toString());
    }

    @Test
    void ttlIsRaisedWhenLoopWaitAndRetryTimeoutDoNotFit() {
        DynamicConfig dc = DynamicConfig.fromMap(Map.of("ttl", 10, "loop_wait", 5, "retry_timeout", 5));
        assertEquals(15, dc.ttl());
    }
}
