package io.has.vip;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The local-address check that spares an idle member an {@code ip} process each HA cycle. */
class LocalAddressesTest {

    /** /proc/net/fib_trie of a host with 10.77.0.11/24 on eth0 and the VIP 10.77.0.100 as eth0:1. */
    private static final String FIB_TRIE = """
            Main:
              +-- 0.0.0.0/0 3 0 5
                 +-- 10.77.0.0/24 2 0 2
                    +-- 10.77.0.0/28 2 0 2
                       |-- 10.77.0.0
                          /24 link UNICAST
                       |-- 10.77.0.11
                          /32 host LOCAL
                    |-- 10.77.0.100
                       /32 host LOCAL
                    |-- 10.77.0.255
                       /32 link BROADCAST
                 +-- 127.0.0.0/8 2 0 2
                    |-- 127.0.0.1
                       /32 host LOCAL
            Local:
              +-- 0.0.0.0/0 3 0 5
                 |-- 10.77.0.11
                    /32 host LOCAL
            """;

    @Test
    void aHostRouteMarkedLocalIsOurs() {
        assertTrue(LocalAddresses.isLocalIn(FIB_TRIE, "10.77.0.100"));
        assertTrue(LocalAddresses.isLocalIn(FIB_TRIE, "10.77.0.11"));
    }

    @Test
    void networkBroadcastAndUnknownAddressesAreNot() {
        assertFalse(LocalAddresses.isLocalIn(FIB_TRIE, "10.77.0.0"), "the network's route is link UNICAST");
        assertFalse(LocalAddresses.isLocalIn(FIB_TRIE, "10.77.0.255"), "broadcast");
        assertFalse(LocalAddresses.isLocalIn(FIB_TRIE, "10.77.0.10"), "a prefix of a listed address");
        assertFalse(LocalAddresses.isLocalIn(FIB_TRIE, "10.77.0.1"));
        assertFalse(LocalAddresses.isLocalIn("", "10.77.0.100"));
    }

    @Test
    void theKernelsOwnTable() {
        assertEquals(Boolean.TRUE, LocalAddresses.isLocal("127.0.0.1"));
        assertEquals(Boolean.FALSE, LocalAddresses.isLocal("198.51.100.77"));
        assertNull(LocalAddresses.isLocal("fd00::100"), "IPv6: ask ip");
    }
}
