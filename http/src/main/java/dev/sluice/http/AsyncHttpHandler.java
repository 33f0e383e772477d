package dev.sluice.http;

import java.util.concurrent.CompletionStage;

/**
 * Answers a request later, without blocking: returns at once a stage that completes with the
 * response, from any thread. Made into an {@link HttpHandler} by {@link HttpHandler#async}; see
 * there for where it runs and how its body is read.
 */
@FunctionalInterface
public interface AsyncHttpHandler {

    /**
     * Starts answering {@code request}; never blocks. The stage's response (never null) is sent
     * when it completes; its failure is answered as a handler's exception is (500, or an
     * {@link HttpException}'s own status).
     */
    CompletionStage<HttpResponse> handle(HttpRequest request) throws Exception;
}
