package dev.sluice.cli;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Sizes in bytes as the command line spells them, as nginx's {@code client_max_body_size} does: a
 * whole number of bytes, or of KiB, MiB or GiB with {@code k}, {@code m} or {@code g} after it
 * ({@code 512k}, {@code 10m}, {@code 4g}; either case). No fractions, signs, spaces or other units.
 */
final class SizeConverter implements ITypeConverter<Long> {
    private static final Pattern SYNTAX = Pattern.compile("([0-9]+)([kmg]?)");

    @Override
    public Long convert(String value) {
        return parse(value);
    }

    /** @throws TypeConversionException saying what is accepted */
    static long parse(String text) {
        Matcher m = SYNTAX.matcher(text.toLowerCase(Locale.ROOT));
        if (!m.matches()) {
            throw new TypeConversionException("'" + text + "' is not a size; use a whole number of "
                    + "bytes, or one with k, m or g after it (512k, 10m, 4g)");
        }
        int shift = switch (m.group(2)) {
            case "k" -> 10;
            case "m" -> 20;
            case "g" -> 30;
            default -> 0;
        };
        try {
            long n = Long.parseLong(m.group(1));
            if (n > Long.MAX_VALUE >> shift) {
                throw new NumberFormatException();
            }
            return n << shift;
        } catch (NumberFormatException e) {
            throw new TypeConversionException("'" + text + "' is too large a size");
        }
    }
}
