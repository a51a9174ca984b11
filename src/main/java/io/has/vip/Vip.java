package io.has.vip;

/**
 * The virtual IP that follows the primary. It may only be present on the node that holds the leader
 * lock and runs PostgreSQL as primary. Implementations never throw: a failed {@code ip} command is
 * logged and retried by the next {@link #reconcile(boolean)}.
 *
 * <p>Thread-safe.
 */
public interface Vip {

    /** Adds the address if it is missing, then sends gratuitous ARP in the background. */
    void acquire();

    /** Removes the address if it is present. */
    void release();

    /** Whether the address is configured on the device right now (asks the kernel). */
    boolean isHeld();

    /**
     * Called every HA cycle: adds the address when {@code shouldHold} and it is missing, removes it when
     * not {@code shouldHold} and it is present; does nothing otherwise.
     *
     * @param shouldHold this node holds the leader lock and PostgreSQL runs as primary
     * @return whether this node holds the address afterwards (so callers need not ask again)
     */
    boolean reconcile(boolean shouldHold);

    /** A one-line description for logs, e.g. {@code 10.77.0.50/24 on eth0 (label eth0:1)}, or "none". */
    String describe();
}
