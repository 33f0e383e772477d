package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.junit.jupiter.api.Test;

class RouterTest {
    private final Router router = new Router()
            .get("/", r -> HttpResponse.ok("home"))
            .get("/users/{id}", r -> HttpResponse.ok("user " + r.pathParam("id")))
            .put("/users/{id}", r -> HttpResponse.ok("put " + r.pathParam("id")))
            .get("/users/{id}/posts/{post}", r -> HttpResponse.ok(r.pathParams().toString()))
            .post("/users", r -> HttpResponse.status(201))
            .route("PURGE", "/cache", r -> HttpResponse.status(204));

    private Responses.Response send(String method, String target) {
        Wire wire = Wire.run(HttpConfig.defaults(), router,
                (method + " " + target + " HTTP/1.1\r\nHost: h\r\n\r\n").getBytes());
        return wire.responses().get(0);
    }

    @Test
    void routesByMethodAndPath() {
        assertThat(send("GET", "/").bodyText()).as("GET /").isEqualTo("home");
        assertThat(send("GET", "/users/42").bodyText()).as("GET /users/42").isEqualTo("user 42");
        assertThat(send("PUT", "/users/42").bodyText()).as("PUT /users/42").isEqualTo("put 42");
        assertThat(send("POST", "/users").status()).as("POST /users").isEqualTo(201);
        assertThat(send("PURGE", "/cache").status()).as("custom method").isEqualTo(204);
        assertThat(send("GET", "/users/7/posts/9").bodyText()).as("two params").isEqualTo("{id=7, post=9}");
    }

    @Test
    void decodesParametersAfterSplittingSoAnEncodedSlashStaysInItsSegment() {
        assertThat(send("GET", "/users/a%2Fb%20c").bodyText()).as("param").isEqualTo("user a/b c");
        assertThat(send("GET", "/%75sers/1").bodyText()).as("encoded literal").isEqualTo("user 1");
    }

    @Test
    void answers404ForAnUnknownPath() {
        assertThat(send("GET", "/nope").status()).as("unknown").isEqualTo(404);
        assertThat(send("GET", "/users/").status()).as("empty parameter").isEqualTo(404);
        assertThat(send("GET", "/users/1/").status()).as("trailing slash").isEqualTo(404);
        assertThat(send("OPTIONS", "*").status()).as("asterisk").isEqualTo(404);
    }

    @Test
    void answers405WithAllowForAnotherMethod() {
        Responses.Response r = send("DELETE", "/users/1");

        assertThat(r.status()).as("status").isEqualTo(405);
        assertThat(r.header("Allow")).as("Allow").isEqualTo("GET, PUT, HEAD");
    }

    @Test
    void sendsHeadToTheGetRoute() {
        Wire wire = Wire.run(HttpConfig.defaults(), router, "HEAD /users/5 HTTP/1.1\r\nHost: h\r\n\r\n".getBytes());

        assertThat(wire.statuses()).as("statuses").containsExactly(200);
        assertThat(wire.output()).as("response").contains("Content-Length: 6\r\n").endsWith("\r\n\r\n");
    }

    @Test
    void refusesBadPatterns() {
        Router r = new Router();
        HttpHandler h = req -> HttpResponse.status(204);

        assertThatThrownBy(() -> r.get("users", h)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.get("/a{id}", h)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.get("/{a}/{a}", h)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.get("/{a-b}", h)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> r.route("GE T", "/", h)).isInstanceOf(IllegalArgumentException.class);
    }
}
