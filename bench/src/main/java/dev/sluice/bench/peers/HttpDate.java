package dev.sluice.bench.peers;

import io.netty.util.AsciiString;
import java.time.InstantSource;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;

/**
 * The {@code Date} header value (RFC 9110 5.6.7 IMF-fixdate) for the peers that do not send one
 * themselves (Netty), formatted once a second by a scheduled task, as the TechEmpower entries do.
 */
final class HttpDate {
    private static final DateTimeFormatter FORMAT =
            DateTimeFormatter.ofPattern("EEE, dd MMM yyyy HH:mm:ss 'GMT'", Locale.US).withZone(ZoneOffset.UTC);

    private final InstantSource clock;
    private volatile AsciiString value;

    /** Reads the system clock. */
    HttpDate() {
        this(InstantSource.system());
    }

    /** Reads {@code clock}; tests pass a fixed one. */
    HttpDate(InstantSource clock) {
        this.clock = clock;
        this.value = format();
    }

    /** The current value; refreshed by {@link #refresh()}. */
    AsciiString value() {
        return value;
    }

    /** Formats the clock's current second; call once a second. */
    void refresh() {
        value = format();
    }

    private AsciiString format() {
        return new AsciiString(FORMAT.format(clock.instant()));
    }
}
