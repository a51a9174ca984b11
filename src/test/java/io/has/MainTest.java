package io.has;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;

class MainTest {

    @Test
    void aConfigFileAloneRunsTheDaemon() {
        Main.Args a = Main.parse(new String[] {"/etc/has/has.yml"});
        assertNull(a.exit());
        assertEquals(Path.of("/etc/has/has.yml"), a.config());
        assertFalse(a.validate());
    }

    @Test
    void validateMayComeBeforeOrAfterTheFile() {
        for (String[] args : new String[][] {{"--validate", "x.yml"}, {"x.yml", "--validate-config"}}) {
            Main.Args a = Main.parse(args);
            assertNull(a.exit());
            assertTrue(a.validate());
            assertEquals(Path.of("x.yml"), a.config());
        }
    }

    @Test
    void noFileMeansTheEnvironment() {
        Main.Args a = Main.parse(new String[0]);
        assertNull(a.exit());
        assertNull(a.config());
    }

    @Test
    void helpAndVersionExitZero() {
        Main.Args help = Main.parse(new String[] {"-h"});
        assertEquals(0, help.exit());
        assertTrue(help.out().startsWith("Usage: has "), help.out());
        Main.Args version = Main.parse(new String[] {"--version"});
        assertEquals(0, version.exit());
        assertEquals("has " + Version.VERSION + "\n", version.out());
    }

    @Test
    void anUnknownOptionIsNamed() {
        Main.Args a = Main.parse(new String[] {"--bogus", "x.yml"});
        assertEquals(2, a.exit());
        assertTrue(a.err().startsWith("Unknown option: '--bogus'\nUsage: has "), a.err());
    }

    @Test
    void aSecondFileIsRefusedWithItsPosition() {
        Main.Args a = Main.parse(new String[] {"a.yml", "b.yml"});
        assertEquals(2, a.exit());
        assertTrue(a.err().startsWith("Unmatched argument at index 1: 'b.yml'"), a.err());
    }

    @Test
    void aFileNamedLikeAnOptionFollowsDoubleDash() {
        Main.Args a = Main.parse(new String[] {"--", "-odd.yml"});
        assertNull(a.exit());
        assertEquals(Path.of("-odd.yml"), a.config());
    }
}
