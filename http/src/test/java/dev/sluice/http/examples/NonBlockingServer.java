package dev.sluice.http.examples;

import dev.sluice.core.Engine;
import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import dev.sluice.http.HttpConfig;
import dev.sluice.http.HttpHandler;
import dev.sluice.http.HttpProtocol;
import dev.sluice.http.HttpResponse;

/**
 * A handler declared non-blocking, run inline on the event loop's threads, with tighter HTTP
 * limits than the defaults. Run it, then {@code curl -i localhost:8080/anything}.
 */
public final class NonBlockingServer {
    private NonBlockingServer() {
    }

    /** Never blocks: it only formats what it was given. */
    public static HttpHandler handler() {
        return HttpHandler.nonBlocking(request ->
                HttpResponse.ok(request.method() + " " + request.path() + " from " + request.remoteAddress() + "\n"));
    }

    public static HttpConfig config() {
        return HttpConfig.defaults().withMaxBodyBytes(64 * 1024).withMaxRequestsPerConnection(1000);
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        ServerConfig server = ServerConfig.defaults().withPort(port).withEngine(Engine.EVENT_LOOP);
        try (Server s = Server.create(server, HttpProtocol.create(config(), handler())).start()) {
            System.out.println("listening on http://localhost:" + s.port() + "/");
            Thread.currentThread().join();
        }
    }
}
