package dev.sluice.core;

import java.text.MessageFormat;
import java.util.ArrayList;
import java.util.List;
import java.util.ResourceBundle;
import java.util.function.Supplier;

/**
 * The log sink of the tests, installed as the {@link System.LoggerFinder} service: every record
 * of every level goes into an in-memory list ({@link ServerLog} prints it when a test fails);
 * WARNING and above also go to stderr at once.
 */
public final class CapturingLoggerFinder extends System.LoggerFinder {
    private static final int MAX_RECORDS = 10_000;
    private static final List<String> LINES = new ArrayList<>();

    static List<String> drain() {
        synchronized (LINES) {
            List<String> copy = List.copyOf(LINES);
            LINES.clear();
            return copy;
        }
    }

    /** The records so far, left in place. */
    static List<String> lines() {
        synchronized (LINES) {
            return List.copyOf(LINES);
        }
    }

    static void clear() {
        synchronized (LINES) {
            LINES.clear();
        }
    }

    @Override
    public System.Logger getLogger(String name, Module module) {
        return new System.Logger() {
            @Override
            public String getName() {
                return name;
            }

            @Override
            public boolean isLoggable(Level level) {
                return true;
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String msg, Throwable thrown) {
                record(level, msg + (thrown == null ? "" : " " + thrown));
            }

            @Override
            public void log(Level level, ResourceBundle bundle, String format, Object... params) {
                record(level, params == null || params.length == 0 ? format
                        : MessageFormat.format(format, params));
            }

            @Override
            public void log(Level level, Supplier<String> supplier) {
                record(level, supplier.get());
            }
        };
    }

    private static void record(System.Logger.Level level, String message) {
        String line = level + " [" + Thread.currentThread().getName() + "] " + message;
        if (level.compareTo(System.Logger.Level.WARNING) >= 0) {
            System.err.println(line);
        }
        synchronized (LINES) {
            if (LINES.size() < MAX_RECORDS) {
                LINES.add(line);
            }
        }
    }
}
