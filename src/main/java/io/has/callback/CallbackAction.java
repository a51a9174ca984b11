package io.has.callback;

/** The callbacks of {@code postgresql.callbacks}; {@link #key()} is both the YAML key and the script's first argument. */
public enum CallbackAction {
    ON_START, ON_STOP, ON_RESTART, ON_RELOAD, ON_ROLE_CHANGE;

    /** {@code on_start}, {@code on_role_change}, … */
    public String key() {
        return name().toLowerCase(java.util.Locale.ROOT);
    }
}
