package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.sluice.core.Engine;
import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpResponse.BodyHandlers;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Static files through a real server and real clients (JDK HttpClient, curl), on every engine. */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class StaticFilesIT {
    private static final int BIG_BYTES = (3 << 19) + 123; // 1.5 MiB and a bit

    @TempDir
    Path tmp;
    SiteFixture site;
    byte[] big;

    @BeforeEach
    void build() throws IOException {
        site = SiteFixture.build(tmp);
        big = new byte[BIG_BYTES];
        new Random(9).nextBytes(big);
        Files.write(site.root.resolve("big.bin"), big);
    }

    private Server start(Engine engine) throws IOException {
        ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withEngine(engine)
                .withIdleTimeout(Duration.ofSeconds(5));
        return Server.create(config, HttpProtocol.create(StaticFiles.create(StaticFilesConfig.of(site.root)))).start();
    }

    private static String url(Server server, String path) {
        return "http://127.0.0.1:" + server.port() + path;
    }

    private static java.net.http.HttpRequest.Builder request(Server server, String path) {
        return java.net.http.HttpRequest.newBuilder(URI.create(url(server, path))).timeout(Duration.ofSeconds(20));
    }

    /** Runs curl with {@code args}; its stdout. Skips the test when there is no curl. */
    private static byte[] curl(String... args) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20"));
        command.addAll(List.of(args));
        Process p;
        try {
            p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        } catch (IOException e) {
            assumeTrue(false, "curl is not installed");
            throw e;
        }
        byte[] out = p.getInputStream().readAllBytes();
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("curl finished").isTrue();
        assertThat(p.exitValue()).as("curl exit code for %s", command).isZero();
        return out;
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void servesALargeFileByteExactToHttpClientAndCurl(Engine engine) throws Exception {
        try (Server server = start(engine)) {
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                var r = client.send(request(server, "/big.bin").build(), BodyHandlers.ofByteArray());
                assertThat(r.statusCode()).isEqualTo(200);
                assertThat(r.headers().firstValue("content-length")).hasValue(String.valueOf(BIG_BYTES));
                assertThat(r.body()).isEqualTo(big);
            }
            Path out = tmp.resolve("curl-big.bin");
            curl("-o", out.toString(), url(server, "/big.bin"));
            assertThat(Files.readAllBytes(out)).isEqualTo(big);
            String head = new String(curl("-I", url(server, "/big.bin")), StandardCharsets.ISO_8859_1);
            assertThat(head).startsWith("HTTP/1.1 200").contains("Content-Length: " + BIG_BYTES)
                    .contains("Accept-Ranges: bytes");
        }
    }

    /** The embedding features together: a folder mounted under a route, a filter around the router, a fallback. */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void servesAMountedFolderThroughAFilterAndAFallback(Engine engine) throws Exception {
        Router router = new Router()
                .get("/static/*", StaticFiles.create(StaticFilesConfig.of(site.root)))
                .fallback(r -> HttpResponse.text(404, "nothing at " + r.path() + "\n"));
        HttpFilter tag = HttpFilter.nonBlocking((r, next) -> next.handle(r).withHeader("X-Via", "filter"));
        ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withEngine(engine);
        try (Server server = Server.create(config, HttpProtocol.create(tag.around(router))).start();
                HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
            var big = client.send(request(server, "/static/big.bin").build(), BodyHandlers.ofByteArray());
            assertThat(big.statusCode()).isEqualTo(200);
            assertThat(big.body()).isEqualTo(this.big);
            assertThat(big.headers().firstValue("x-via")).hasValue("filter");
            var missing = client.send(request(server, "/big.bin").build(), BodyHandlers.ofString());
            assertThat(missing.statusCode()).isEqualTo(404);
            assertThat(missing.body()).isEqualTo("nothing at /big.bin\n");
            assertThat(missing.headers().firstValue("x-via")).hasValue("filter");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void servesRangesAndMultipartToCurl(Engine engine) throws Exception {
        try (Server server = start(engine)) {
            byte[] one = curl("-r", "1000000-1099999", url(server, "/big.bin"));
            assertThat(one).isEqualTo(Arrays.copyOfRange(big, 1_000_000, 1_100_000));

            Path headers = tmp.resolve("headers.txt");
            byte[] body = curl("-r", "0-99,500000-599999,-100", "-D", headers.toString(), url(server, "/big.bin"));
            String head = Files.readString(headers, StandardCharsets.ISO_8859_1);
            assertThat(head).startsWith("HTTP/1.1 206");
            String type = head.lines().filter(l -> l.regionMatches(true, 0, "Content-Type:", 0, 13))
                    .findFirst().orElseThrow().substring(13).strip();
            List<MultipartReader.Part> parts = MultipartReader.parse(body, MultipartReader.boundary(type));
            assertThat(parts).hasSize(3);
            for (MultipartReader.Part part : parts) {
                assertThat(part.size()).isEqualTo(BIG_BYTES);
                assertThat(part.body()).isEqualTo(Arrays.copyOfRange(big, (int) part.first(), (int) part.last() + 1));
            }
            assertThat(parts.get(2).last()).isEqualTo(BIG_BYTES - 1);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void refusesTheTraversalCorpusOverRawSockets(Engine engine) throws Exception {
        try (Server server = start(engine)) {
            for (String target : TraversalCorpus.TARGETS) {
                try (RawHttp c = new RawHttp(server.port())) {
                    byte[] request = ("GET " + target + " HTTP/1.1\r\nHost: a\r\nConnection: close\r\n\r\n")
                            .getBytes(StandardCharsets.ISO_8859_1);
                    RawHttp.Response r = c.send(request).read();
                    assertThat(r.status()).as(target).isIn(400, 404);
                    for (String forbidden : TraversalCorpus.FORBIDDEN) {
                        assertThat(r.text()).as(target).doesNotContain(forbidden);
                    }
                }
            }
            for (String target : new String[] {"/../secret.txt", "/%2e%2e/secret.txt", "/..%2fsecret.txt",
                "/link-out", "/dirlink-out/secret.txt", "/.env"}) {
                String got = new String(curl("--path-as-is", "-w", "\n%{http_code}", url(server, target)),
                        StandardCharsets.UTF_8);
                assertThat(got).as(target).doesNotContain(SiteFixture.SENTINEL).doesNotContain(SiteFixture.HIDDEN)
                        .matches("(?s).*\n(400|404)");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void speaksConditionalsAndPrecompressionWithRealClients(Engine engine) throws Exception {
        try (Server server = start(engine)) {
            try (HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build()) {
                var first = client.send(request(server, "/hello.txt").build(), BodyHandlers.ofString());
                String etag = first.headers().firstValue("etag").orElseThrow();
                var again = client.send(request(server, "/hello.txt").header("If-None-Match", etag).build(),
                        BodyHandlers.ofString());
                assertThat(again.statusCode()).isEqualTo(304);
                assertThat(again.body()).isEmpty();
                var br = client.send(request(server, "/app.js").header("Accept-Encoding", "br").build(),
                        BodyHandlers.ofByteArray());
                assertThat(br.headers().firstValue("content-encoding")).hasValue("br");
                assertThat(br.headers().firstValue("vary")).hasValue("Accept-Encoding");
                assertThat(br.body()).isEqualTo(SiteFixture.APP_JS_BR);
                var post = client.send(request(server, "/hello.txt").POST(
                        java.net.http.HttpRequest.BodyPublishers.ofString("x")).build(), BodyHandlers.ofString());
                assertThat(post.statusCode()).isEqualTo(405);
                assertThat(post.headers().firstValue("allow")).hasValue("GET, HEAD");
            }
            byte[] css = curl("--compressed", url(server, "/only-gz.css"));
            assertThat(new String(css, StandardCharsets.UTF_8)).isEqualTo("body{color:red}\n");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void redirectsAndListsDirectoriesForCurl(Engine engine) throws Exception {
        try (Server server = start(engine)) {
            String redirect = new String(curl("-o", "/dev/null", "-w", "%{http_code} %{redirect_url}",
                    url(server, "/docs?x=1")), StandardCharsets.UTF_8);
            assertThat(redirect).isEqualTo("301 " + url(server, "/docs/?x=1"));
            String html = new String(curl(url(server, "/docs/")), StandardCharsets.UTF_8);
            assertThat(html).contains("&lt;script&gt;alert(1)&lt;script&gt;.txt").doesNotContain("<script>");
            String followed = new String(curl("-L", url(server, "/docs/with%20space.txt")), StandardCharsets.UTF_8);
            assertThat(followed).isEqualTo("doc with space.txt\n");
        }
    }
}
