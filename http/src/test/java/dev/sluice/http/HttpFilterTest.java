package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** Filters: after, short-circuit, exception mapping, order, and what they declare about blocking. */
class HttpFilterTest {
    private final AtomicInteger calls = new AtomicInteger();
    private final HttpHandler handler = request -> {
        calls.incrementAndGet();
        if (request.rawPath().equals("/boom")) {
            throw new IllegalStateException("boom");
        }
        return HttpResponse.ok("hello");
    };

    private static Responses.Response get(HttpHandler h, String target, String... fields) throws Exception {
        return DirectExchange.get(h, target, fields);
    }

    @Test
    void changesTheResponseAfterTheHandler() throws Exception {
        HttpFilter poweredBy = (request, next) -> next.handle(request).withHeader("X-Powered-By", "Sluice");

        Responses.Response r = get(poweredBy.around(handler), "/");

        assertThat(r.bodyText()).isEqualTo("hello");
        assertThat(r.header("X-Powered-By")).isEqualTo("Sluice");
        assertThat(calls).hasValue(1);
    }

    @Test
    void answersInsteadOfTheHandlerWhenItChoosesTo() throws Exception {
        HttpFilter apiKey = (request, next) -> "s3cret".equals(request.header("X-Api-Key"))
                ? next.handle(request)
                : HttpResponse.text(401, "Unauthorized\n");
        HttpHandler guarded = apiKey.around(handler);

        assertThat(get(guarded, "/").status()).isEqualTo(401);
        assertThat(calls).as("the handler never ran").hasValue(0);
        assertThat(get(guarded, "/", "X-Api-Key: s3cret").bodyText()).isEqualTo("hello");
        assertThat(calls).hasValue(1);
    }

    @Test
    void mapsTheHandlersExceptionToAResponse() throws Exception {
        HttpFilter mapper = (request, next) -> {
            try {
                return next.handle(request);
            } catch (IllegalStateException e) {
                return HttpResponse.text(503, "try later: " + e.getMessage() + "\n");
            }
        };

        Responses.Response r = get(mapper.around(handler), "/boom");

        assertThat(r.status()).isEqualTo(503);
        assertThat(r.bodyText()).isEqualTo("try later: boom\n");
    }

    @Test
    void theOutermostFilterRunsFirstAndSeesTheInnerOnesResult() throws Exception {
        StringBuilder order = new StringBuilder();
        HttpFilter outer = (request, next) -> {
            order.append("outer>");
            HttpResponse r = next.handle(request);
            order.append("<outer");
            return r.withHeader("X-Order", order.toString());
        };
        HttpFilter inner = (request, next) -> {
            order.append("inner>");
            HttpResponse r = next.handle(request);
            order.append("<inner");
            return r;
        };

        Responses.Response r = get(outer.around(inner.around(handler)), "/");

        assertThat(r.header("X-Order")).isEqualTo("outer>inner><inner<outer");
    }

    @Test
    void theWrappedHandlerMayBlockWhenTheFilterOrTheHandlerMay() {
        HttpHandler quick = HttpHandler.nonBlocking(request -> HttpResponse.ok("q"));
        HttpFilter quickFilter = HttpFilter.nonBlocking((request, next) -> next.handle(request));
        HttpFilter anyFilter = (request, next) -> next.handle(request);

        assertThat(quickFilter.around(quick).mayBlock()).isFalse();
        assertThat(anyFilter.around(quick).mayBlock()).isTrue();
        assertThat(quickFilter.around(handler).mayBlock()).isTrue();
    }

    @Test
    void aFilterAroundARouterAlsoSeesItsNotFoundAnswers() throws Exception {
        Router router = new Router().get("/known", handler);
        HttpFilter tag = (request, next) -> next.handle(request).withHeader("X-Seen", "yes");

        Responses.Response r = get(tag.around(router), "/unknown");

        assertThat(r.status()).isEqualTo(404);
        assertThat(r.header("X-Seen")).isEqualTo("yes");
    }
}
