package dev.sluice.core;

import java.util.Locale;

/**
 * What the server does with a newcomer when {@link ServerConfig#maxConnections()} connections are
 * open and no connection idle for {@link ServerConfig#EVICTABLE_AFTER_IDLE} can be closed to make room.
 */
public enum OverloadPolicy {
    /** Stop accepting: the kernel's listen backlog holds newcomers until a slot frees. */
    WAIT,
    /**
     * Accept and turn the newcomer away at once with the protocol's rejection bytes (HTTP: 503 with
     * {@code Retry-After}), then close. Counted in {@link Stats#rejected()}.
     */
    REJECT;

    /** The policy named {@code wait} or {@code reject} (case-insensitive). */
    public static OverloadPolicy fromName(String name) {
        return switch (name.trim().toLowerCase(Locale.ROOT)) {
            case "wait" -> WAIT;
            case "reject" -> REJECT;
            default -> throw new IllegalArgumentException(
                    "unknown overload policy '" + name + "'; expected wait or reject");
        };
    }

    @Override
    public String toString() {
        return name().toLowerCase(Locale.ROOT);
    }
}
