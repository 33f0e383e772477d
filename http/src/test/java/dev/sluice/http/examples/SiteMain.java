package dev.sluice.http.examples;

import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import dev.sluice.http.HttpException;
import dev.sluice.http.HttpFilter;
import dev.sluice.http.HttpHandler;
import dev.sluice.http.HttpProtocol;
import dev.sluice.http.HttpResponse;
import dev.sluice.http.Router;
import dev.sluice.http.StaticFiles;
import dev.sluice.http.StaticFilesConfig;
import java.nio.file.Path;

public class SiteMain {
    // Runs before and after every request, 404s included: it wraps the whole router.
    static final HttpFilter SECURITY_HEADERS = (request, next) ->
            next.handle(request).withHeader("X-Frame-Options", "DENY");

    // Answers instead of the handler when the key is missing; maps one exception to a status.
    static final HttpFilter API_KEY = (request, next) -> {
        if (!"s3cret".equals(request.header("X-Api-Key"))) {
            return HttpResponse.text(401, "an X-Api-Key header is required\n");
        }
        try {
            return next.handle(request);
        } catch (NumberFormatException e) {
            throw new HttpException(400, "not a number");  // a fixed reason: never echo input
        }
    };

    static HttpHandler site(Path assets) {
        Router router = new Router()
                .get("/assets/*", StaticFiles.create(StaticFilesConfig.of(assets)))  // /assets/a.css
                .get("/api/square/{n}", API_KEY.around(request -> {
                    long n = Long.parseLong(request.pathParam("n"));
                    return HttpResponse.ok(n * n + "\n");
                }))
                .fallback(request -> HttpResponse.text(404, "no page at " + request.path() + "\n"));
        return SECURITY_HEADERS.around(router);
    }

    public static void main(String[] args) throws Exception {
        ServerConfig config = ServerConfig.defaults().withPort(8080);
        HttpHandler site = site(Path.of("public"));
        try (Server server = Server.create(config, HttpProtocol.create(site)).start()) {
            System.out.println("listening on http://localhost:" + server.port() + "/assets/");
            server.shutdownOnSignal().awaitShutdown(); // until Ctrl-C or SIGTERM, then a graceful stop
        }
    }
}
