package io.retraintrigger.testing;

import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Keeps the console quiet while a test causes failures on purpose (a stopped coordinator, a flood of hostile
 * input): the named log categories log nothing below {@code level} until {@link #close()}, which gives them
 * back the level they had (usually none: inherited). Only for the window where the failures are the test's
 * own; what the test asserts is unchanged, and a failing assertion is reported by surefire as before.
 */
public final class QuietLogs implements AutoCloseable {
    /** Camel's error handler: an exhausted exchange at ERROR, with its message history and stack trace. */
    public static final String CAMEL_ERROR_HANDLER = "org.apache.camel.processor.errorhandler.DefaultErrorHandler";
    /** A Quartz-fired exchange that failed (the %test pipeline ticking fires every second). */
    public static final String CAMEL_QUARTZ_JOB = "org.apache.camel.component.quartz.CamelJob";
    /** The Pub/Sub consumer's WARN for a nacked message. */
    public static final String PUBSUB_CONSUMER = "org.apache.camel.component.google.pubsub.GooglePubsubConsumer";
    /** The WARN of every dead letter. */
    public static final String DEAD_LETTERS = "io.retraintrigger.ingest.DeadLetters";

    private final List<Logger> loggers = new ArrayList<>();
    private final List<Level> levels = new ArrayList<>();

    private QuietLogs(Level level, String... categories) {
        for (String category : categories) {
            Logger logger = Logger.getLogger(category);
            loggers.add(logger);
            levels.add(logger.getLevel());
            logger.setLevel(level);
        }
    }

    /** Nothing from these categories at all until closed. */
    public static QuietLogs off(String... categories) {
        return new QuietLogs(Level.OFF, categories);
    }

    /** Only ERROR (SEVERE) from these categories until closed. */
    public static QuietLogs errorsOnly(String... categories) {
        return new QuietLogs(Level.SEVERE, categories);
    }

    @Override
    public void close() {
        for (int i = 0; i < loggers.size(); i++) loggers.get(i).setLevel(levels.get(i));
    }
}
