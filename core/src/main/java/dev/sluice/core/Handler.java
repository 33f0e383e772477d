package dev.sluice.core;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Turns one decoded request into one response. Called for each request in the order the
 * requests arrived; never twice at once for the same connection.
 *
 * <p>On the blocking engines it runs on the connection's thread and may block. On
 * {@code event-loop} a handler that {@link #mayBlock() may block} is run on a virtual thread of its
 * own while the loop serves other connections; one that declares it never blocks (see
 * {@link #nonBlocking(Handler)}) runs inline on the loop thread, which is fastest but stalls every
 * connection of that loop if it does block after all. A request the codec hands over before its
 * body has arrived ({@link Codec#attach}) goes to a virtual thread either way, where the handler
 * may wait for the body.
 *
 * @param <Q> the request type
 * @param <R> the response type
 */
@FunctionalInterface
public interface Handler<Q, R> {

    /**
     * Answers {@code request}. An exception is passed to {@link Codec#encodeFailure} (HTTP: 500)
     * and the server carries on. A call that outlasts {@link ServerConfig#requestTimeout()} is
     * interrupted, and what it returns afterwards is discarded: the client was already answered
     * by {@link Codec#encodeRequestTimeout}. A non-blocking handler on {@code event-loop} is never
     * timed out.
     */
    R handle(Q request) throws Exception;

    /**
     * Whether this handler answers through {@link #handleAsync} instead of {@link #handle}.
     * Default false.
     */
    default boolean answersLater() {
        return false;
    }

    /**
     * For a handler that {@link #answersLater()}: starts answering {@code request} and returns at
     * once, without blocking; the answer is the stage's result, from whichever thread completes it.
     * {@code event-loop} calls it on the loop thread, a streamed body included (read it through
     * {@link RequestStream#execute} and {@link RequestStream#fillLater}); the blocking engines wait
     * for the stage on the connection's thread. When the request timeout passes first, the stage is
     * cancelled, and its answer discarded. Default: {@link #handle}'s answer, complete.
     */
    default CompletionStage<R> handleAsync(Q request) throws Exception {
        return CompletableFuture.completedFuture(handle(request));
    }

    /** Whether this handler may block its thread (on I/O, locks, sleeps). Default true. */
    default boolean mayBlock() {
        return true;
    }

    /** {@code handler}, declared never to block: {@code event-loop} runs it on the loop thread. */
    static <Q, R> Handler<Q, R> nonBlocking(Handler<Q, R> handler) {
        return new Handler<>() {
            @Override
            public R handle(Q request) throws Exception {
                return handler.handle(request);
            }

            @Override
            public boolean mayBlock() {
                return false;
            }
        };
    }
}
