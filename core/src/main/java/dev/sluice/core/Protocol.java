package dev.sluice.core;

import java.util.Objects;
import java.util.function.Function;

/**
 * A protocol served on every engine: a codec per connection plus one handler for all of them,
 * and the bytes sent to a client turned away by {@link OverloadPolicy#REJECT}.
 *
 * @param <Q> the request type
 * @param <R> the response type
 */
public final class Protocol<Q, R> {
    private final Function<ConnectionInfo, Codec<Q, R>> codecs;
    private final Handler<Q, R> handler;
    private final byte[] rejection;
    private final byte[] plaintextAnswer;

    private Protocol(Function<ConnectionInfo, Codec<Q, R>> codecs, Handler<Q, R> handler,
                     byte[] rejection, byte[] plaintextAnswer) {
        this.codecs = Objects.requireNonNull(codecs, "codecs");
        this.handler = Objects.requireNonNull(handler, "handler");
        this.rejection = rejection;
        this.plaintextAnswer = plaintextAnswer;
    }

    /**
     * A protocol whose codecs come from {@code codecs} (called once per connection, on the thread
     * that will drive the codec) and whose requests go to {@code handler}. Rejected clients are
     * closed without a word until {@link #withRejection} says otherwise.
     */
    public static <Q, R> Protocol<Q, R> of(Function<ConnectionInfo, Codec<Q, R>> codecs,
                                           Handler<Q, R> handler) {
        return new Protocol<>(codecs, handler, new byte[0], new byte[0]);
    }

    /** This protocol, sending {@code bytes} to each client turned away at the connection limit. */
    public Protocol<Q, R> withRejection(byte[] bytes) {
        return new Protocol<>(codecs, handler, bytes.clone(), plaintextAnswer);
    }

    /**
     * This protocol, sending {@code bytes} in clear to a client that speaks plain text (its first
     * byte an ASCII capital, as an HTTP method is) to a TLS listener, before it is closed. HTTP
     * answers 400 and says to use https, as nginx does.
     */
    public Protocol<Q, R> withPlaintextAnswer(byte[] bytes) {
        return new Protocol<>(codecs, handler, rejection, bytes.clone());
    }

    /** A new codec for one connection. */
    public Codec<Q, R> newCodec(ConnectionInfo connection) {
        return codecs.apply(connection);
    }

    public Handler<Q, R> handler() {
        return handler;
    }

    /** The bytes sent to a rejected client before it is closed; may be empty. */
    public byte[] rejection() {
        return rejection.clone();
    }

    /** The bytes sent in clear to a plain-text client of a TLS listener; may be empty. */
    public byte[] plaintextAnswer() {
        return plaintextAnswer.clone();
    }

}
