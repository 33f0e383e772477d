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
        assertThatThrownBy(() -> r.get("/a/*/b", h)).as("* not last").isInstanceOf(IllegalArgumentException.class);
    }

    /** Answers what the handler saw: the wildcard parameter, the mount path and the path within it. */
    private static final HttpHandler MOUNTED = r -> HttpResponse.ok(
            "rest=" + r.pathParam("*") + " mount=" + r.mountPath() + " in=" + r.rawPathInMount() + " " + r.pathParams());

    private Responses.Response sendTo(Router r, String method, String target) {
        Wire wire = Wire.run(HttpConfig.defaults(), r, (method + " " + target + " HTTP/1.1\r\nHost: h\r\n\r\n").getBytes());
        return wire.responses().get(0);
    }

    @Test
    void aTrailingStarMatchesTheRestOfThePathAndMountsTheHandlerThere() {
        Router r = new Router().get("/files/*", MOUNTED).get("/u/{id}/*", MOUNTED).get("/exact", MOUNTED);

        assertThat(sendTo(r, "GET", "/files/a/b%20c").bodyText())
                .isEqualTo("rest=a/b c mount=/files in=/a/b%20c {*=a/b c}");
        assertThat(sendTo(r, "GET", "/files/").bodyText()).isEqualTo("rest= mount=/files in=/ {*=}");
        assertThat(sendTo(r, "GET", "/files").bodyText()).isEqualTo("rest= mount=/files in= {*=}");
        assertThat(sendTo(r, "GET", "/u/7/x").bodyText()).isEqualTo("rest=x mount=/u/7 in=/x {id=7, *=x}");
        assertThat(sendTo(r, "HEAD", "/files/a").status()).as("HEAD to the GET route").isEqualTo(200);
        assertThat(sendTo(r, "GET", "/exact").bodyText()).as("not mounted")
                .isEqualTo("rest=null mount= in=/exact {}");
        assertThat(sendTo(r, "GET", "/filesx/a").status()).as("a segment is whole").isEqualTo(404);
        assertThat(sendTo(r, "POST", "/files/a").status()).isEqualTo(405);

        Router root = new Router().get("/*", MOUNTED);
        assertThat(sendTo(root, "GET", "/a/b").bodyText()).isEqualTo("rest=a/b mount= in=/a/b {*=a/b}");
    }

    @Test
    void theFallbackAnswersPathsNoRouteMatchesButNotOtherMethods() {
        Router r = new Router().get("/known", req -> HttpResponse.ok("known"))
                .fallback(req -> HttpResponse.text(404, "custom " + req.rawPath() + "\n"));

        assertThat(sendTo(r, "GET", "/unknown").bodyText()).isEqualTo("custom /unknown\n");
        assertThat(sendTo(r, "GET", "/unknown").status()).isEqualTo(404);
        assertThat(sendTo(r, "OPTIONS", "*").bodyText()).as("asterisk").isEqualTo("custom *\n");
        assertThat(sendTo(r, "DELETE", "/known").status()).as("the path exists: 405").isEqualTo(405);
        assertThat(sendTo(r, "GET", "/known").bodyText()).isEqualTo("known");
    }
}
