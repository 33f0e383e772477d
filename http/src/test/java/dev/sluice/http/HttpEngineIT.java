package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Engine;
import dev.sluice.core.OverloadPolicy;
import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest.BodyPublishers;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** HTTP/1.1 through a real server, one test body over every engine. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpEngineIT {
    private static final CountDownLatch NEVER = new CountDownLatch(1);

    private final CountDownLatch release = new CountDownLatch(1);

    private Router router() {
        return new Router()
                .get("/hello", r -> HttpResponse.ok("Hello, World!"))
                .get("/hello/{name}", r -> HttpResponse.ok("hi " + r.pathParam("name")))
                .post("/echo", r -> HttpResponse.status(200).withBody(r.body()))
                .get("/boom", r -> {
                    throw new IllegalStateException("boom");
                })
                .get("/wait", r -> {
                    release.await();
                    return HttpResponse.ok("waited");
                });
    }

    private Server start(Engine engine, HttpHandler handler, UnaryOperator<ServerConfig> more)
            throws Exception {
        ServerConfig cfg = more.apply(ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withEngine(engine));
        return Server.create(cfg, HttpProtocol.create(handler)).start();
    }

    private Server start(Engine engine) throws Exception {
        return start(engine, router(), b -> b);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void jdkClientKeepsOneConnectionAliveAcrossRequests(Engine engine) throws Exception {
        try (Server server = start(engine);
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            for (int i = 0; i < 5; i++) {
                var response = client.send(java.net.http.HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/hello/n" + i)).build(),
                        BodyHandlers.ofString());
                assertThat(response.statusCode()).isEqualTo(200);
                assertThat(response.body()).isEqualTo("hi n" + i);
                assertThat(response.headers().firstValue("content-type")).hasValueSatisfying(
                        v -> assertThat(v).startsWith("text/plain"));
                assertThat(response.headers().firstValue("date")).isPresent();
            }
            assertThat(server.stats().accepted()).as("connections for 5 requests").isEqualTo(1);
            byte[] big = new byte[1 << 20];
            new Random(7).nextBytes(big);
            var echoed = client.send(java.net.http.HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + server.port() + "/echo"))
                    .POST(BodyPublishers.ofByteArray(big)).build(), BodyHandlers.ofByteArray());
            assertThat(echoed.body()).isEqualTo(big);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void pipelinedRequestsAreAnsweredInOrder(Engine engine) throws Exception {
        try (Server server = start(engine); RawHttp c = new RawHttp(server.port())) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < 100; i++) {
                batch.append("GET /hello/p").append(i).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            c.send(batch.toString());
            for (int i = 0; i < 100; i++) {
                assertThat(c.read().text()).isEqualTo("hi p" + i);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void keepAliveFollowsVersionAndConnectionHeader(Engine engine) throws Exception {
        try (Server server = start(engine)) {
            try (RawHttp c = new RawHttp(server.port())) {
                var r = c.send("GET /hello HTTP/1.0\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(200);
                assertThat(c.closedByServer()).as("HTTP/1.0 without keep-alive closes").isTrue();
            }
            try (RawHttp c = new RawHttp(server.port())) {
                var r = c.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read();
                assertThat(r.header("connection")).isEqualToIgnoringCase("keep-alive");
                assertThat(c.send("GET /hello HTTP/1.0\r\nConnection: keep-alive\r\n\r\n").read().status())
                        .isEqualTo(200);
            }
            try (RawHttp c = new RawHttp(server.port())) {
                var r = c.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read();
                assertThat(r.header("connection")).isEqualToIgnoringCase("close");
                assertThat(c.closedByServer()).isTrue();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void expectContinueChunkedBodiesAndHead(Engine engine) throws Exception {
        try (Server server = start(engine); RawHttp c = new RawHttp(server.port())) {
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\nExpect: 100-continue\r\n\r\n");
            assertThat(c.read().status()).isEqualTo(100);
            c.send("hello");
            assertThat(c.read().text()).isEqualTo("hello");
            c.send("POST /echo HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n4;ext=1\r\ndefg\r\n0\r\nTrailer: t\r\n\r\n");
            assertThat(c.read().text()).isEqualTo("abcdefg");
            var head = c.send("HEAD /hello HTTP/1.1\r\nHost: x\r\n\r\n").read(true);
            assertThat(head.status()).isEqualTo(200);
            assertThat(head.header("content-length")).isEqualTo("13");
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().text())
                    .as("HEAD sent no body: the next response parses").isEqualTo("Hello, World!");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void smugglingAttemptGets400AndTheConnectionCloses(Engine engine) throws Exception {
        try (Server server = start(engine); RawHttp c = new RawHttp(server.port())) {
            var r = c.send("POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 4\r\n"
                    + "Transfer-Encoding: chunked\r\n\r\n0\r\n\r\nGET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(400);
            assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            assertThat(c.closedByServer()).isTrue();
            try (RawHttp next = new RawHttp(server.port())) {
                assertThat(next.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void throwingHandlerGets500AndTheConnectionGoesOn(Engine engine) throws Exception {
        try (Server server = start(engine); RawHttp c = new RawHttp(server.port())) {
            assertThat(c.send("GET /boom HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(500);
            assertThat(c.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(200);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void slowHeadGets408(Engine engine) throws Exception {
        try (Server server = start(engine, router(), b -> b.withHeaderTimeout(Duration.ofMillis(300)));
             RawHttp c = new RawHttp(server.port())) {
            var r = c.send("GET /hello HTTP/1.1\r\nHost: x\r\n").read();
            assertThat(r.status()).isEqualTo(408);
            assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = "SEQUENTIAL", mode = EnumSource.Mode.EXCLUDE)
    void overloadRejectionGets503WithRetryAfter(Engine engine) throws Exception {
        try (Server server = start(engine, router(),
                b -> b.withMaxConnections(1).withOverload(OverloadPolicy.REJECT));
             RawHttp busy = new RawHttp(server.port())) {
            busy.send("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(waitFor(() -> server.stats().requests() == 1)).isTrue();
            try (RawHttp turnedAway = new RawHttp(server.port())) {
                var r = turnedAway.send("GET /hello HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertThat(r.status()).isEqualTo(503);
                assertThat(r.header("retry-after")).isEqualTo("5");
                assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            }
            release.countDown();
            assertThat(busy.read().text()).isEqualTo("waited");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void shutdownAnswersTheRequestInFlightWithConnectionClose(Engine engine) throws Exception {
        Server server = start(engine);
        try (RawHttp c = new RawHttp(server.port())) {
            c.send("GET /wait HTTP/1.1\r\nHost: x\r\n\r\n");
            assertThat(waitFor(() -> server.stats().requests() == 1)).isTrue();
            ExecutorService exec = Executors.newVirtualThreadPerTaskExecutor();
            Future<Boolean> done = exec.submit(() -> server.shutdown(Duration.ofSeconds(10)));
            assertThat(waitFor(server::isClosing)).isTrue();
            release.countDown();
            var r = c.read();
            assertThat(r.text()).isEqualTo("waited");
            assertThat(r.header("connection")).isEqualToIgnoringCase("close");
            assertThat(done.get(10, TimeUnit.SECONDS)).isTrue();
        } finally {
            server.close();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = "SEQUENTIAL", mode = EnumSource.Mode.EXCLUDE)
    void blockingHandlersRunConcurrently(Engine engine) throws Exception {
        int n = 8;
        CyclicBarrier all = new CyclicBarrier(n);
        HttpHandler meet = r -> {
            all.await(10, TimeUnit.SECONDS); // only passes if n handlers block at once
            return HttpResponse.ok("met");
        };
        try (Server server = start(engine, meet, b -> b);
             HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            var futures = new java.util.ArrayList<java.util.concurrent.CompletableFuture<String>>();
            for (int i = 0; i < n; i++) {
                futures.add(client.sendAsync(java.net.http.HttpRequest.newBuilder(
                        URI.create("http://127.0.0.1:" + server.port() + "/m" + i)).build(),
                        BodyHandlers.ofString()).thenApply(java.net.http.HttpResponse::body));
            }
            for (var f : futures) {
                assertThat(f.get(20, TimeUnit.SECONDS)).isEqualTo("met");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void curlGetsFilesAndPostsBodies(Engine engine, @TempDir Path dir) throws Exception {
        byte[] data = new byte[300_000];
        new Random(3).nextBytes(data);
        Path file = Files.write(dir.resolve("data.bin"), data);
        Router r = router().get("/file", q -> HttpResponse.status(200).withFile(file));
        try (Server server = start(engine, r, b -> b)) {
            String base = "http://127.0.0.1:" + server.port();
            Path got = dir.resolve("got.bin");
            assertThat(curl("-sS", "-o", got.toString(), "-w", "%{http_code}", base + "/file")).isEqualTo("200");
            assertThat(Files.readAllBytes(got)).isEqualTo(data);
            assertThat(curl("-sS", "--data-binary", "@" + file, "-o", got.toString(), "-w", "%{http_code}",
                    base + "/echo")).isEqualTo("200");
            assertThat(Files.readAllBytes(got)).isEqualTo(data);
            assertThat(curl("-sS", "-H", "Transfer-Encoding: chunked", "--data-binary", "@" + file,
                    "-o", got.toString(), "-w", "%{http_code}", base + "/echo")).isEqualTo("200");
            assertThat(Files.readAllBytes(got)).isEqualTo(data);
        }
    }

    private static String curl(String... args) throws Exception {
        var cmd = new java.util.ArrayList<String>();
        cmd.add("curl");
        cmd.add("--max-time");
        cmd.add("20");
        cmd.addAll(java.util.List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("curl %s: %s", String.join(" ", args), out).isZero();
        return out;
    }

    private static boolean waitFor(java.util.function.BooleanSupplier condition) throws InterruptedException {
        for (int i = 0; i < 500; i++) {
            if (condition.getAsBoolean()) {
                return true;
            }
            Thread.sleep(10);
        }
        return false;
    }
}
