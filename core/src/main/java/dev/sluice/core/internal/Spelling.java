package dev.sluice.core.internal;

import java.time.Duration;

/** How Sluice writes an address and a duration for people, the same in the startup report and the CLI. */
public final class Spelling {
    private Spelling() {
    }

    /** {@code host:port}, with an IPv6 literal in brackets as in a URL: {@code [::1]:7}. */
    public static String hostPort(String host, int port) {
        boolean bare = host.indexOf(':') >= 0 && !host.startsWith("[");
        return (bare ? "[" + host + "]" : host) + ":" + port;
    }

    /**
     * {@code d} in the largest unit that is exact, as the CLI's duration flags read it: {@code 0},
     * {@code 250ms}, {@code 10s}, {@code 2m}, {@code 1h}. Parts of a millisecond are dropped.
     */
    public static String duration(Duration d) {
        long ms = d.toMillis();
        if (ms == 0) {
            return "0";
        }
        if (ms % 3_600_000 == 0) {
            return ms / 3_600_000 + "h";
        }
        if (ms % 60_000 == 0) {
            return ms / 60_000 + "m";
        }
        return ms % 1_000 == 0 ? ms / 1_000 + "s" : ms + "ms";
    }
}
