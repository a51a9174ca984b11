package io.has.ha;

/**
 * State of the single-slot runner for long actions (bootstrap, clone, start, rewind, re-clone).
 *
 * @param running        name of the action in progress, or null
 * @param lastName       name of the last finished action, or null
 * @param lastOk         whether it succeeded
 * @param lastError      its error message, or null
 * @param lastFinishedMs when it finished (epoch ms, 0 = never)
 */
public record LongActionStatus(String running, String lastName, boolean lastOk, String lastError,
        long lastFinishedMs) {

    public static final LongActionStatus IDLE = new LongActionStatus(null, null, true, null, 0);

    public LongActionStatus(String running, String lastName, boolean lastOk, String lastError) {
        this(running, lastName, lastOk, lastError, 0);
    }

    public boolean isRunning() {
        return running != null;
    }

    public boolean lastFailed(String name) {
        return !lastOk && name.equals(lastName);
    }
}
