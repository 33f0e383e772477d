package dev.sluice.http.examples;

import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import dev.sluice.http.HttpConfig;
import dev.sluice.http.HttpHandler;
import dev.sluice.http.HttpProtocol;
import dev.sluice.http.HttpResponse;
import dev.sluice.http.Router;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

public class UploadMain {
    static HttpHandler routes(Path dir) {
        return new Router()
                // The body goes to the file as it arrives: a 4 GiB upload holds 64 KiB at a time.
                .put("/files/{name}", request -> {
                    String name = request.pathParam("name");
                    if (!name.matches("[A-Za-z0-9_-][A-Za-z0-9._-]*")) {
                        return HttpResponse.text(400, "bad file name\n");
                    }
                    long bytes = Files.copy(request.bodyStream(), dir.resolve(name),
                            StandardCopyOption.REPLACE_EXISTING);
                    return HttpResponse.text(201, bytes + " bytes\n");
                })
                // A body made as it is sent, as fast as the client reads it: one piece in memory.
                .get("/count/{n}", request -> HttpResponse.status(200)
                        .withHeader("Content-Type", "text/plain; charset=utf-8")
                        .withBody(new Lines(Long.parseLong(request.pathParam("n")))));
    }

    /** The numbers 1 to {@code n}, a line each, made as they are read. */
    static final class Lines extends InputStream {
        private final long n;
        private long next = 1;
        private byte[] line = {};
        private int at;

        Lines(long n) {
            this.n = n;
        }

        @Override
        public int read() {
            if (at == line.length) {
                if (next > n) {
                    return -1;
                }
                line = (next++ + "\n").getBytes(StandardCharsets.US_ASCII);
                at = 0;
            }
            return line[at++];
        }
    }

    public static void main(String[] args) throws Exception {
        HttpConfig http = HttpConfig.defaults().withMaxBodyBytes(4L << 30); // 413 past 4 GiB
        HttpHandler handler = routes(Files.createDirectories(Path.of("uploads")));
        try (Server server = Server.create(ServerConfig.defaults(), HttpProtocol.create(http, handler)).start()) {
            System.out.println("listening on http://localhost:" + server.port() + "/");
            server.shutdownOnSignal().awaitShutdown();
        }
    }
}
