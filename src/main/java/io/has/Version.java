package io.has;

/** The HAS version, published in member keys and {@code /patroni} (numeric and dotted, as Patroni expects). */
public final class Version {
    public static final String VERSION = "0.1.0";

    private Version() {
    }
}
