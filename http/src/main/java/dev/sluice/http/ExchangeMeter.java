package dev.sluice.http;

import dev.sluice.core.Output;
import java.nio.ByteBuffer;

/**
 * What the {@link HttpCodec} tells about each exchange as it decodes and encodes: the bytes it
 * consumes, a request's first byte and end, and each response it writes. {@link ObservingMeter}
 * measures them for an {@link HttpObserver}; {@link #NONE}, for a server without one, does
 * nothing, so the codec calls the meter unconditionally. Used by the connection's codec thread only.
 */
interface ExchangeMeter {
    /** Measures nothing: a server without an observer. */
    ExchangeMeter NONE = new ExchangeMeter() {
        @Override
        public Output wrap(Output target) {
            return target;
        }
    };

    /** A decode call begins: count from the buffer's position. */
    default void enter(ByteBuffer in) {
    }

    /** Adds what was consumed since the last mark to the current request. */
    default void count(ByteBuffer in) {
    }

    /** Bytes consumed since the mark belong to no request (a refused body, discarded). */
    default void skip(ByteBuffer in) {
    }

    /** A request's first byte is about to be consumed: start its clock, once. */
    default void starting() {
    }

    /** A request is decoded whole: keep its bytes and start for its exchange; ready for the next. */
    default void decoded(HttpRequest request, ByteBuffer in) {
    }

    /** The {@link Output} a response to {@code target} is written through. */
    Output wrap(Output target);

    /** The response to the request decoded last is encoded. */
    default void answered() {
    }

    /**
     * The request being read got its answer (a refusal, an error, a timeout) before it was decoded
     * whole; {@code request} is {@code null} when its head was not read.
     */
    default void answeredEarly(HttpRequest request) {
    }
}
