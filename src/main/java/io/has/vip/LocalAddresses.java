package io.has.vip;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Whether an IPv4 address is one of this network namespace's own, from the kernel's routing table
 * dump {@code /proc/net/fib_trie} (a leaf {@code |-- ADDRESS} with a {@code /32 host LOCAL} route):
 * one file read, where {@code ip addr show} is a process. It does not say on which device.
 */
final class LocalAddresses {

    private static final Path FIB_TRIE = Path.of("/proc/net/fib_trie");

    private LocalAddresses() {
    }

    /** True or false from the kernel's table; null when it cannot tell (IPv6, no procfs). */
    static Boolean isLocal(String address) {
        if (address == null || address.indexOf(':') >= 0) {
            return null;
        }
        try {
            return isLocalIn(new String(Files.readAllBytes(FIB_TRIE), StandardCharsets.US_ASCII), address);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }

    /** Whether {@code fibTrie} (the text of /proc/net/fib_trie) has a local host route for {@code address}. */
    static boolean isLocalIn(String fibTrie, String address) {
        boolean inLeaf = false;
        for (String line : (Iterable<String>) fibTrie.lines()::iterator) {
            String t = line.strip();
            if (t.startsWith("|-- ")) {
                inLeaf = t.substring(4).equals(address);
            } else if (t.startsWith("+-- ") || t.endsWith(":")) {
                inLeaf = false;
            } else if (inLeaf && t.startsWith("/32 ") && t.endsWith(" host LOCAL")) {
                return true;
            }
        }
        return false;
    }
}
