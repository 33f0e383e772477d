package dev.sluice.http;

import dev.sluice.core.Handler;
import dev.sluice.core.Protocol;
import java.util.Objects;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.function.LongSupplier;

/**
 * HTTP/1.1 as a core {@link Protocol}: the one entry point of this module.
 *
 * <pre>{@code
 * Router router = new Router().get("/hello/{name}", r -> HttpResponse.ok("hi " + r.pathParam("name")));
 * try (Server server = Server.create(ServerConfig.defaults(), HttpProtocol.create(router)).start()) {
 *     ...
 * }
 * }</pre>
 *
 * <p>Each connection gets its own codec; every connection shares {@code handler}. A client
 * turned away at the server's connection limit gets {@code 503 Service Unavailable} with
 * {@code Retry-After} ({@link HttpConfig#retryAfter()}) and {@code Connection: close}; one that
 * does not send a whole head within the server's header timeout gets 408.
 */
public final class HttpProtocol {
    private HttpProtocol() {
    }

    /** HTTP with {@link HttpConfig#defaults()}. */
    public static Protocol<HttpRequest, HttpResponse> create(HttpHandler handler) {
        return create(HttpConfig.defaults(), handler);
    }

    /** HTTP with {@code config}; see {@link HttpHandler#nonBlocking} to declare a handler non-blocking. */
    public static Protocol<HttpRequest, HttpResponse> create(HttpConfig config, HttpHandler handler) {
        return create(config, handler, null, DateCache.SYSTEM, System::nanoTime);
    }

    /**
     * HTTP with {@code config}, telling {@code observer} of every exchange once its response is
     * encoded, errors included; see {@link HttpObserver} for what it sees and on which thread.
     */
    public static Protocol<HttpRequest, HttpResponse> create(HttpConfig config, HttpHandler handler,
                                                             HttpObserver observer) {
        return create(config, handler, Objects.requireNonNull(observer, "observer"),
                DateCache.SYSTEM, System::nanoTime);
    }

    static Protocol<HttpRequest, HttpResponse> create(HttpConfig config, HttpHandler handler,
                                                      DateCache dates) {
        return create(config, handler, null, dates, System::nanoTime);
    }

    /** {@code handler} as the core sees it: blocking or not, answering now or later; never a null answer. */
    private static Handler<HttpRequest, HttpResponse> adapt(HttpHandler handler) {
        if (handler.answersLater()) {
            return new Handler<>() {
                @Override
                public HttpResponse handle(HttpRequest request) throws Exception {
                    return Objects.requireNonNull(handler.handle(request), "handler returned null");
                }

                @Override
                public boolean answersLater() {
                    return true;
                }

                @Override
                public CompletionStage<HttpResponse> handleAsync(HttpRequest request) throws Exception {
                    CompletableFuture<HttpResponse> answer =
                            Objects.requireNonNull(handler.handleAsync(request), "handler returned null")
                                    .toCompletableFuture();
                    CompletableFuture<HttpResponse> checked =
                            answer.thenApply(r -> Objects.requireNonNull(r, "handler answered null"));
                    checked.whenComplete((r, e) -> {
                        if (checked.isCancelled()) {
                            answer.cancel(true); // the request timeout: the handler's own stage hears of it
                        }
                    });
                    return checked;
                }
            };
        }
        Handler<HttpRequest, HttpResponse> adapter =
                request -> Objects.requireNonNull(handler.handle(request), "handler returned null");
        return handler.mayBlock() ? adapter : Handler.nonBlocking(adapter);
    }

    /** @param observer {@code null} for none; {@code nanos} is its clock */
    static Protocol<HttpRequest, HttpResponse> create(HttpConfig config, HttpHandler handler,
                                                      HttpObserver observer, DateCache dates,
                                                      LongSupplier nanos) {
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(handler, "handler");
        Handler<HttpRequest, HttpResponse> adapter = adapt(handler);
        byte[] serverLine = config.serverLine();
        return Protocol.<HttpRequest, HttpResponse>of(
                        info -> new HttpCodec(config, info, dates, observer, nanos, serverLine), adapter)
                .withRejection(ResponseWriter.rejection(config.retryAfter().toSeconds(), serverLine))
                .withPlaintextAnswer(ResponseWriter.plainHttpToTls(serverLine));
    }
}
