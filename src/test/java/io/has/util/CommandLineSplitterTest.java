package io.has.util;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.List;
import org.junit.jupiter.api.Test;

class CommandLineSplitterTest {

    @Test
    void splitsLikeShlex() {
        assertEquals(List.of("/bin/cb", "a b", "c", "d\"e", "f g", ""), CommandLineSplitter.split(
                "/bin/cb 'a b'  c \"d\\\"e\" f\\ g ''"));
        assertEquals(List.of(), CommandLineSplitter.split("   "));
        assertThrows(IllegalArgumentException.class, () -> CommandLineSplitter.split("a 'b"));
    }
}
