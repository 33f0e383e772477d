package dev.sluice.core;

import java.nio.ByteBuffer;

/**
 * A protocol's per-connection state machine, sans I/O: it turns bytes into requests and responses
 * into bytes and never touches a socket. One instance per connection, made by
 * {@link Protocol#newCodec(ConnectionInfo)}; the engine calls it from one thread at a time (the
 * connection's thread, or its event loop), so it needs no locking.
 *
 * <p>The engine's loop: read bytes, call {@link #decode} until it returns {@code null}, hand each
 * request to the {@link Handler}, {@link #encode} each response, write what was encoded, read
 * again. Requests are answered in the order they were decoded.
 *
 * @param <Q> the request type
 * @param <R> the response type
 */
public interface Codec<Q, R> {

    /**
     * Decodes the next request from {@code in}, which holds the bytes not yet consumed in read
     * order; it may arrive split at any byte. Consumes what it uses (advancing the position) and
     * leaves the rest, which is offered again with more bytes appended. The engine reuses
     * {@code in} once this returns, so the codec copies what it keeps and holds no view of it.
     *
     * @param out where the codec may write an interim response (HTTP: {@code 100 Continue})
     * @return a whole request, or {@code null} when more bytes are needed
     * @throws ProtocolException when the bytes can never form a valid request; the engine then
     *     calls {@link #encodeError} and closes the connection after writing
     */
    Q decode(ByteBuffer in, Output out) throws ProtocolException;

    /**
     * Gives the codec the stream it may read a body through while the handler runs. Every engine
     * calls it once, before the first {@link #decode}. A codec that uses it may return a request
     * whose body has not all arrived, with {@link #progress()} still {@link Progress#IN_BODY}: the
     * engine then runs the handler where it may block (on {@code event-loop}, a virtual thread,
     * even for a non-blocking handler), reads the socket only when the handler asks through
     * {@code stream}, and goes on decoding after the handler returns, so what the handler left of
     * the body passes through {@link #decode} again before the next request. Default: ignored, and
     * requests are decoded whole.
     */
    default void attach(RequestStream stream) {
    }

    /** Where a codec stands in the message it is decoding; see {@link #progress()}. */
    enum Progress {
        /** No byte of a next message consumed: the connection is idle. */
        BETWEEN_MESSAGES,
        /** Part, not all, of a message head consumed. */
        IN_HEAD,
        /** The head is complete; part of the body is still to come. */
        IN_BODY
    }

    /**
     * Where the codec stands, which decides the timeout of the next read: between messages (with
     * no bytes left over) the connection is idle and under {@link ServerConfig#idleTimeout()}, and
     * may be closed to make room or at shutdown; in a head, under
     * {@link ServerConfig#headerTimeout()} measured from the head's first byte; in a body, reads
     * must make progress within the idle timeout.
     */
    Progress progress();

    /**
     * Encodes {@code response} to the request decoded last.
     *
     * @param closing the server is shutting down and will close the connection after this
     *     response (HTTP: send {@code Connection: close})
     * @return whether the connection stays open for another request
     */
    boolean encode(R response, Output out, boolean closing);

    /** Encodes the answer to a request that failed to decode. The connection closes after it. */
    void encodeError(ProtocolException error, Output out);

    /**
     * Encodes the answer to a request whose handler threw (HTTP: 500).
     *
     * @return whether the connection stays open for another request
     */
    boolean encodeFailure(Throwable failure, Output out, boolean closing);

    /**
     * Encodes the answer to a client that did not send a whole head within the header timeout
     * (HTTP: 408). The connection closes after it.
     */
    void encodeTimeout(Output out);

    /**
     * Encodes the answer to a request whose handler did not return within
     * {@link ServerConfig#requestTimeout()} (HTTP: 503). The connection closes after it. Called
     * while the handler may still run, possibly on another thread than the one that decoded the
     * request (the blocking engines' timer), but never at the same time as another method of
     * this codec. Default: nothing is sent.
     */
    default void encodeRequestTimeout(Output out) {
    }
}
