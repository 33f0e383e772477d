package dev.sluice.http;

import java.time.DateTimeException;
import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * HTTP-dates (RFC 9110 5.6.7): formats IMF-fixdate, and parses all three forms a recipient must
 * accept: IMF-fixdate ({@code Sun, 06 Nov 1994 08:49:37 GMT}), the obsolete RFC 850 form
 * ({@code Sunday, 06-Nov-94 08:49:37 GMT}) and asctime ({@code Sun Nov  6 08:49:37 1994}).
 * Stateless and thread-safe.
 */
final class HttpDates {
    /** What {@link #parse} returns for a value that is not an HTTP-date. */
    static final long INVALID = Long.MIN_VALUE;
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);
    private static final String MONTHS = "JanFebMarAprMayJunJulAugSepOctNovDec";
    private static final String[] DAYS = {"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"};
    private static final String[] LONG_DAYS =
            {"Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"};

    private HttpDates() {
    }

    /** {@code epochSecond} as an IMF-fixdate. */
    static String format(long epochSecond) {
        return IMF_FIXDATE.format(Instant.ofEpochSecond(epochSecond));
    }

    /**
     * The epoch second {@code value} names, or {@link #INVALID}. The day name must be one of the
     * seven, but need not agree with the date (recipients are lenient there, as nginx is).
     *
     * @param now the current epoch second, to place the two-digit years of RFC 850 dates
     */
    static long parse(String value, long now) {
        String v = value.strip();
        try {
            int comma = v.indexOf(',');
            if (comma == 3 && day(v, comma, DAYS) && v.charAt(4) == ' ') {
                // IMF-fixdate: "Sun, 06 Nov 1994 08:49:37 GMT"
                return dateTime(v, 5, ' ', 4);
            }
            if (comma > 3 && day(v, comma, LONG_DAYS) && v.charAt(comma + 1) == ' ') {
                // RFC 850: "Sunday, 06-Nov-94 08:49:37 GMT"
                return placeTwoDigitYear(dateTime(v, comma + 2, '-', 2), now);
            }
            if (comma < 0 && v.length() == 24 && day(v, 3, DAYS) && v.charAt(3) == ' '
                    && v.charAt(7) == ' ' && v.charAt(10) == ' ' && v.charAt(19) == ' ') {
                // asctime: "Sun Nov  6 08:49:37 1994", the day space-padded: rewritten as IMF.
                String day = v.charAt(8) == ' ' ? "0" + v.charAt(9) : v.substring(8, 10);
                return dateTime(day + " " + v.substring(4, 7) + " " + v.substring(20, 24) + " "
                        + v.substring(11, 19) + " GMT", 0, ' ', 4);
            }
        } catch (NumberFormatException | DateTimeException | IndexOutOfBoundsException e) {
            return INVALID;
        }
        return INVALID;
    }

    /** Whether {@code v} starts with one of {@code names}, exactly {@code end} characters long. */
    private static boolean day(String v, int end, String[] names) {
        for (String n : names) {
            if (n.length() == end && v.startsWith(n)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Parses {@code DD?Mon?YYYY HH:MM:SS GMT} from {@code at} to the end of {@code v}, with
     * {@code sep} for "?" and a year of {@code yearDigits} digits.
     */
    private static long dateTime(String v, int at, char sep, int yearDigits) {
        int timeAt = at + 8 + yearDigits;
        if (v.length() != timeAt + 12 || v.charAt(at + 2) != sep || v.charAt(at + 6) != sep
                || v.charAt(timeAt - 1) != ' ' || v.charAt(timeAt + 2) != ':' || v.charAt(timeAt + 5) != ':'
                || !v.startsWith(" GMT", timeAt + 8)) {
            throw new NumberFormatException("not an HTTP-date");
        }
        int month = MONTHS.indexOf(v.substring(at + 3, at + 6));
        if (month < 0 || month % 3 != 0) {
            throw new NumberFormatException("unknown month");
        }
        return LocalDateTime.of(digits(v, at + 7, yearDigits), month / 3 + 1, digits(v, at, 2),
                digits(v, timeAt, 2), digits(v, timeAt + 3, 2), digits(v, timeAt + 6, 2))
                .toEpochSecond(ZoneOffset.UTC);
    }

    private static int digits(String v, int at, int n) {
        int value = 0;
        for (int i = at; i < at + n; i++) {
            char c = v.charAt(i);
            if (c < '0' || c > '9') {
                throw new NumberFormatException("not a digit");
            }
            value = value * 10 + (c - '0');
        }
        return value;
    }

    /**
     * RFC 9110 5.6.7: a two-digit year more than 50 years in the future is the most recent past
     * year with the same last two digits. {@code seconds} was parsed with the year as 00..99.
     */
    private static long placeTwoDigitYear(long seconds, long now) {
        LocalDateTime t = LocalDateTime.ofEpochSecond(seconds, 0, ZoneOffset.UTC);
        int nowYear = LocalDateTime.ofEpochSecond(now, 0, ZoneOffset.UTC).getYear();
        int year = nowYear - Math.floorMod(nowYear, 100) + t.getYear();
        if (year > nowYear + 50) {
            year -= 100;
        }
        return t.withYear(year).toEpochSecond(ZoneOffset.UTC);
    }
}
