package io.has.config;

import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.classic.spi.ThrowableProxyUtil;
import ch.qos.logback.core.CoreConstants;
import ch.qos.logback.core.Context;
import ch.qos.logback.core.LayoutBase;
import ch.qos.logback.core.encoder.LayoutWrappingEncoder;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneId;

/**
 * One log line, {@code 2026-11-22 05:38:37.123 INFO  [thread] i.h.d.z.ZooKeeperDcs - message}, then the
 * stack trace if there is one: the layout of the pattern {@code %d{yyyy-MM-dd HH:mm:ss.SSS} %-5level
 * [%thread] %logger{20} - %msg%n}, written by hand. Logback's pattern machinery (its parser, ~80 converter
 * classes and java.time's formatter) would stay loaded for the daemon's whole life, ~0.7 MiB resident.
 */
public final class LogLayout extends LayoutBase<ILoggingEvent> {

    /** Length the logger name is abbreviated to, as {@code %logger{20}}. */
    static final int LOGGER_LENGTH = 20;

    private final String bracket;
    private final ZoneId zone = ZoneId.systemDefault();

    /** @param bracket what stands between the brackets; null for the thread's name */
    public LogLayout(String bracket) {
        this.bracket = bracket;
    }

    /** A started encoder writing lines of this layout ({@code bracket}: null for the thread's name). */
    static LayoutWrappingEncoder<ILoggingEvent> encoder(Context ctx, String bracket) {
        LogLayout layout = new LogLayout(bracket);
        layout.setContext(ctx);
        layout.start();
        LayoutWrappingEncoder<ILoggingEvent> encoder = new LayoutWrappingEncoder<>();
        encoder.setContext(ctx);
        encoder.setLayout(layout);
        encoder.start();
        return encoder;
    }

    @Override
    public String doLayout(ILoggingEvent event) {
        StringBuilder b = new StringBuilder(128);
        timestamp(b, event.getTimeStamp());
        String level = event.getLevel().toString();
        b.append(' ').append(level);
        for (int i = level.length(); i < 5; i++) {
            b.append(' ');
        }
        b.append(" [").append(bracket != null ? bracket : event.getThreadName()).append("] ");
        b.append(abbreviate(event.getLoggerName(), LOGGER_LENGTH)).append(" - ");
        b.append(event.getFormattedMessage()).append(CoreConstants.LINE_SEPARATOR);
        IThrowableProxy thrown = event.getThrowableProxy();
        if (thrown != null) {
            b.append(ThrowableProxyUtil.asString(thrown));
        }
        return b.toString();
    }

    private void timestamp(StringBuilder b, long millis) {
        LocalDateTime t = LocalDateTime.ofInstant(Instant.ofEpochMilli(millis), zone);
        pad(b, t.getYear(), 4).append('-');
        pad(b, t.getMonthValue(), 2).append('-');
        pad(b, t.getDayOfMonth(), 2).append(' ');
        pad(b, t.getHour(), 2).append(':');
        pad(b, t.getMinute(), 2).append(':');
        pad(b, t.getSecond(), 2).append('.');
        pad(b, t.getNano() / 1_000_000, 3);
    }

    private static StringBuilder pad(StringBuilder b, int value, int width) {
        String s = Integer.toString(value);
        for (int i = s.length(); i < width; i++) {
            b.append('0');
        }
        return b.append(s);
    }

    /**
     * Logback's {@code %logger{n}}: while the name is longer than {@code target}, package segments are cut
     * to their first letter from the left; the class name itself is never cut.
     */
    static String abbreviate(String name, int target) {
        if (name == null || name.length() <= target) {
            return name;
        }
        int excess = name.length() - target;
        StringBuilder b = new StringBuilder(target);
        int start = 0;
        int dot;
        while ((dot = name.indexOf('.', start)) >= 0) {
            int segment = dot - start;
            if (excess > 0 && segment > 1) {
                b.append(name.charAt(start));
                excess -= segment - 1;
            } else {
                b.append(name, start, dot);
            }
            b.append('.');
            start = dot + 1;
        }
        return b.append(name, start, name.length()).toString();
    }
}
