package dev.sluice.cli;

import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import java.util.logging.ConsoleHandler;
import java.util.logging.Handler;
import java.util.logging.Level;
import java.util.logging.Logger;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --log-level} ({@code @Mixin}), and where the logs go: the libraries log through
 * {@link System.Logger}, which the JDK hands to {@code java.util.logging}; {@link #apply()} sends
 * the {@code dev.sluice} tree to stderr, one line per record ({@link LineFormatter}).
 */
final class LogOptions {
    /** Held, not looked up each time: java.util.logging keeps loggers only weakly. */
    private static final Logger SLUICE = Logger.getLogger("dev.sluice");

    @Option(names = "--log-level", paramLabel = "<level>", defaultValue = "info",
            converter = LevelConverter.class, completionCandidates = LevelNames.class,
            description = "The least severe log records printed on stderr: "
                    + "${COMPLETION-CANDIDATES}.")
    LogLevel level;

    /** The levels, by the names of {@link System.Logger.Level}, with their java.util.logging twin. */
    enum LogLevel {
        OFF(Level.OFF), ERROR(Level.SEVERE), WARNING(Level.WARNING), INFO(Level.INFO),
        DEBUG(Level.FINE), TRACE(Level.ALL);

        final Level jul;

        LogLevel(Level jul) {
            this.jul = jul;
        }

        String cliName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** Sends the {@code dev.sluice} loggers to stderr at {@link #level}, replacing any earlier call. */
    void apply() {
        for (Handler h : SLUICE.getHandlers()) {
            SLUICE.removeHandler(h);
        }
        ConsoleHandler stderr = new ConsoleHandler(); // System.err, flushed after each record
        stderr.setFormatter(new LineFormatter());
        stderr.setLevel(level.jul);
        SLUICE.addHandler(stderr);
        SLUICE.setLevel(level.jul);
        SLUICE.setUseParentHandlers(false);
    }

    /** {@code --log-level}: a {@link LogLevel} name, any case; {@code warn} for warning. */
    static final class LevelConverter implements ITypeConverter<LogLevel> {
        @Override
        public LogLevel convert(String value) {
            String name = value.trim().toUpperCase(Locale.ROOT);
            for (LogLevel l : LogLevel.values()) {
                if (l.name().equals(name) || (l == LogLevel.WARNING && name.equals("WARN"))) {
                    return l;
                }
            }
            throw new TypeConversionException("unknown log level '" + value + "'; expected one of "
                    + String.join(", ", new LevelNames()));
        }
    }

    /** The level names, for {@code --help}. */
    static final class LevelNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(LogLevel.values()).map(LogLevel::cliName).iterator();
        }
    }
}
