package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice serve} end to end, with curl as the client. */
@Timeout(90)
class ServeIT {
    private static final Pattern LISTENING =
            Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration START_WAIT = Duration.ofSeconds(30);

    @Test
    void servesFilesListsFoldersAndNeverLeavesTheRoot(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(tmp.resolve("secret.txt"), "SENTINEL-OUTSIDE-ROOT");
        Files.writeString(root.resolve("hello.txt"), "hello, file");
        Files.writeString(root.resolve(".env"), "SECRET=1");
        Files.createDirectories(root.resolve("docs"));
        Files.writeString(root.resolve("docs").resolve("a b.html"), "<p>a</p>");
        try (SluiceProcess p = SluiceProcess.jar("serve", "--host", "127.0.0.1", "--port", "0",
                root.toString())) {
            String base = "http://127.0.0.1:" + Integer.parseInt(p.awaitStdout(LISTENING, START_WAIT).group(1));
            p.awaitStdout(Pattern.compile("  http://.*"), START_WAIT);
            assertThat(p.stdout()).as("serve's default engine").anyMatch(l -> l.startsWith("engine: event-loop "));
            assertThat(p.stdout()).as("the folder and the one URL of a server bound to one address%n%s",
                    p.transcript()).containsSequence("serving " + root.toRealPath() + " at", "  " + base + "/");
            assertThat(curl("-sS", base + "/hello.txt")).as(p::transcript).isEqualTo("hello, file");
            assertThat(curl("-sS", "-i", base + "/hello.txt"))
                    .containsIgnoringCase("content-type: text/plain; charset=utf-8")
                    .containsIgnoringCase("etag: \"")
                    .containsIgnoringCase("last-modified: ");
            assertThat(curl("-sS", "-r", "0-4", base + "/hello.txt")).isEqualTo("hello");
            assertThat(curl("-sS", base + "/docs/")).contains("a%20b.html").contains("a b.html");
            assertThat(curl("-sS", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", base + "/docs"))
                    .isEqualTo("301 " + base + "/docs/");
            assertThat(curl("-sS", "-o", "/dev/null", "-w", "%{http_code}", base + "/.env")).isEqualTo("404");
            for (String attack : List.of("/../secret.txt", "/%2e%2e/secret.txt", "/docs/..%2f..%2fsecret.txt",
                    "/..%5csecret.txt", "//secret.txt")) {
                String got = curl("-sS", "--path-as-is", "-w", " %{http_code}", base + attack);
                assertThat(got).as("GET %s", attack).doesNotContain("SENTINEL")
                        .matches("(?s).* (400|404)");
            }
            assertThat(curl("-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "POST", base + "/hello.txt"))
                    .isEqualTo("405");
            p.sigterm();
            assertThat(p.awaitExit()).as(p::transcript).isZero();
        }
    }

    @Test
    void hasTheAdminPortAndTheAccessLog(@TempDir Path root) throws Exception {
        Files.writeString(root.resolve("x.txt"), "x");
        Path log = root.resolveSibling(root.getFileName() + "-access.log");
        try (SluiceProcess p = SluiceProcess.jar("serve", "--host", "127.0.0.1", "--port", "0",
                "--admin-port", "0", "--access-log", log.toString(), root.toString())) {
            String admin = p.awaitStdout(Pattern.compile("admin on (http://127\\.0\\.0\\.1:\\d+)"), START_WAIT).group(1);
            String base = "http://127.0.0.1:" + Integer.parseInt(p.awaitStdout(LISTENING, START_WAIT).group(1));
            assertThat(curl("-sS", base + "/x.txt")).isEqualTo("x");
            assertThat(curl("-sS", admin + "/health")).as(p::transcript).contains("ok");
            assertThat(curl("-sS", admin + "/metrics")).contains("sluice_requests");
            p.sigterm();
            assertThat(p.awaitExit()).as(p::transcript).isZero();
            assertThat(Files.readString(log)).as("access log").contains("\"GET /x.txt HTTP/1.1\" 200 1");
        } finally {
            Files.deleteIfExists(log);
        }
    }

    /** --header, --cors, --spa and error pages together, on every engine, through curl. */
    @ParameterizedTest
    @ValueSource(strings = {"sequential", "thread-per-connection", "pool", "virtual", "event-loop"})
    void addsHeadersAnswersCorsServesASinglePageAppAndErrorPages(String engine, @TempDir Path root) throws Exception {
        Files.writeString(root.resolve("index.html"), "<!doctype html><title>shell</title>");
        Files.writeString(root.resolve("app.js"), "boot()");
        Files.writeString(root.resolve("404.html"), "<h1>lost</h1>");
        String big = "let line = 'compressible';\n".repeat(100);
        Files.writeString(root.resolve("big.js"), big);
        Files.createDirectories(root.resolve("errors"));
        Files.writeString(root.resolve("errors/405.txt"), "read-only");
        try (SluiceProcess p = SluiceProcess.jar("serve", "--host", "127.0.0.1", "--port", "0", "--engine", engine,
                "--error-page", "405=errors/405.txt", "--spa", "--header", "X-Frame-Options: DENY", "--header", "Link: </app.js>; rel=preload",
                "--header", "Link: </a.css>; rel=preload", "--cors", "https://app.example", root.toString())) {
            String base = "http://127.0.0.1:" + Integer.parseInt(p.awaitStdout(LISTENING, START_WAIT).group(1));
            String js = curl("-sS", "-i", "-H", "Origin: https://app.example", base + "/app.js");
            assertThat(js).as(p::transcript).startsWith("HTTP/1.1 200").endsWith("boot()")
                    .containsIgnoringCase("x-frame-options: DENY")
                    .contains("Link: </app.js>; rel=preload").contains("Link: </a.css>; rel=preload")
                    .containsIgnoringCase("access-control-allow-origin: https://app.example")
                    .containsIgnoringCase("vary: Origin");
            String preflight = curl("-sS", "-i", "-X", "OPTIONS", "-H", "Origin: https://app.example",
                    "-H", "Access-Control-Request-Method: GET", base + "/app.js");
            assertThat(preflight).startsWith("HTTP/1.1 204")
                    .containsIgnoringCase("access-control-allow-methods: GET, HEAD")
                    .containsIgnoringCase("x-frame-options: DENY");
            assertThat(curl("-sS", "-i", "-H", "Origin: https://evil.example", base + "/app.js"))
                    .doesNotContainIgnoringCase("access-control-allow-origin");
            assertThat(curl("-sS", "-w", " %{http_code}", "-H", "Accept: text/html", base + "/users/42"))
                    .as("a client-side route").isEqualTo("<!doctype html><title>shell</title> 200");
            assertThat(curl("-sS", "-w", " %{http_code}", "-H", "Accept: */*", base + "/gone.js"))
                    .as("a missing asset, with the folder's 404.html").isEqualTo("<h1>lost</h1> 404");
            assertThat(curl("-sS", "-w", " %{http_code}", "-X", "DELETE", base + "/app.js"))
                    .as("--error-page").isEqualTo("read-only 405");
            assertThat(Integer.parseInt(curl("-sS", "--compressed", "-o", "/dev/null", "-w", "%{size_download}",
                    base + "/big.js"))).as("gzipped on the fly: bytes on the wire").isLessThan(big.length() / 4);
            assertThat(curl("-sS", "--compressed", base + "/big.js")).as("curl decodes it").isEqualTo(big);
            assertThat(curl("-sS", "-D", "-", "-o", "/dev/null", "-H", "Accept-Encoding: gzip", base + "/big.js"))
                    .containsIgnoringCase("content-encoding: gzip").containsIgnoringCase("vary: Accept-Encoding");
            p.sigterm();
            assertThat(p.awaitExit()).as(p::transcript).isZero();
        }
    }

    /** --basic-auth on every engine: 401 with a challenge, the file with the password, preflights free. */
    @ParameterizedTest
    @ValueSource(strings = {"sequential", "thread-per-connection", "pool", "virtual", "event-loop"})
    void asksForAPasswordWithBasicAuth(String engine, @TempDir Path root) throws Exception {
        Files.writeString(root.resolve("x.txt"), "x");
        Path users = root.resolveSibling(root.getFileName() + ".htpasswd");
        Files.writeString(users, "alice:" + org.bouncycastle.crypto.generators.OpenBSDBCrypt.generate("2y",
                "s3cret".toCharArray(), "sixteen bytes!!!".getBytes(StandardCharsets.US_ASCII), 4) + "\n");
        try (SluiceProcess p = SluiceProcess.jar("serve", "--host", "127.0.0.1", "--port", "0",
                "--engine", engine, "--basic-auth", users.toString(), "--basic-auth-realm", "team",
                "--cors", "https://app.example", root.toString())) {
            String base = "http://127.0.0.1:" + Integer.parseInt(p.awaitStdout(LISTENING, START_WAIT).group(1));
            String refused = curl("-sS", "-i", base + "/x.txt");
            assertThat(refused).as(p::transcript).startsWith("HTTP/1.1 401 ")
                    .containsIgnoringCase("www-authenticate: Basic realm=\"team\", charset=\"UTF-8\"")
                    .doesNotContain("\r\n\r\nx");
            assertThat(curl("-sS", "-o", "/dev/null", "-w", "%{http_code}", "-u", "alice:wrong", base + "/x.txt"))
                    .isEqualTo("401");
            assertThat(curl("-sS", "-u", "alice:s3cret", base + "/x.txt")).isEqualTo("x");
            assertThat(curl("-sS", "-o", "/dev/null", "-w", "%{http_code}", "-X", "OPTIONS",
                    "-H", "Origin: https://app.example", "-H", "Access-Control-Request-Method: GET", base + "/x.txt"))
                    .as("a preflight carries no credentials and is answered without them").isEqualTo("204");
            assertThat(p.stderr()).as("no warning on loopback%n%s", p.transcript())
                    .noneMatch(l -> l.contains("basic_auth_in_clear"));
        } finally {
            Files.deleteIfExists(users);
        }
    }

    /** The console line per request: on by default, in the common format; none with --quiet. */
    @ParameterizedTest
    @ValueSource(strings = {"sequential", "thread-per-connection", "pool", "virtual", "event-loop"})
    void printsALinePerRequestUnlessQuiet(String engine, @TempDir Path root) throws Exception {
        Files.writeString(root.resolve("x.txt"), "x");
        try (SluiceProcess p = SluiceProcess.jar("serve", "--host", "127.0.0.1", "--port", "0",
                "--engine", engine, root.toString())) {
            String base = "http://127.0.0.1:" + Integer.parseInt(p.awaitStdout(LISTENING, START_WAIT).group(1));
            assertThat(curl("-sS", base + "/x.txt")).isEqualTo("x");
            assertThat(curl("-sS", "-o", "/dev/null", "-w", "%{http_code}", base + "/nope")).isEqualTo("404");
            p.awaitStdout(Pattern.compile("127\\.0\\.0\\.1 - - \\[[^]]+] \"GET /x\\.txt HTTP/1\\.1\" 200 1"),
                    START_WAIT);
            p.awaitStdout(Pattern.compile("127\\.0\\.0\\.1 - - \\[[^]]+] \"GET /nope HTTP/1\\.1\" 404 \\d+"),
                    START_WAIT);
        }
        try (SluiceProcess p = SluiceProcess.jar("serve", "--host", "127.0.0.1", "--port", "0",
                "--engine", engine, "--quiet", root.toString())) {
            String base = "http://127.0.0.1:" + Integer.parseInt(p.awaitStdout(LISTENING, START_WAIT).group(1));
            assertThat(curl("-sS", base + "/x.txt")).isEqualTo("x");
            p.sigterm();
            assertThat(p.awaitExit()).as(p::transcript).isZero();
            // After the exit every queued line would have been written: none may be there.
            assertThat(p.stdout()).as(p::transcript).noneMatch(l -> l.contains("GET /x.txt"));
        }
    }

    @Test
    void noListingAnswers404ForAFolder(@TempDir Path root) throws Exception {
        Files.createDirectories(root.resolve("d"));
        try (SluiceProcess p = SluiceProcess.jar("serve", "--host", "127.0.0.1", "--port", "0",
                "--no-listing", root.toString())) {
            String base = "http://127.0.0.1:" + Integer.parseInt(p.awaitStdout(LISTENING, START_WAIT).group(1));
            assertThat(curl("-sS", "-o", "/dev/null", "-w", "%{http_code}", base + "/d/")).isEqualTo("404");
        }
    }

    @Test
    void aFolderThatDoesNotExistIsABadValue(@TempDir Path tmp) {
        try (SluiceProcess p = SluiceProcess.jar("serve", "--port", "0", tmp.resolve("nope").toString())) {
            assertThat(p.awaitExit()).as(p::transcript).isEqualTo(2);
            assertThat(p.stderr()).as(p::transcript).hasSize(1)
                    .allMatch(l -> l.startsWith("sluice: DIR '") && l.contains("' does not exist"));
        }
    }

    /** The admin port on the main port would bind, print its URL, then fail the main one. */
    @Test
    void refusesAnAdminPortOnTheMainPortBeforeBindingEither() throws Exception {
        int port;
        try (ServerSocket probe = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            port = probe.getLocalPort();
        }
        try (SluiceProcess p = SluiceProcess.jar("serve", "--host", "127.0.0.1", "--port",
                Integer.toString(port), "--admin-port", Integer.toString(port))) {
            CommandLineIT.assertUsageError(p);
            assertThat(p.stderr().get(0)).as(p::transcript)
                    .startsWith("sluice: --port and --admin-port are both " + port + " ");
        }
    }

    private static String curl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "--max-time", "20"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("curl %s: %s", cmd, out).isZero();
        return out;
    }
}
