package dev.sluice.core;

/**
 * A server's connection deadlines, read once from its {@link ServerConfig}: the timeouts in
 * nanoseconds (0: off) and the minimum data rates. {@link ConnectionState} applies them; no
 * engine keeps a copy.
 *
 * @param tickNanos how often the deadlines are swept ({@link Timer#tick})
 */
record Timeouts(long idleNanos, long headerNanos, long writeNanos, long requestNanos,
                MinDataRate minBodyRate, MinDataRate minResponseRate, long tickNanos) {

    /** No timeouts and no rates: a connection in any phase waits forever. */
    static final Timeouts NONE = new Timeouts(0, 0, 0, 0, MinDataRate.OFF, MinDataRate.OFF, 1_000_000_000L);

    static Timeouts of(ServerConfig c) {
        return new Timeouts(c.idleTimeout().toNanos(), c.headerTimeout().toNanos(), c.writeTimeout().toNanos(),
                c.requestTimeout().toNanos(), c.minBodyRate(), c.minResponseRate(), Timer.tick(c));
    }
}
