package io.has.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.PatternLayout;
import ch.qos.logback.classic.spi.LoggingEvent;
import java.time.LocalDateTime;
import java.time.ZoneId;
import org.junit.jupiter.api.Test;

class LogLayoutTest {

    private static final String PATTERN = "%d{yyyy-MM-dd HH:mm:ss.SSS} %-5level [%thread] %logger{20} - %msg%n";

    @Test
    void writesWhatLogbacksPatternWrites() {
        LoggerContext ctx = new LoggerContext();
        PatternLayout pattern = new PatternLayout();
        pattern.setContext(ctx);
        pattern.setPattern(PATTERN);
        pattern.start();
        LogLayout layout = new LogLayout(null);
        layout.setContext(ctx);
        layout.start();
        long[] times = {
            LocalDateTime.of(2026, 1, 2, 3, 4, 5, 6_000_000).atZone(ZoneId.systemDefault()).toInstant().toEpochMilli(),
            LocalDateTime.of(2026, 11, 22, 23, 59, 59, 999_000_000).atZone(ZoneId.systemDefault()).toInstant()
                    .toEpochMilli()};
        String[] loggers = {"io.has.ha.HaLoop", "io.has.dcs.zk.ZooKeeperDcs", "a.b.C", "Plain",
            "org.apache.zookeeper.ClientCnxn", "io.has.x.AVeryLongClassNameThatIsLongerThanTwenty"};
        Throwable failure = new IllegalStateException("outer", new RuntimeException("inner"));
        for (long t : times) {
            for (String name : loggers) {
                for (Level level : new Level[] {Level.INFO, Level.WARN, Level.ERROR, Level.DEBUG}) {
                    for (Throwable thrown : new Throwable[] {null, failure}) {
                        Logger logger = ctx.getLogger(name);
                        LoggingEvent e = new LoggingEvent(LogLayoutTest.class.getName(), logger, level,
                                "value {} of {}", thrown, new Object[] {1, "x"});
                        e.setTimeStamp(t);
                        e.setThreadName("has-loop");
                        assertEquals(pattern.doLayout(e), layout.doLayout(e));
                    }
                }
            }
        }
        ctx.stop();
    }

    @Test
    void aFixedBracketReplacesTheThreadName() {
        LoggerContext ctx = new LoggerContext();
        LogLayout layout = new LogLayout("pg(1)");
        LoggingEvent e = new LoggingEvent("x", ctx.getLogger("io.has.X"), Level.INFO, "hello", null, null);
        e.setThreadName("has-loop");
        assertTrue(layout.doLayout(e).endsWith(" INFO  [pg(1)] io.has.X - hello" + System.lineSeparator()),
                layout.doLayout(e));
        ctx.stop();
    }

    @Test
    void abbreviatesPackagesFromTheLeftOnly() {
        assertEquals("io.has.ha.HaLoop", LogLayout.abbreviate("io.has.ha.HaLoop", 20));
        assertEquals("i.h.d.z.ZooKeeperDcs", LogLayout.abbreviate("io.has.dcs.zk.ZooKeeperDcs", 20));
        assertEquals("o.a.z.ClientCnxn", LogLayout.abbreviate("org.apache.zookeeper.ClientCnxn", 20));
        assertEquals("NoPackageButAVeryLongName", LogLayout.abbreviate("NoPackageButAVeryLongName", 20));
    }
}
