package io.has.cluster;

/** PostgreSQL state strings exactly as Patroni publishes them in member keys and {@code /patroni}. */
public enum PgState {
    RUNNING("running"),
    STARTING("starting"),
    STOPPING("stopping"),
    STOPPED("stopped"),
    RESTARTING("restarting"),
    CRASHED("crashed"),
    START_FAILED("start failed"),
    STOP_FAILED("stop failed"),
    CREATING_REPLICA("creating replica"),
    INITIALIZING("initializing new cluster"),
    INITDB_FAILED("initdb failed"),
    RESTART_FAILED("restart failed"),
    UNKNOWN("unknown");

    private final String wire;

    PgState(String wire) {
        this.wire = wire;
    }

    public String wire() {
        return wire;
    }

    /** Parses a wire value; anything unknown (including v3's {@code restart failed (x)}) maps loosely. */
    public static PgState fromWire(String value) {
        if (value == null) {
            return UNKNOWN;
        }
        for (PgState s : values()) {
            if (s.wire.equals(value)) {
                return s;
            }
        }
        return value.startsWith("restart failed") ? RESTART_FAILED : UNKNOWN;
    }
}
