package dev.sluice.bench.peers;

import io.netty.util.AsciiString;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} header value (RFC 9110 5.6.7 IMF-fixdate) for the peers that do not send one
 * themselves (Netty), formatted once a second by a scheduled task, as the TechEmpower entries do.
 */
final class HttpDate {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US);

    private volatile AsciiString value = format();

    /** The current value; refreshed by {@link #refresh()}. */
    AsciiString value() {
        return value;
    }

    /** Formats the current second; call once a second. */
    void refresh() {
        value = format();
    }

    private static AsciiString format() {
        return new AsciiString(FORMAT.format(ZonedDateTime.now(ZoneOffset.UTC)));
    }
}
