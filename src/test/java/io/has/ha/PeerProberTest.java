package io.has.ha;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** How a peer's {@code GET /patroni} document is read for the leader race (Patroni's and HAS's). */
class PeerProberTest {

    @Test
    void primaryAndReplicaDocumentsGiveTheirWalPositions() {
        PeerStatus primary = PeerProber.parse("pg1", "{\"state\":\"running\",\"role\":\"primary\",\"server_version\":150004,"
                + "\"xlog\":{\"location\":67108960},\"timeline\":2,\"patroni\":{\"version\":\"3.0.2\"}}");
        assertEquals(new PeerStatus("pg1", true, false, 67108960, false, false, 2, false, null), primary);
        PeerStatus replica = PeerProber.parse("pg2", "{\"role\":\"replica\",\"xlog\":{\"received_location\":100,"
                + "\"replayed_location\":90,\"replayed_timestamp\":null,\"paused\":false},"
                + "\"tags\":{\"nofailover\":true},\"watchdog_failed\":true}");
        assertEquals(new PeerStatus("pg2", true, true, 100, true, true, null, false, null), replica);
    }

    @Test
    void aStreamingReceiverIsReadFromReplicationState() {
        String replica = "{\"role\":\"replica\",\"xlog\":{\"received_location\":100,\"replayed_location\":90},";
        assertTrue(PeerProber.parse("pg2", replica + "\"replication_state\":\"streaming\"}").streaming());
        assertFalse(PeerProber.parse("pg2", replica + "\"replication_state\":\"in archive recovery\"}").streaming());
        assertFalse(PeerProber.parse("pg2", replica + "\"state\":\"running\"}").streaming(), "Patroni 3 does not say");
        assertFalse(PeerProber.parse("pg2", replica + "\"replication_state\":[1]}").streaming(), "garbage");
    }

    @Test
    void looselyTypedFieldsCoerceAsJsonNodeDid() {
        // Patroni 2 wrote role "master"; numbers as strings and a null timeline still read
        PeerStatus s = PeerProber.parse("pg1", "{\"role\":\"master\",\"xlog\":{\"location\":\"0\"},\"timeline\":null,"
                + "\"tags\":{\"nofailover\":\"true\"}}");
        assertEquals(new PeerStatus("pg1", true, false, 0, true, false, 0, false, null), s);
        PeerStatus r = PeerProber.parse("pg3", "{\"xlog\":{\"received_location\":null,\"replayed_location\":7.9}}");
        assertTrue(r.inRecovery());
        assertEquals(7, r.walPosition());
    }

    @Test
    void documentsWithoutXlogOrNotJsonAreUnreachable() {
        for (String body : new String[] {"", "  ", "[]", "\"text\"", "{\"state\":\"stopped\"}", "{\"xlog\":5}"}) {
            PeerStatus s = PeerProber.parse("pg1", body);
            assertFalse(s.reachable(), body);
            assertEquals("no xlog in /patroni", s.error(), body);
        }
        PeerStatus garbage = PeerProber.parse("pg1", "{\"xlog\":");
        assertFalse(garbage.reachable());
        assertTrue(garbage.error().startsWith("unparsable /patroni: "), garbage.error());
    }
}
