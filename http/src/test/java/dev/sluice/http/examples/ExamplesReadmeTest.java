package dev.sluice.http.examples;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Codec;
import dev.sluice.core.ConnectionInfo;
import dev.sluice.core.Protocol;
import dev.sluice.http.CapturingOutput;
import dev.sluice.http.HttpHandler;
import dev.sluice.http.HttpProtocol;
import dev.sluice.http.HttpRequest;
import dev.sluice.http.HttpResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The HTTP examples of the manual (docs/embedding.md) are these files, less their package line:
 * each {@code java} block of README.md or docs/*.md whose class has a file here must equal that
 * file, which the build compiles, and the handlers are driven through the codec as a client would
 * drive them (no socket). Every other block is compiled by the cli module's DocSnippetsTest.
 */
class ExamplesReadmeTest {
    private static final String PACKAGE_LINE = "package dev.sluice.http.examples;\n\n";
    private static final List<String> EXAMPLES = List.of("NotesMain", "CounterMain", "SiteMain", "UploadMain",
            "DigestMain");
    private static final Pattern CLASS = Pattern.compile("public class (\\w+)");

    @Test
    void docsShowEachHttpExampleExactlyAsCompiled() throws IOException {
        Path root = repositoryRoot();
        Path dir = root.resolve("http/src/test/java/dev/sluice/http/examples");
        List<String> shown = new ArrayList<>();
        for (Path page : pages(root)) {
            String pageName = root.relativize(page).toString();
            for (String block : javaBlocks(Files.readString(page))) {
                Matcher m = CLASS.matcher(block);
                if (!m.find() || !EXAMPLES.contains(m.group(1))) {
                    continue;
                }
                String name = m.group(1);
                Path file = dir.resolve(name + ".java");
                String want = Files.readString(file).replace("\r\n", "\n");
                assertThat(want).as("%s starts with its package line", file).startsWith(PACKAGE_LINE);
                want = want.substring(PACKAGE_LINE.length());
                assertThat(block).as("%s's %s differs from %s; want:%n%s", pageName, name, file, want)
                        .isEqualTo(want);
                shown.add(name);
            }
        }
        assertThat(shown).as("examples shown in README.md and docs/: got %s; want each of %s once",
                shown, EXAMPLES).containsExactlyInAnyOrderElementsOf(EXAMPLES);
    }

    @Test
    void notesMainStoresNotesAndSendsTheFile(@TempDir Path tmp) throws Exception {
        Path logo = Files.write(tmp.resolve("logo.png"), new byte[] {(byte) 0x89, 'P', 'N', 'G'});
        Map<String, String> notes = new ConcurrentHashMap<>();
        HttpHandler router = NotesMain.routes(notes, logo);

        String created = exchange(router, "POST /notes HTTP/1.1\r\nHost: h\r\n"
                + "Content-Length: 8\r\n\r\nbuy milk");
        assertThat(created).as("POST").startsWith("HTTP/1.1 201 Created\r\n")
                .contains("\r\nLocation: /notes/1\r\n").endsWith("\r\n\r\ncreated\n");
        assertThat(notes).as("stored").containsEntry("1", "buy milk");

        assertThat(exchange(router, "GET /notes/%31 HTTP/1.1\r\nHost: h\r\n\r\n"))
                .as("GET a note").startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\nbuy milk");
        assertThat(exchange(router, "GET /notes/2 HTTP/1.1\r\nHost: h\r\n\r\n"))
                .as("GET a missing note").startsWith("HTTP/1.1 404 Not Found\r\n");
        assertThat(exchange(router, "DELETE /notes/1 HTTP/1.1\r\nHost: h\r\n\r\n"))
                .as("DELETE").startsWith("HTTP/1.1 405 Method Not Allowed\r\n")
                .contains("\r\nAllow: GET, HEAD\r\n");

        String file = exchange(router, "GET /logo.png HTTP/1.1\r\nHost: h\r\n\r\n");
        assertThat(file).as("GET the file").startsWith("HTTP/1.1 200 OK\r\n")
                .contains("\r\nContent-Type: image/png\r\n", "\r\nContent-Length: 4\r\n")
                .endsWith("\r\n\r\n\u0089PNG");
        assertThat(exchange(router, "HEAD /logo.png HTTP/1.1\r\nHost: h\r\n\r\n"))
                .as("HEAD the file").contains("\r\nContent-Length: 4\r\n").endsWith("\r\n\r\n");

        Files.delete(logo);
        assertThat(exchange(router, "GET /logo.png HTTP/1.1\r\nHost: h\r\n\r\n"))
                .as("GET a file gone missing").startsWith("HTTP/1.1 404 Not Found\r\n");
    }

    @Test
    void counterMainIsNonBlockingAndCounts() throws Exception {
        HttpHandler counter = CounterMain.counter(new AtomicLong());

        assertThat(HttpProtocol.create(counter).handler().mayBlock()).as("mayBlock").isFalse();
        assertThat(exchange(counter, "GET / HTTP/1.1\r\nHost: h\r\n\r\n")).endsWith("\r\n\r\nhit 1\n");
        assertThat(exchange(counter, "GET /x HTTP/1.1\r\nHost: h\r\n\r\n")).endsWith("\r\n\r\nhit 2\n");
    }

