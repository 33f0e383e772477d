package dev.sluice.cli;

import dev.sluice.metrics.AccessLog;
import dev.sluice.metrics.AccessLogFormat;
import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Iterator;
import java.util.Locale;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

/**
 * {@code --access-log} and {@code --access-log-format} ({@code @Mixin}): whether and how the
 * {@link AccessLog} is written. Off unless a file (or {@code -} for stdout) is given. Each flag
 * falls back to its {@code SLUICE_*} variable through {@link FlagDefaults}.
 */
final class AccessLogOptions {
    /** The {@code --access-log} value that means standard output. */
    static final String STDOUT = "-";

    @Option(names = "--access-log", paramLabel = "<file>", description = "Write a line per "
            + "response to this file (appended, created if missing), or to stdout for -. Off "
            + "unless set.")
    String target;

    @Option(names = "--access-log-format", paramLabel = "<format>", defaultValue = "combined",
            converter = FormatConverter.class, completionCandidates = FormatNames.class,
            description = "Access log lines: ${COMPLETION-CANDIDATES} (Apache's and nginx's "
                    + "formats, or one JSON object per line).")
    AccessLogFormat format;

    /** Whether an access log was asked for. */
    boolean enabled() {
        return target != null && !target.isEmpty();
    }

    /**
     * {@code serve}'s console line: these options when they name a log or when {@code quiet};
     * otherwise a log in the {@link AccessLogFormat#COMMON common} format on stdout, the line per
     * request that jwebserver and {@code python -m http.server} print.
     */
    AccessLogOptions orConsole(boolean quiet) {
        if (enabled() || quiet) {
            return this;
        }
        AccessLogOptions console = new AccessLogOptions();
        console.target = STDOUT;
        console.format = AccessLogFormat.COMMON;
        return console;
    }

    /**
     * Opens the log: appends to the file, or writes to stdout, in the local time zone.
     *
     * @throws IllegalArgumentException when the file cannot be opened, saying why
     */
    AccessLog open() {
        try {
            return target.equals(STDOUT) ? AccessLog.stdout(format) : AccessLog.open(Path.of(target), format);
        } catch (IOException | RuntimeException e) {
            String why = e.getMessage() != null ? e.getMessage() : e.getClass().getSimpleName();
            if (e instanceof NoSuchFileException) {
                why = "no such directory";
            } else if (e instanceof AccessDeniedException) {
                why = "permission denied";
            }
            throw new IllegalArgumentException("cannot open --access-log " + target + ": " + why, e);
        }
    }

    /** {@code --access-log-format}: a format name, any case. */
    static final class FormatConverter implements ITypeConverter<AccessLogFormat> {
        @Override
        public AccessLogFormat convert(String value) {
            try {
                return AccessLogFormat.valueOf(value.trim().toUpperCase(Locale.ROOT));
            } catch (IllegalArgumentException e) {
                throw new TypeConversionException("unknown access log format '" + value
                        + "'; expected one of " + String.join(", ", new FormatNames()));
            }
        }
    }

    /** The format names, for {@code --help}. */
    static final class FormatNames implements Iterable<String> {
        @Override
        public Iterator<String> iterator() {
            return Arrays.stream(AccessLogFormat.values()).map(AccessLogFormat::cliName).iterator();
        }
    }
}
