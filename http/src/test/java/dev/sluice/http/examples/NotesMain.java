package dev.sluice.http.examples;

import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import dev.sluice.http.HttpConfig;
import dev.sluice.http.HttpProtocol;
import dev.sluice.http.HttpResponse;
import dev.sluice.http.Router;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

public class NotesMain {
    // Every connection calls these handlers, concurrently: shared state must be thread-safe.
    static Router routes(Map<String, String> notes, Path logo) {
        AtomicInteger ids = new AtomicInteger();
        return new Router()
                .post("/notes", request -> {
                    String id = Integer.toString(ids.incrementAndGet());
                    notes.put(id, request.bodyText());     // the whole body, read in one call
                    return HttpResponse.text(201, "created\n")
                            .withHeader("Location", "/notes/" + id);
                })
                .get("/notes/{id}", request -> {
                    String note = notes.get(request.pathParam("id"));  // percent-decoded
                    return note == null ? HttpResponse.text(404, "no such note\n")
                                        : HttpResponse.ok(note);
                })
                .get("/logo.png", request -> HttpResponse.status(200)
                        .withHeader("Content-Type", "image/png")
                        .withFile(logo));                  // opened when the response is sent
    }

    public static void main(String[] args) throws Exception {
        ServerConfig config = ServerConfig.defaults().withPort(8080);
        HttpConfig http = HttpConfig.defaults()
                .withMaxBodyBytes(64 * 1024);              // notes are short: 413 past 64 KiB
        Router router = routes(new ConcurrentHashMap<>(), Path.of("logo.png"));
        try (Server server = Server.create(config, HttpProtocol.create(http, router)).start()) {
            System.out.println("listening on http://localhost:" + server.port() + "/");
            server.shutdownOnSignal().awaitShutdown(); // until Ctrl-C or SIGTERM, then a graceful stop
        }
    }
}
