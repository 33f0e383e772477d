package dev.sluice.core;

import java.time.Duration;
import java.util.stream.Stream;

/**
 * A server's connection deadlines, read once from its {@link ServerConfig}: the timeouts in
 * nanoseconds (0: off) and the minimum data rates. {@link ConnectionState} applies them; no
 * engine keeps a copy.
 *
 * @param tickNanos how often the deadlines are swept ({@link #tick})
 * @param acks what the minimum response rate asks of the kernel ({@link ResponsePace}); null when
 *     the kernel does not say or the rate is off
 */
record Timeouts(long idleNanos, long headerNanos, long writeNanos, long requestNanos,
                MinDataRate minBodyRate, MinDataRate minResponseRate, long tickNanos, long handshakeNanos,
                NativeSocketOptions.AckCounter acks) {

    /** No timeouts and no rates: a connection in any phase waits forever. */
    static final Timeouts NONE =
            new Timeouts(0, 0, 0, 0, MinDataRate.OFF, MinDataRate.OFF, 1_000_000_000L, 0, null);

    static Timeouts of(ServerConfig c) {
        return new Timeouts(c.idleTimeout().toNanos(), c.headerTimeout().toNanos(), c.writeTimeout().toNanos(),
                c.requestTimeout().toNanos(), c.minBodyRate(), c.minResponseRate(), tick(c),
                c.tls() == null ? 0 : c.tlsHandshakeTimeout().toNanos(),
                c.minResponseRate().isOff() ? null : ListenerOptions.ackCounter());
    }

    /** An eighth of the shortest enabled timeout, clamped to [10 ms, 1 s]. */
    static long tick(ServerConfig c) {
        // Minimum data rates are left out: a client cut up to a tick late for slowness loses nothing.
        long eighth = Stream.of(c.idleTimeout(), c.headerTimeout(), c.writeTimeout(), c.requestTimeout(),
                        c.tls() == null ? Duration.ZERO : c.tlsHandshakeTimeout())
                .filter(d -> !d.isZero()).mapToLong(Duration::toNanos).min().orElse(Long.MAX_VALUE) / 8;
        return Math.max(10_000_000L, Math.min(1_000_000_000L, eighth));
    }
}
