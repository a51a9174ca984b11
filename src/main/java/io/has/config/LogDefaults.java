package io.has.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ConfiguratorRank;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import ch.qos.logback.core.spi.ContextAwareBase;
import java.util.Map;

/**
 * The default Logback configuration, set up in code: stderr, INFO, and the chatty libraries turned
 * down. It replaces a {@code logback.xml} because Logback's XML configurator (Joran, the XML parser and
 * their model classes, several hundred classes) costs a few MiB of metaspace in a daemon that logs a
 * few lines a minute. Registered through {@code META-INF/services/ch.qos.logback.classic.spi.Configurator}.
 *
 * <p>An operator's own configuration still wins: when {@code -Dlogback.configurationFile=...} is given,
 * or a {@code logback.xml} / {@code logback-test.xml} is on the class path (as in the tests), this
 * configurator steps aside and Logback reads that file as usual. {@link LogSetup} then applies the
 * {@code log} section on top.
 */
@ConfiguratorRank(ConfiguratorRank.CUSTOM_HIGH_PRIORITY)
public final class LogDefaults extends ContextAwareBase implements Configurator {

    /** Name of the stderr appender attached to the root logger. */
    public static final String STDERR_APPENDER = "STDERR";

    /** Libraries whose INFO lines are noise in a daemon's log. */
    static final Map<String, Level> QUIET = Map.of(
            "org.apache.zookeeper", Level.ERROR,
            "org.apache.curator", Level.ERROR,
            "io.undertow", Level.WARN,
            "org.xnio", Level.WARN,
            "org.jboss", Level.WARN,
            "org.postgresql", Level.WARN);

    /** Whether a configuration file was asked for, in which case Logback's own configurators read it. */
    static boolean fileConfigured(ClassLoader loader) {
        return System.getProperty("logback.configurationFile") != null
                || loader.getResource("logback-test.xml") != null
                || loader.getResource("logback.xml") != null;
    }

    @Override
    public ExecutionStatus configure(LoggerContext ctx) {
        ClassLoader loader = LogDefaults.class.getClassLoader();
        if (fileConfigured(loader == null ? ClassLoader.getSystemClassLoader() : loader)) {
            return ExecutionStatus.INVOKE_NEXT_IF_ANY;
        }
        install(ctx);
        return ExecutionStatus.DO_NOT_INVOKE_NEXT_IF_ANY;
    }

    /** Attaches the stderr appender and sets the levels. */
    static void install(LoggerContext ctx) {
        LayoutWrappingEncoder<ILoggingEvent> encoder = LogLayout.encoder(ctx, null);

        ConsoleAppender<ILoggingEvent> stderr = new ConsoleAppender<>();
        stderr.setContext(ctx);
        stderr.setName(STDERR_APPENDER);
        stderr.setTarget("System.err");
        stderr.setEncoder(encoder);
        stderr.start();

        QUIET.forEach((name, level) -> ctx.getLogger(name).setLevel(level));
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(Level.INFO);
        root.addAppender(stderr);
    }
}
