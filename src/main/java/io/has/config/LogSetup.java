package io.has.config;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.Appender;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import ch.qos.logback.core.rolling.SizeBasedTriggeringPolicy;
import ch.qos.logback.core.util.Duration;
import ch.qos.logback.core.util.FileSize;
import java.nio.file.Path;
import java.util.Locale;
import org.slf4j.ILoggerFactory;
import org.slf4j.LoggerFactory;

/**
 * Applies the {@code log} section to Logback at start-up (and again on reload): the root level, and,
 * when {@code log.dir} is set, a size-rotated {@code <dir>/has.log} kept as {@code file_num} old files
 * of {@code file_size} bytes, like Patroni's {@code RotatingFileHandler}. The stderr appender from
 * {@code logback.xml} is kept. ZooKeeper and Curator stay at ERROR whatever the level.
 */
public final class LogSetup {

    /** Name of the rotating file appender attached to the root logger. */
    public static final String FILE_APPENDER = "HAS_FILE";
    /** Name of the log file inside {@code log.dir}. */
    public static final String FILE_NAME = "has.log";

    private LogSetup() {
    }

    /**
     * @param log        the validated {@code log} section
     * @param memberName this member's name, shown in every file log line
     * @return false when Logback is not the SLF4J backend (nothing was changed)
     */
    public static boolean apply(HasConfig.Log log, String memberName) {
        ILoggerFactory factory = LoggerFactory.getILoggerFactory();
        if (!(factory instanceof LoggerContext ctx)) {
            return false;
        }
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        root.setLevel(level(log.level()));
        ctx.getLogger("org.apache.zookeeper").setLevel(Level.ERROR);
        ctx.getLogger("org.apache.curator").setLevel(Level.ERROR);

        Appender<ILoggingEvent> old = root.getAppender(FILE_APPENDER);
        if (old != null) {
            root.detachAppender(old);
            old.stop();
        }
        if (log.dir() != null) {
            root.addAppender(fileAppender(ctx, log, memberName));
        }
        return true;
    }

    /** Patroni level names to Logback: WARNING is WARN, CRITICAL is ERROR; unknown means INFO. */
    static Level level(String name) {
        String n = name == null ? "INFO" : name.strip().toUpperCase(Locale.ROOT);
        return switch (n) {
            case "DEBUG" -> Level.DEBUG;
            case "WARNING", "WARN" -> Level.WARN;
            case "ERROR", "CRITICAL" -> Level.ERROR;
            default -> Level.INFO;
        };
    }

    private static RollingFileAppender<ILoggingEvent> fileAppender(LoggerContext ctx, HasConfig.Log log,
            String memberName) {
        Path file = log.dir().resolve(FILE_NAME);
        RollingFileAppender<ILoggingEvent> appender = new RollingFileAppender<>();
        appender.setContext(ctx);
        appender.setName(FILE_APPENDER);
        appender.setFile(file.toString());

        FixedWindowRollingPolicy rolling = new FixedWindowRollingPolicy();
        rolling.setContext(ctx);
        rolling.setParent(appender);
        rolling.setFileNamePattern(file + ".%i");
        rolling.setMinIndex(1);
        rolling.setMaxIndex(Math.max(1, log.fileNum()));
        rolling.start();

        SizeBasedTriggeringPolicy<ILoggingEvent> trigger = new SizeBasedTriggeringPolicy<>();
        trigger.setContext(ctx);
        trigger.setMaxFileSize(new FileSize(log.fileSize()));
        // HAS logs a few lines per cycle: checking the size on every event keeps files at file_size,
        // as Patroni's RotatingFileHandler does (Logback's default checks at most once a minute).
        trigger.setCheckIncrement(Duration.buildByMilliseconds(0));
        trigger.start();

        appender.setRollingPolicy(rolling);
        appender.setTriggeringPolicy(trigger);
        appender.setEncoder(LogLayout.encoder(ctx, memberName == null ? "" : memberName));
        appender.start();
        return appender;
    }
}
