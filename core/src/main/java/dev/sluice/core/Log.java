package dev.sluice.core;

/**
 * The core's one logger, {@code dev.sluice.core}. Lines start with a stable {@code snake_case}
 * word ({@code request_timeout}, {@code fd_exhausted}), and carry {@code conn=ID} when about a
 * connection. Peer resets, end of stream and timeouts are DEBUG; anything else WARNING or above.
 */
final class Log {
    static final System.Logger CORE = System.getLogger("dev.sluice.core");

    private Log() {
    }
}
