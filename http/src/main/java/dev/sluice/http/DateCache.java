package dev.sluice.http;

import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} header line (RFC 9110 6.6.1, IMF-fixdate), formatted at most once per second of
 * the clock and shared by every connection. Thread-safe without locks: readers take a volatile
 * reference to an immutable entry; when the second has moved on, whoever notices formats a new
 * one and publishes it (two threads may both format at the turn of a second; both are right).
 */
final class DateCache {
    static final DateCache SYSTEM = new DateCache(InstantSource.system());
    private static final DateTimeFormatter IMF_FIXDATE =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US)
                    .withZone(ZoneOffset.UTC);

    private record Entry(long second, byte[] line) {
    }

    private final InstantSource clock;
    private volatile Entry current = new Entry(Long.MIN_VALUE, null);

    DateCache(InstantSource clock) {
        this.clock = clock;
    }

    /**
     * {@code Date: <IMF-fixdate>\r\n} for the clock's current second. The same array is returned
     * throughout a second: callers must not change it.
     */
    byte[] line() {
        long second = Math.floorDiv(clock.millis(), 1000);
        Entry e = current;
        if (e.second != second) {
            String date = IMF_FIXDATE.format(Instant.ofEpochSecond(second));
            e = new Entry(second, ("Date: " + date + "\r\n").getBytes(StandardCharsets.US_ASCII));
            current = e;
        }
        return e.line;
    }
}
