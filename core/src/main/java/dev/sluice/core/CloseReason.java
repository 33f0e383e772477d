package dev.sluice.core;

import java.util.Locale;

/** Why a connection was closed; each is counted in {@link Stats#closes(CloseReason)}. */
public enum CloseReason {
    /** The client closed, or the protocol decided the exchange was over. */
    NORMAL,
    /** No byte of a next request, or no progress within a message, for the idle timeout. */
    IDLE,
    /** A message head was not complete within the header timeout. */
    HEADER_TIMEOUT,
    /** A write made no progress for the write timeout. */
    WRITE_TIMEOUT,
    /** A handler did not answer within the request timeout. */
    REQUEST_TIMEOUT,
    /** A request body arrived slower than the minimum body rate. */
    MIN_BODY_RATE,
    /** The client read responses slower than the minimum response rate. */
    MIN_RESPONSE_RATE,
    /**
     * Closed to keep within a connection limit: rejected at the server's or the client IP's limit,
     * or idle and evicted for a newcomer.
     */
    LIMIT,
    /**
     * Shed at the connection limit to admit a newcomer: of the connections whose client reads a
     * response or sends a body below its minimum rate after the grace, the slowest.
     */
    LEAST_PROGRESS,
    /** A TLS handshake was not done within the handshake timeout. */
    TLS_HANDSHAKE_TIMEOUT,
    /**
     * On a PROXY protocol listener ({@link ServerConfig#proxyProtocol()}): the peer is not a
     * trusted proxy, or it sent no valid PROXY header within the header timeout.
     */
    PROXY_REFUSED,
    /** Closed by shutdown or close. */
    SHUTDOWN,
    /** A protocol error, a peer reset or another I/O failure. */
    ERROR;

    private final String logName = name().toLowerCase(Locale.ROOT);

    /**
     * Whether the client is cut while sending a request, and so is told with
     * {@link Codec#encodeTimeout} (HTTP: 408) before the close.
     */
    boolean cutsARequest() {
        return this == HEADER_TIMEOUT || this == MIN_BODY_RATE;
    }

    /**
     * Whether the connection is reset rather than closed (SO_LINGER 0): a client that does not
     * take what it was sent would otherwise keep it, and the kernel memory holding it, after the
     * close (FIN_WAIT1 with a full send queue), and would not see the close until it had read it.
     */
    boolean resets() {
        return this == WRITE_TIMEOUT || this == MIN_RESPONSE_RATE || this == LEAST_PROGRESS;
    }

    /** The stable log word, for example {@code header_timeout}. */
    public String logName() {
        return logName;
    }
}
