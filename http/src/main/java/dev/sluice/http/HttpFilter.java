package dev.sluice.http;

import java.util.Objects;

/**
 * Code around a handler: it sees the request before the handler, the response after it, and may
 * answer instead of it or turn its exception into a response. Wrap a handler (a route's, or a
 * whole {@link Router}) with {@link #around}:
 *
 * <pre>{@code
 * HttpFilter poweredBy = (request, next) -> next.handle(request).withHeader("X-Powered-By", "Sluice");
 * HttpFilter apiKey = (request, next) -> "s3cret".equals(request.headers().get("X-Api-Key"))
 *         ? next.handle(request)
 *         : HttpResponse.text(401, "Unauthorized\n");
 * HttpHandler app = poweredBy.around(router.get("/admin/*", apiKey.around(admin)));
 * }</pre>
 *
 * <p>A filter runs on the handler's thread, once per request. An exception that escapes it is
 * answered as a handler's is (500; an {@link HttpException} its own status). Like
 * {@link HttpHandler}, a filter {@link #mayBlock() may block} unless declared with
 * {@link #nonBlocking}; the wrapped handler may block when either may.
 */
@FunctionalInterface
public interface HttpFilter {

    /**
     * The response to {@code request}: usually {@code next.handle(request)}, possibly changed, or
     * a response of the filter's own without calling {@code next}.
     */
    HttpResponse filter(HttpRequest request, HttpHandler next) throws Exception;

    /** Whether this filter may block its thread. Default true. */
    default boolean mayBlock() {
        return true;
    }

    /** {@code handler} with this filter around it. */
    default HttpHandler around(HttpHandler handler) {
        Objects.requireNonNull(handler, "handler");
        HttpFilter filter = this;
        boolean blocks = filter.mayBlock() || handler.mayBlock();
        return new HttpHandler() {
            @Override
            public HttpResponse handle(HttpRequest request) throws Exception {
                return Objects.requireNonNull(filter.filter(request, handler), "a filter answered null");
            }

            @Override
            public boolean mayBlock() {
                return blocks;
            }
        };
    }

    /** {@code filter}, declared never to block. */
    static HttpFilter nonBlocking(HttpFilter filter) {
        Objects.requireNonNull(filter, "filter");
        return new HttpFilter() {
            @Override
            public HttpResponse filter(HttpRequest request, HttpHandler next) throws Exception {
                return filter.filter(request, next);
            }

            @Override
            public boolean mayBlock() {
                return false;
            }
        };
    }
}
