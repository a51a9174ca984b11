package io.has.db;

/** How to stop the server: fast (clean shutdown checkpoint) or immediate (no checkpoint). */
public enum StopMode {
    FAST,
    IMMEDIATE
}
