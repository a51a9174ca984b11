package io.has.api;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Patroni's {@code failover_limitation} on a candidate's {@code GET /patroni} document. */
class PeerProbeTest {

    @Test
    void aCandidateIsGoodUnlessTaggedNofailoverOrItsWatchdogFailed() {
        assertTrue(PeerProbe.goodStatus("{\"state\":\"running\",\"role\":\"replica\"}"));
        assertTrue(PeerProbe.goodStatus("{\"tags\":{\"nofailover\":false},\"watchdog_failed\":false}"));
        assertTrue(PeerProbe.goodStatus("{\"tags\":{\"nofailover\":\"no\"}}"));
        assertFalse(PeerProbe.goodStatus("{\"tags\":{\"nofailover\":true}}"));
        assertFalse(PeerProbe.goodStatus("{\"tags\":{\"nofailover\":\"True\"}}"));
        assertFalse(PeerProbe.goodStatus("{\"watchdog_failed\":true}"));
        assertFalse(PeerProbe.goodStatus("{\"watchdog_failed\":1}"));
    }

    @Test
    void anythingButAJsonObjectIsNotACandidate() {
        for (String body : new String[] {"", "[]", "null", "\"x\"", "{\"tags\":", "<html>"}) {
            assertFalse(PeerProbe.goodStatus(body), body);
        }
    }
}
