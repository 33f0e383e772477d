package dev.sluice.http;

/** A handler that answers with everything it was given, so tests can compare decoded requests. */
final class Echo implements HttpHandler {
    @Override
    public HttpResponse handle(HttpRequest request) {
        return HttpResponse.ok(describe(request));
    }

    static String describe(HttpRequest r) {
        StringBuilder sb = new StringBuilder();
        sb.append(r.method()).append(' ').append(r.target()).append(' ').append(r.version()).append('\n');
        sb.append("path=").append(r.path()).append(" query=").append(r.query())
                .append(" host=").append(r.host()).append('\n');
        for (int i = 0; i < r.headers().size(); i++) {
            sb.append(r.headers().name(i)).append(": ").append(r.headers().value(i)).append('\n');
        }
        sb.append("body[").append(r.body().length).append("]=").append(r.bodyText()).append('\n');
        for (int i = 0; i < r.trailers().size(); i++) {
            sb.append("trailer ").append(r.trailers().name(i)).append(": ")
                    .append(r.trailers().value(i)).append('\n');
        }
        return sb.toString();
    }
}