    @Test
    void siteMainMountsTheFolderGuardsTheApiAndWrapsEverything(@TempDir Path tmp) throws Exception {
        Files.writeString(tmp.resolve("a.css"), "body{}\n");
        HttpHandler site = SiteMain.site(tmp);

        assertThat(exchange(site, "GET /assets/a.css HTTP/1.1\r\nHost: h\r\n\r\n")).as("a mounted file")
                .startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nX-Frame-Options: DENY\r\n").endsWith("body{}\n");
        assertThat(exchange(site, "GET /assets HTTP/1.1\r\nHost: h\r\n\r\n")).as("the mount itself")
                .startsWith("HTTP/1.1 301 ").contains("\r\nLocation: /assets/\r\n");
        assertThat(exchange(site, "GET /a.css HTTP/1.1\r\nHost: h\r\n\r\n")).as("the fallback")
                .startsWith("HTTP/1.1 404 ").contains("\r\nX-Frame-Options: DENY\r\n").endsWith("no page at /a.css\n");
        assertThat(exchange(site, "GET /api/square/12 HTTP/1.1\r\nHost: h\r\n\r\n")).as("no key")
                .startsWith("HTTP/1.1 401 ").contains("\r\nX-Frame-Options: DENY\r\n");
        assertThat(exchange(site, "GET /api/square/12 HTTP/1.1\r\nHost: h\r\nX-Api-Key: s3cret\r\n\r\n"))
                .as("with the key").startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\n144\n");
        assertThat(exchange(site, "GET /api/square/x HTTP/1.1\r\nHost: h\r\nX-Api-Key: s3cret\r\n\r\n"))
                .as("an exception mapped to 400").startsWith("HTTP/1.1 400 ").endsWith("\r\n\r\nnot a number\n");
    }

    @Test
    void uploadMainStreamsUploadsToFilesAndCountsAsItSends(@TempDir Path tmp) throws Exception {
        HttpHandler upload = UploadMain.routes(tmp);

        assertThat(exchange(upload, "PUT /files/a.txt HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"))
                .as("PUT").startsWith("HTTP/1.1 201 ").endsWith("\r\n\r\n5 bytes\n");
        assertThat(tmp.resolve("a.txt")).hasContent("hello");
        assertThat(exchange(upload, "PUT /files/.. HTTP/1.1\r\nHost: h\r\nContent-Length: 1\r\n\r\nx"))
                .as("a name that leaves the folder").startsWith("HTTP/1.1 400 ");
        assertThat(exchange(upload, "GET /count/3 HTTP/1.1\r\nHost: h\r\n\r\n")).as("GET")
                .startsWith("HTTP/1.1 200 OK\r\n").contains("\r\nTransfer-Encoding: chunked\r\n")
                .endsWith("\r\n\r\n6\r\n1\n2\n3\n\r\n0\r\n\r\n");
    }

    @Test
    void digestMainAnswersTheBodysSha256() throws Exception {
        String sha = java.util.HexFormat.of().formatHex(
                java.security.MessageDigest.getInstance("SHA-256").digest("hello".getBytes(StandardCharsets.US_ASCII)));
        assertThat(exchange(DigestMain.digest(), "PUT /f HTTP/1.1\r\nHost: h\r\nContent-Length: 5\r\n\r\nhello"))
                .startsWith("HTTP/1.1 200 OK\r\n").endsWith("\r\n\r\n" + sha + "\n");
        assertThat(exchange(DigestMain.digest(), "PUT /f HTTP/1.1\r\nHost: h\r\nTransfer-Encoding: chunked\r\n\r\n"
                + "2\r\nhe\r\n3\r\nllo\r\n0\r\n\r\n")).as("chunked").endsWith("\r\n\r\n" + sha + "\n");
    }

    /** What the server writes back to {@code raw}, sent on a new connection, as ISO-8859-1. */
    private static String exchange(HttpHandler handler, String raw) throws Exception {
        Protocol<HttpRequest, HttpResponse> protocol = HttpProtocol.create(handler);
        Codec<HttpRequest, HttpResponse> codec = protocol.newCodec(new ConnectionInfo(1,
                new InetSocketAddress("127.0.0.1", 50000), new InetSocketAddress("127.0.0.1", 8080)));
        CapturingOutput out = new CapturingOutput();
        ByteBuffer in = ByteBuffer.wrap(raw.getBytes(StandardCharsets.ISO_8859_1));
        for (HttpRequest request; (request = codec.decode(in, out)) != null; ) {
            HttpResponse response;
            try {
                response = protocol.handler().handle(request);
            } catch (Exception e) {
                codec.encodeFailure(e, out, false);
                continue;
            }
            codec.encode(response, out, false);
        }
        return new String(out.toByteArray(), StandardCharsets.ISO_8859_1);
    }

    /** The contents of each fenced {@code java} block, with its final newline. */
    private static List<String> javaBlocks(String markdown) {
        List<String> blocks = new ArrayList<>();
        StringBuilder block = null;
        for (String line : markdown.replace("\r\n", "\n").split("\n", -1)) {
            if (block == null) {
                if (line.equals("```java")) {
                    block = new StringBuilder();
                }
            } else if (line.equals("```")) {
                blocks.add(block.toString());
                block = null;
            } else {
                block.append(line).append('\n');
            }
        }
        return blocks;
    }

    /** README.md, then every docs/*.md by name. */
    private static List<Path> pages(Path root) throws IOException {
        List<Path> pages = new ArrayList<>(List.of(root.resolve("README.md")));
        try (Stream<Path> docs = Files.list(root.resolve("docs"))) {
            docs.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().forEach(pages::add);
        }
        return pages;
    }

    /** The directory holding README.md and http/, found from the working directory upwards. */
    private static Path repositoryRoot() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (Files.isRegularFile(dir.resolve("README.md")) && Files.isDirectory(dir.resolve("http/src"))) {
                return dir;
            }
        }
        throw new AssertionError("no README.md beside http/ above " + Path.of("").toAbsolutePath());
    }
}
