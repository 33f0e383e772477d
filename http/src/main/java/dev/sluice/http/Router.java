package dev.sluice.http;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;

/**
 * Sends each request to the handler of the first route whose method and path pattern match.
 * Patterns are literal segments and {@code {name}} parameters, read with
 * {@link HttpRequest#pathParam}, and may end in {@code /*}, which matches the rest of the path
 * (none or many segments; {@code pathParam("*")}) and mounts the handler there:
 *
 * <pre>{@code
 * Router router = new Router()
 *         .get("/", r -> HttpResponse.ok("home"))
 *         .get("/users/{id}", r -> HttpResponse.ok("user " + r.pathParam("id")))
 *         .post("/users", r -> HttpResponse.status(201))
 *         .get("/files/*", StaticFiles.create(StaticFilesConfig.of(Path.of("public"))))
 *         .fallback(r -> HttpResponse.text(404, "No such page\n"));
 * }</pre>
 *
 * <p>A handler under {@code /*} sees the matched prefix as {@link HttpRequest#mountPath()} and
 * the rest as {@link HttpRequest#rawPathInMount()}: {@link StaticFiles} serves
 * {@code /files/a.txt} from {@code public/a.txt}.
 *
 * <p>The request path is split into segments before they are percent-decoded, so {@code %2F}
 * stays inside its segment. No route for the path: the {@link #fallback} (by default 404).
 * Routes for the path but not the method:
 * 405 with {@code Allow}. A HEAD request with no HEAD route goes to the GET route (the codec drops
 * the body). Routes may be added while serving (copy-on-write), but are meant to be set up first.
 *
 * <p>When a route's handler {@linkplain HttpHandler#async answers later} and every other one (and
 * the fallback) either does too or never blocks, the router {@linkplain #answersLater() answers
 * later} itself: on {@code event-loop} it runs on the loop thread. Otherwise an asynchronous
 * route's answer is waited for on the router's thread.
 */
public final class Router implements HttpHandler {
    private static final HttpResponse NOT_FOUND = HttpResponse.text(404, "Not Found\n");

    private volatile Route[] routes = new Route[0];
    private volatile HttpHandler fallback = HttpHandler.nonBlocking(request -> NOT_FOUND);
    private volatile boolean later;

    /** A router with no routes: every request gets 404 until routes are added. */
    public Router() {
    }

    /** Adds a route for {@code method} (case-sensitive, as HTTP methods are) and {@code pattern}. */
    public Router route(String method, String pattern, HttpHandler handler) {
        Route route = new Route(method, pattern, Objects.requireNonNull(handler, "handler"));
        synchronized (this) {
            Route[] more = Arrays.copyOf(routes, routes.length + 1);
            more[routes.length] = route;
            routes = more;
            later = computeLater();
        }
        return this;
    }

    /**
     * The handler for requests whose path no route matches (by default a 404). A path that some
     * route matches for another method still gets 405.
     */
    public Router fallback(HttpHandler handler) {
        Objects.requireNonNull(handler, "handler");
        synchronized (this) {
            fallback = handler;
            later = computeLater();
        }
        return this;
    }

    public Router get(String pattern, HttpHandler handler) {
        return route("GET", pattern, handler);
    }

    public Router post(String pattern, HttpHandler handler) {
        return route("POST", pattern, handler);
    }

    public Router put(String pattern, HttpHandler handler) {
        return route("PUT", pattern, handler);
    }

    public Router delete(String pattern, HttpHandler handler) {
        return route("DELETE", pattern, handler);
    }

    public Router patch(String pattern, HttpHandler handler) {
        return route("PATCH", pattern, handler);
    }

    @Override
    public HttpResponse handle(HttpRequest request) throws Exception {
        Choice choice = choose(request);
        return choice.handler == null ? choice.response : choice.handler.handle(choice.request);
    }

    /**
     * True when a route's handler (or the fallback) {@linkplain HttpHandler#async answers later}
     * and every other one either does or {@linkplain HttpHandler#nonBlocking never blocks}: the
     * server then calls {@link #handleAsync}, on the loop thread on {@code event-loop}.
     */
    @Override
    public boolean answersLater() {
        return later;
    }

    @Override
    public CompletionStage<HttpResponse> handleAsync(HttpRequest request) throws Exception {
        Choice choice = choose(request);
        return choice.handler == null ? CompletableFuture.completedFuture(choice.response)
                : choice.handler.handleAsync(choice.request);
    }

    /** Where a request goes: a handler and the request as routed, or an answer of the router's own. */
    private record Choice(HttpHandler handler, HttpRequest request, HttpResponse response) {
    }

    private Choice choose(HttpRequest request) {
        String raw = request.rawPath();
        if (!raw.startsWith("/")) {
            return new Choice(fallback, request, null);
        }
        String[] path = segments(raw);
        String method = request.method();
        Set<String> allowed = null;
        Route headFallback = null;
        Map<String, String> headParams = null;
        for (Route route : routes) {
            Map<String, String> params = route.match(path);
            if (params == null) {
                continue;
            }
            if (route.method.equals(method)) {
                return new Choice(route.handler, request.withRoute(params, route.mountOf(raw)), null);
            }
            if (method.equals("HEAD") && route.method.equals("GET") && headFallback == null) {
                headFallback = route;
                headParams = params;
            }
            if (allowed == null) {
                allowed = new LinkedHashSet<>();
            }
            allowed.add(route.method);
        }
        if (headFallback != null) {
            return new Choice(headFallback.handler, request.withRoute(headParams, headFallback.mountOf(raw)), null);
        }
        return allowed == null ? new Choice(fallback, request, null) : new Choice(null, null, notAllowed(allowed));
    }

    /** Whether {@link #answersLater()}, for the routes and fallback now in place. */
    private boolean computeLater() {
        boolean any = fallback.answersLater();
        boolean all = any || !fallback.mayBlock();
        for (Route r : routes) {
            any |= r.handler.answersLater();
            all &= r.handler.answersLater() || !r.handler.mayBlock();
        }
        return any && all;
    }

    /** The decoded segments of a path that starts with {@code /}. */
    private static String[] segments(String raw) {
        String[] path = raw.substring(1).split("/", -1);
        for (int i = 0; i < path.length; i++) {
            path[i] = PercentDecoder.decodePathSegment(path[i]);
        }
        return path;
    }

    /** 405 with the methods the path has; HEAD wherever GET is, as {@link #handle} answers it. */
    private static HttpResponse notAllowed(Set<String> allowed) {
        if (allowed.contains("GET")) {
            allowed.add("HEAD");
        }
        return HttpResponse.text(405, "Method Not Allowed\n")
                .withHeader("Allow", String.join(", ", allowed));
    }
}
