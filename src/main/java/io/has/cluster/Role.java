package io.has.cluster;

/**
 * A member's role as written to the {@code members/<name>} key and reported by REST. Wire values are
 * pinned: Patroni 4 vocabulary is written, Patroni 3's {@code master} is accepted when reading.
 */
public enum Role {
    PRIMARY("primary"),
    REPLICA("replica"),
    STANDBY_LEADER("standby_leader"),
    DEMOTED("demoted"),
    UNINITIALIZED("uninitialized"),
    PROMOTED("promoted");

    private final String wire;

    Role(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** Parses a wire value; {@code master} means {@link #PRIMARY}; unknown values give {@code null}. */
    public static Role fromWire(String value) {
        if (value == null) {
            return null;
        }
        if (value.equals("master")) {
            return PRIMARY;
        }
        for (Role r : values()) {
            if (r.wire.equals(value)) {
                return r;
            }
        }
        return null;
    }
}
