package io.has.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.spi.Configurator;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.ConsoleAppender;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ServiceLoader;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogDefaultsTest {

    @TempDir
    Path tmp;

    @Test
    void registeredAsLogbackConfigurator() {
        assertTrue(ServiceLoader.load(Configurator.class).stream().anyMatch(p -> p.type() == LogDefaults.class));
    }

    @Test
    void installsStderrAtInfoWithQuietLibraries() {
        LoggerContext ctx = new LoggerContext();
        LogDefaults.install(ctx);
        Logger root = ctx.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        assertEquals(Level.INFO, root.getLevel());
        ConsoleAppender<ILoggingEvent> stderr = (ConsoleAppender<ILoggingEvent>) root.getAppender(
                LogDefaults.STDERR_APPENDER);
        assertTrue(stderr.isStarted());
        assertEquals("System.err", stderr.getTarget());
        assertEquals(Level.ERROR, ctx.getLogger("org.apache.zookeeper").getEffectiveLevel());
        assertEquals(Level.ERROR, ctx.getLogger("org.apache.curator.framework").getEffectiveLevel());
        assertEquals(Level.WARN, ctx.getLogger("org.postgresql.Driver").getEffectiveLevel());
        assertEquals(Level.INFO, ctx.getLogger("io.has.ha.HaLoop").getEffectiveLevel());
        ctx.stop();
    }

    @Test
    void stepsAsideForAConfigurationFileOnTheClassPath() throws Exception {
        Path empty = Files.createDirectory(tmp.resolve("empty"));
        Path withFile = Files.createDirectory(tmp.resolve("with"));
        Files.writeString(withFile.resolve("logback.xml"), "<configuration/>");
        try (URLClassLoader none = new URLClassLoader(new URL[] {empty.toUri().toURL()}, null);
                URLClassLoader one = new URLClassLoader(new URL[] {withFile.toUri().toURL()}, null)) {
            assertFalse(LogDefaults.fileConfigured(none));
            assertTrue(LogDefaults.fileConfigured(one));
        }
    }
}
