package dev.sluice.cli;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Durations as the command line spells them: a whole number and a unit, {@code 500ms},
 * {@code 10s}, {@code 2m}, {@code 1h}, or a bare {@code 0} for off. Nothing else is accepted: no
 * bare numbers (is {@code 30} seconds or milliseconds?), no fractions, no signs, no spaces, no
 * ISO-8601, and nothing too long to count in nanoseconds (about 292 years).
 */
final class DurationConverter implements ITypeConverter<Duration> {
    private static final Pattern SYNTAX = Pattern.compile("([0-9]+)(ms|s|m|h)");

    @Override
    public Duration convert(String value) {
        return parse(value);
    }

    /** @throws TypeConversionException saying what is accepted */
    static Duration parse(String text) {
        if (text.equals("0")) {
            return Duration.ZERO;
        }
        Matcher m = SYNTAX.matcher(text);
        if (!m.matches()) {
            throw new TypeConversionException("'" + text + "' is not a duration; "
                    + "use a whole number and ms, s, m or h (500ms, 10s, 2m, 1h), or 0 for off");
        }
        try {
            long n = Long.parseLong(m.group(1));
            Duration d = switch (m.group(2)) {
                case "ms" -> Duration.ofMillis(n);
                case "s" -> Duration.ofSeconds(n);
                case "m" -> Duration.ofMinutes(n);
                default -> Duration.ofHours(n);
            };
            d.toNanos(); // the server counts in nanoseconds: reject what it cannot
            return d;
        } catch (NumberFormatException | ArithmeticException e) {
            throw new TypeConversionException("'" + text + "' is too long a duration");
        }
    }
}
