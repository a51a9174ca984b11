package io.has.util;

import ch.qos.logback.classic.Level;
import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import java.util.List;
import org.slf4j.LoggerFactory;

/** Test helper: what one class logs while it is open, as formatted messages. */
public final class LogLines implements AutoCloseable {

    private final Logger logger;
    private final ListAppender<ILoggingEvent> events = new ListAppender<>();

    private LogLines(Class<?> source) {
        logger = (Logger) LoggerFactory.getLogger(source);
        events.start();
        logger.addAppender(events);
    }

    /** Starts capturing what {@code source}'s logger logs. */
    public static LogLines of(Class<?> source) {
        return new LogLines(source);
    }

    /** The messages logged at {@code level} so far. */
    public List<String> at(Level level) {
        return events.list.stream().filter(e -> e.getLevel() == level).map(ILoggingEvent::getFormattedMessage).toList();
    }

    /** Every message logged so far. */
    public List<String> all() {
        return events.list.stream().map(ILoggingEvent::getFormattedMessage).toList();
    }

    @Override
    public void close() {
        logger.detachAppender(events);
    }
}
