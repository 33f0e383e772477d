package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;

/** CORS: actual requests, preflights, origins allowed and not, and what the filter refuses to build. */
class CorsFilterTest {
    private final AtomicInteger calls = new AtomicInteger();
    private final HttpHandler handler = request -> {
        calls.incrementAndGet();
        return HttpResponse.ok("data").withHeader("Vary", "Accept-Encoding");
    };
    private final HttpHandler app =
            CorsFilter.of(List.of("https://app.example", "http://localhost:3000"), List.of("GET", "HEAD")).around(handler);

    @Test
    void marksResponsesToAnAllowedOriginAsReadable() throws Exception {
        Responses.Response r = DirectExchange.get(app, "/x", "Origin: https://app.example");

        assertThat(r.bodyText()).isEqualTo("data");
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
        assertThat(r.header("Access-Control-Expose-Headers")).contains("ETag", "Content-Range");
        assertThat(DirectExchange.fieldLines(r)).contains("Vary: Accept-Encoding", "Vary: Origin");
        assertThat(r.header("Access-Control-Allow-Credentials")).isNull();
    }

    @Test
    void leavesOtherOriginsAndSameOriginRequestsAlone() throws Exception {
        Responses.Response other = DirectExchange.get(app, "/x", "Origin: https://evil.example");
        Responses.Response none = DirectExchange.get(app, "/x");

        assertThat(other.bodyText()).as("the server still answers; the browser withholds it").isEqualTo("data");
        assertThat(other.header("Access-Control-Allow-Origin")).isNull();
        assertThat(none.header("Access-Control-Allow-Origin")).isNull();
        assertThat(DirectExchange.fieldLines(none)).doesNotContain("Vary: Origin");
    }

    @Test
    void answersAPreflightItselfForAnAllowedOriginAndMethod() throws Exception {
        Responses.Response r = DirectExchange.send(app, "OPTIONS", "/x", "Origin: http://localhost:3000",
                "Access-Control-Request-Method: GET", "Access-Control-Request-Headers: range, if-none-match");

        assertThat(r.status()).isEqualTo(204);
        assertThat(calls).as("the handler is not asked").hasValue(0);
        assertThat(r.header("Access-Control-Allow-Origin")).isEqualTo("http://localhost:3000");
        assertThat(r.header("Access-Control-Allow-Methods")).isEqualTo("GET, HEAD");
        assertThat(r.header("Access-Control-Allow-Headers")).isEqualTo("range, if-none-match");
        assertThat(r.header("Access-Control-Max-Age")).isEqualTo("600");
        assertThat(r.header("Vary")).contains("Origin");
    }

    @Test
    void refusesAPreflightForAnotherOriginOrMethodByLeavingOutTheFields() throws Exception {
        Responses.Response origin = DirectExchange.send(app, "OPTIONS", "/x", "Origin: https://evil.example",
                "Access-Control-Request-Method: GET");
        Responses.Response method = DirectExchange.send(app, "OPTIONS", "/x", "Origin: https://app.example",
                "Access-Control-Request-Method: DELETE");
        Responses.Response oddHeaders = DirectExchange.send(app, "OPTIONS", "/x", "Origin: https://app.example",
                "Access-Control-Request-Method: GET", "Access-Control-Request-Headers: a;b");

        assertThat(origin.status()).isEqualTo(204);
        assertThat(origin.header("Access-Control-Allow-Origin")).isNull();
        assertThat(method.header("Access-Control-Allow-Methods")).isNull();
        assertThat(oddHeaders.header("Access-Control-Allow-Origin")).isEqualTo("https://app.example");
        assertThat(oddHeaders.header("Access-Control-Allow-Headers")).as("not echoed").isNull();
        assertThat(calls).hasValue(0);
    }

    @Test
    void anyOriginIsAStarAndAPlainOptionsReachesTheHandler() throws Exception {
        HttpHandler open = CorsFilter.of(List.of("*"), List.of("GET")).around(handler);

        assertThat(DirectExchange.get(open, "/x", "Origin: https://whoever.example")
                .header("Access-Control-Allow-Origin")).isEqualTo("*");
        DirectExchange.send(open, "OPTIONS", "/x", "Origin: https://whoever.example");
        assertThat(calls).as("no Access-Control-Request-Method: not a preflight").hasValue(2);
    }

    @Test
    void refusesWhatIsNotAnOrigin() {
        for (String bad : List.of("app.example", "https://app.example/", "https://app.example/path",
                "https://user@app.example", "https://app.example?q", "")) {
            assertThatThrownBy(() -> CorsFilter.of(List.of(bad), List.of("GET")))
                    .as(bad).isInstanceOf(IllegalArgumentException.class).hasMessageContaining("not an origin");
        }
        assertThatThrownBy(() -> CorsFilter.of(List.of("*"), List.of("GE T"))).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> CorsFilter.of(List.of(), List.of("GET"))).isInstanceOf(IllegalArgumentException.class);
    }
}
