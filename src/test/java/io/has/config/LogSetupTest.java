package io.has.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.rolling.FixedWindowRollingPolicy;
import ch.qos.logback.core.rolling.RollingFileAppender;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

class LogSetupTest {

    @TempDir
    Path tmp;

    private final LoggerContext ctx = (LoggerContext) LoggerFactory.getILoggerFactory();
    private final Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

    @AfterEach
    void restore() {
        LogSetup.apply(new HasConfig.Log("INFO", null, 4, 25_000_000L), "test");
        assertNull(root.getAppender(LogSetup.FILE_APPENDER));
    }

    @Test
    void patroniLevelNamesMapToLogback() {
        assertEquals(Level.WARN, LogSetup.level("WARNING"));
        assertEquals(Level.ERROR, LogSetup.level("CRITICAL"));
        assertEquals(Level.DEBUG, LogSetup.level("debug"));
        assertEquals(Level.INFO, LogSetup.level(null));
    }

    @Test
    void levelAppliedAndThirdPartyLoggersStayQuiet() {
        assertTrue(LogSetup.apply(new HasConfig.Log("DEBUG", null, 4, 25_000_000L), "pg1"));
        assertEquals(Level.DEBUG, root.getLevel());
        assertEquals(Level.ERROR, ctx.getLogger("org.apache.zookeeper").getLevel());
        assertEquals(Level.ERROR, ctx.getLogger("org.apache.curator").getLevel());
        assertNull(root.getAppender(LogSetup.FILE_APPENDER));
    }

    @Test
    void logDirAddsARotatingFileBesideStderr() throws Exception {
        LogSetup.apply(new HasConfig.Log("INFO", tmp, 3, 200L), "pg(1)");
        RollingFileAppender<ILoggingEvent> file =
                (RollingFileAppender<ILoggingEvent>) root.getAppender(LogSetup.FILE_APPENDER);
        assertNotNull(file);
        assertTrue(file.isStarted());
        assertNotNull(root.getAppender("STDERR"), "stderr is kept");
        FixedWindowRollingPolicy policy = (FixedWindowRollingPolicy) file.getRollingPolicy();
        assertEquals(3, policy.getMaxIndex());

        org.slf4j.Logger log = LoggerFactory.getLogger("io.has.test.LogSetupProbe");
        for (int i = 0; i < 20; i++) {
            log.info("line {} of the rotation probe", i);
        }
        Path current = tmp.resolve("has.log");
        assertTrue(Files.exists(current));
        assertTrue(Files.exists(tmp.resolve("has.log.1")), "rotated at file_size");
        assertFalse(Files.exists(tmp.resolve("has.log.4")), "at most file_num old files");
        String text = Files.readString(current);
        assertTrue(text.matches("(?s)\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  \\[pg\\(1\\)\\] "
                + "i\\.h\\.t\\.LogSetupProbe - line \\d+ of the rotation probe\n.*"), text);
    }

    @Test
    void applyingAgainReplacesTheFileAppender() {
        LogSetup.apply(new HasConfig.Log("INFO", tmp.resolve("a"), 2, 1000L), "pg1");
        LogSetup.apply(new HasConfig.Log("INFO", tmp.resolve("b"), 2, 1000L), "pg1");
        RollingFileAppender<?> file = (RollingFileAppender<?>) root.getAppender(LogSetup.FILE_APPENDER);
        assertEquals(tmp.resolve("b/has.log").toString(), file.getFile());
    }
}
