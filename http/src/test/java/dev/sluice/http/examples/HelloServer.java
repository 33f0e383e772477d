package dev.sluice.http.examples;

import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import dev.sluice.http.HttpProtocol;
import dev.sluice.http.HttpResponse;
import dev.sluice.http.Router;
import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The handler API in one screen: routes with path parameters, a request body echoed back, a
 * streamed (chunked) response, and a file sent zero-copy. Run it, then try:
 *
 * <pre>
 * java -cp http/target/classes:http/target/test-classes:core/target/classes \
 *     dev.sluice.http.examples.HelloServer 8080
 * curl -i localhost:8080/hello/world
 * curl -i -d 'some bytes' localhost:8080/echo
 * curl -i localhost:8080/count/5
 * curl -I localhost:8080/file
 * </pre>
 */
public final class HelloServer {
    private HelloServer() {
    }

    /** The routes, kept apart from {@link #main} so a test can drive them without a socket. */
    public static Router router(Path file) {
        return new Router()
                .get("/", request -> HttpResponse.ok("Hello from Sluice\n"))
                .get("/hello/{name}", request -> HttpResponse.ok("Hello, " + request.pathParam("name") + "\n"))
                .post("/echo", request -> HttpResponse.status(200)
                        .withHeader("Content-Type", "application/octet-stream")
                        .withBody(request.body()))
                .get("/count/{n}", request -> {
                    StringBuilder lines = new StringBuilder();
                    for (int i = 1; i <= Integer.parseInt(request.pathParam("n")); i++) {
                        lines.append(i).append('\n');
                    }
                    byte[] bytes = lines.toString().getBytes(StandardCharsets.UTF_8);
                    return HttpResponse.status(200).withHeader("Content-Type", "text/plain")
                            .withBody(new ByteArrayInputStream(bytes));
                })
                .get("/file", request -> HttpResponse.status(200)
                        .withHeader("Content-Type", "text/plain").withFile(file));
    }

    public static void main(String[] args) throws Exception {
        int port = args.length > 0 ? Integer.parseInt(args[0]) : 8080;
        Path file = Files.writeString(Files.createTempFile("sluice", ".txt"), "a file, sent zero-copy\n");
        ServerConfig config = ServerConfig.defaults().withPort(port);
        try (Server server = Server.create(config, HttpProtocol.create(router(file))).start()) {
            System.out.println("listening on http://localhost:" + server.port() + "/");
            Thread.currentThread().join();
        }
    }
}
