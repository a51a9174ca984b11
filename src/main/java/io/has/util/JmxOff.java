package io.has.util;

import java.util.Properties;
import javax.management.MBeanServer;
import javax.management.MBeanServerBuilder;
import javax.management.MBeanServerDelegate;

/**
 * Keeps the JVM's platform MBean server from being created in the daemon. Undertow's I/O layer (XNIO)
 * registers its worker and server MBeans unconditionally, and the first registration builds the platform
 * MBean server with every platform MXBean: ~190 JDK classes and ~3 MiB resident for beans nobody reads
 * (HAS reports through REST and {@code /metrics}, not JMX). XNIO treats a failed registration as "no
 * MBean" and goes on.
 *
 * <p>{@link #install} names this class as {@code javax.management.builder.initial}, JMX's documented way
 * to choose the MBean server builder, whose servers then cannot be created. It steps aside when the
 * operator asks for JMX: {@code -Dhas.jmx=on}, any {@code com.sun.management.jmxremote*} property, or
 * an own {@code javax.management.builder.initial}.
 */
public final class JmxOff extends MBeanServerBuilder {

    /** The JMX property naming the builder class. */
    public static final String BUILDER_PROPERTY = "javax.management.builder.initial";
    /** {@code -Dhas.jmx=on} keeps JMX as the JVM has it. */
    public static final String SWITCH = "has.jmx";

    static final String REFUSAL = "JMX is off in the HAS daemon (start it with -D" + SWITCH + "=on to have it)";

    /** Turns the platform MBean server off unless the system properties ask for JMX. */
    public static void install() {
        if (wanted(System.getProperties())) {
            System.setProperty(BUILDER_PROPERTY, JmxOff.class.getName());
        }
    }

    /** Whether these properties leave JMX to this class. */
    static boolean wanted(Properties p) {
        if (p.getProperty(BUILDER_PROPERTY) != null || "on".equalsIgnoreCase(p.getProperty(SWITCH, "").strip())) {
            return false;
        }
        return p.stringPropertyNames().stream().noneMatch(k -> k.startsWith("com.sun.management.jmxremote"));
    }

    @Override
    public MBeanServerDelegate newMBeanServerDelegate() {
        throw new UnsupportedOperationException(REFUSAL);
    }

    @Override
    public MBeanServer newMBeanServer(String defaultDomain, MBeanServer outer, MBeanServerDelegate delegate) {
        throw new UnsupportedOperationException(REFUSAL);
    }
}
