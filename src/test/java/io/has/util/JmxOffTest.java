package io.has.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Properties;
import org.junit.jupiter.api.Test;

class JmxOffTest {

    private static Properties props(String... kv) {
        Properties p = new Properties();
        for (int i = 0; i < kv.length; i += 2) {
            p.setProperty(kv[i], kv[i + 1]);
        }
        return p;
    }

    @Test
    void offByDefault() {
        assertTrue(JmxOff.wanted(props()));
        assertTrue(JmxOff.wanted(props("has.jmx", "off")));
    }

    @Test
    void stepsAsideWhenTheOperatorAsksForJmx() {
        assertFalse(JmxOff.wanted(props("has.jmx", "on")));
        assertFalse(JmxOff.wanted(props("has.jmx", " ON ")));
        assertFalse(JmxOff.wanted(props("com.sun.management.jmxremote.port", "9010")));
        assertFalse(JmxOff.wanted(props("com.sun.management.jmxremote", "")));
        assertFalse(JmxOff.wanted(props(JmxOff.BUILDER_PROPERTY, "com.example.Builder")));
    }

    @Test
    void theBuilderRefusesWithTheWayBack() {
        JmxOff b = new JmxOff();
        UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                b::newMBeanServerDelegate);
        assertEquals(JmxOff.REFUSAL, e.getMessage());
        assertThrows(UnsupportedOperationException.class, () -> b.newMBeanServer("d", null, null));
        assertTrue(e.getMessage().contains("-Dhas.jmx=on"));
    }
}
