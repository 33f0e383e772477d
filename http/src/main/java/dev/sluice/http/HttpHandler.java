package dev.sluice.http;

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
 * non-blocking, which runs on the loop only for requests that arrived whole.
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

    /** {@code handler}, declared never to block. */
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
        };
    }
}
