package dev.sluice.http;

import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;

/**
 * Answers a request. Called once per request, in the order requests arrived on a connection, never
 * twice at once for the same connection; different connections call it concurrently, so a handler
 * shared by all of them must be thread-safe.
 *
 * <p>By default a handler {@link #mayBlock() may block} (on I/O, locks, sleeps): the blocking
 * engines run it on the connection's thread and {@code event-loop} on a virtual thread of its own.
 * Wrap it with {@link #nonBlocking} to declare that it never blocks, and {@code event-loop} runs it
 * inline on the loop thread, which is fastest and stalls that loop's connections if it blocks after
 * all.
 *
 * <p>A handler gets the request as soon as its head is in; a body still on its way is read as the
 * handler reads it ({@link HttpRequest#bodyStream()}), on a thread that may wait for it: on
 * {@code event-loop} such a request goes to a virtual thread even when the handler is declared
 * non-blocking, which runs on the loop only for requests that arrived whole. A handler made with
 * {@link #async} answers later and runs on the loop either way, reading the body through
 * {@link HttpRequest#bodyPublisher()} without a thread waiting for it.
 *
 * <p>An exception becomes a 500 ({@link HttpException}: its own status) and the connection stays
 * usable, once what the handler left of the body is discarded (or, when that is not cheap, the
 * connection closes after the answer).
 */
@FunctionalInterface
public interface HttpHandler {

    /** The response to {@code request}; never {@code null}. */
    HttpResponse handle(HttpRequest request) throws Exception;

    /** Whether this handler may block its thread. Default true. */
    default boolean mayBlock() {
        return true;
    }

    /** Whether the server should call {@link #handleAsync} rather than {@link #handle}. Default false. */
    default boolean answersLater() {
        return false;
    }

    /**
     * The response to {@code request}, later: what the server calls when this handler
     * {@link #answersLater()}. Default: {@link #handle}'s response, complete.
     */
    default CompletionStage<HttpResponse> handleAsync(HttpRequest request) throws Exception {
        return CompletableFuture.completedFuture(handle(request));
    }

    /**
     * {@code handler}, which answers later and never blocks. On {@code event-loop} it runs on the
     * loop thread, a request whose body is still on its way included, and no thread waits for its
     * answer: the body comes through {@link HttpRequest#bodyPublisher()}, read from the socket as
     * the subscriber asks, on the loop thread. The blocking engines run it on the connection's
     * thread, which then waits for the answer and reads the body for the subscriber. The request
     * timeout cancels the stage (the client gets 503). Called through {@link #handle} (by a
     * {@link HttpFilter} or a {@link Router}), it is waited for on a thread that may block.
     */
    static HttpHandler async(AsyncHttpHandler handler) {
        Objects.requireNonNull(handler, "handler");
        return new HttpHandler() {
            @Override
            public HttpResponse handle(HttpRequest request) throws Exception {
                try {
                    return Objects.requireNonNull(request.await(handler.handle(request)), "handler answered null");
                } catch (ExecutionException e) {
                    throw e.getCause() instanceof Exception cause ? cause : e;
                }
            }

            @Override
            public boolean answersLater() {
                return true;
            }

            @Override
            public CompletionStage<HttpResponse> handleAsync(HttpRequest request) throws Exception {
                return handler.handle(request);
            }
        };
    }

    /** {@code handler}, declared never to block; one that answers later still does. */
    static HttpHandler nonBlocking(HttpHandler handler) {
        return new HttpHandler() {
            @Override
            public HttpResponse handle(HttpRequest request) throws Exception {
                return handler.handle(request);
            }

            @Override
            public boolean mayBlock() {
                return false;
            }

            @Override
            public boolean answersLater() {
                return handler.answersLater();
            }

            @Override
            public CompletionStage<HttpResponse> handleAsync(HttpRequest request) throws Exception {
                return handler.handleAsync(request);
            }
        };
    }
}
