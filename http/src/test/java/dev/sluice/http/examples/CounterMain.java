package dev.sluice.http.examples;

import dev.sluice.core.Engine;
import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import dev.sluice.http.HttpHandler;
import dev.sluice.http.HttpProtocol;
import dev.sluice.http.HttpResponse;
import java.util.concurrent.atomic.AtomicLong;

public class CounterMain {
    // Counts and formats, nothing else: it never blocks, so it may run on a loop thread.
    static HttpHandler counter(AtomicLong hits) {
        return HttpHandler.nonBlocking(request ->
                HttpResponse.ok("hit " + hits.incrementAndGet() + "\n"));
    }

    public static void main(String[] args) throws Exception {
        ServerConfig config = ServerConfig.defaults()
                .withPort(8081)
                .withEngine(Engine.EVENT_LOOP);
        HttpHandler handler = counter(new AtomicLong());
        try (Server server = Server.create(config, HttpProtocol.create(handler)).start()) {
            System.out.println("listening on http://localhost:" + server.port() + "/");
            server.shutdownOnSignal().awaitShutdown(); // until Ctrl-C or SIGTERM, then a graceful stop
        }
    }
}
