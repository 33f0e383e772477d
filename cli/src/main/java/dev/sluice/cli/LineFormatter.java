package dev.sluice.cli;

import java.text.MessageFormat;
import java.time.ZoneId;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import java.util.logging.Formatter;
import java.util.logging.Level;
import java.util.logging.LogRecord;

/**
 * One line per log record: local time with its offset, the level by its {@link System.Logger}
 * name, the message. A thrown exception is appended as its {@code toString()}, and line breaks
 * inside a message are escaped, so each record stays one line for {@code grep}.
 *
 * <pre>2026-11-25T18:02:03.123+01:00 INFO shutdown_started signal=TERM timeout=30s</pre>
 */
final class LineFormatter extends Formatter {
    private static final DateTimeFormatter TIME =
            DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm:ss.SSSXXX");

    private final ZoneId zone;

    LineFormatter() {
        this(ZoneId.systemDefault());
    }

    LineFormatter(ZoneId zone) {
        this.zone = zone;
    }

    @Override
    public String format(LogRecord record) {
        StringBuilder line = new StringBuilder(96)
                .append(TIME.format(record.getInstant().atZone(zone)))
                .append(' ').append(levelName(record.getLevel()))
                .append(' ').append(escape(message(record)));
        if (record.getThrown() != null) {
            line.append(": ").append(escape(record.getThrown().toString()));
        }
        return line.append(System.lineSeparator()).toString();
    }

    /** The {@link System.Logger.Level} name of a java.util.logging level. */
    static String levelName(Level level) {
        int v = level.intValue();
        if (v >= Level.SEVERE.intValue()) {
            return "ERROR";
        } else if (v >= Level.WARNING.intValue()) {
            return "WARNING";
        } else if (v >= Level.INFO.intValue()) {
            return "INFO";
        } else if (v >= Level.FINE.intValue()) {
            return "DEBUG";
        }
        return "TRACE";
    }

    /**
     * The message with its {@code {0}} parameters filled in. Numbers are written plainly
     * ({@code conn=12345}, not the locale's {@code conn=12,345}), so logs stay machine-readable.
     */
    private static String message(LogRecord record) {
        String msg = record.getMessage();
        Object[] params = record.getParameters();
        if (msg == null || params == null || params.length == 0) {
            return String.valueOf(msg);
        }
        try {
            MessageFormat format = new MessageFormat(msg, Locale.ROOT);
            // A number in a plain {0} is written as text; one in {0,number,#} (the core's
            // connection ids) must reach its number format as a number.
            java.text.Format[] byArgument = format.getFormatsByArgumentIndex();
            Object[] plain = new Object[params.length];
            for (int i = 0; i < params.length; i++) {
                boolean formatted = i < byArgument.length && byArgument[i] != null;
                plain[i] = params[i] instanceof Number && !formatted ? params[i].toString() : params[i];
            }
            return format.format(plain);
        } catch (IllegalArgumentException e) {
            return msg;
        }
    }

    private static String escape(String s) {
        return s.replace("\r", "\\r").replace("\n", "\\n");
    }
}
