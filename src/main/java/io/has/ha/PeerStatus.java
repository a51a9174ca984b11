package io.has.ha;

/**
 * What a peer's {@code GET /patroni} said during the leader race (probed in parallel, 2 s hard timeout).
 *
 * @param name           member name
 * @param reachable      false when the request failed or timed out (then the rest is meaningless)
 * @param inRecovery     the peer runs as a standby
 * @param walPosition    max(received, replayed) on a standby, the current position on a primary
 * @param nofailover     the peer's nofailover tag
 * @param watchdogFailed the peer reports {@code watchdog_failed}
 * @param timeline       the peer's timeline, or null
 * @param streaming      the peer's WAL receiver streams ({@code replication_state: streaming}, as Patroni 4
 *                       reports it; false when not reported)
 * @param error          why it was unreachable, or null
 */
public record PeerStatus(
        String name,
        boolean reachable,
        boolean inRecovery,
        long walPosition,
        boolean nofailover,
        boolean watchdogFailed,
        Integer timeline,
        boolean streaming,
        String error) {

    public static PeerStatus unreachable(String name, String error) {
        return new PeerStatus(name, false, true, 0, false, false, null, false, error);
    }
}
