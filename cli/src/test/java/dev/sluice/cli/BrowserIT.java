package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URI;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.function.IntConsumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.zip.CRC32;
import java.util.zip.DataFormatException;
import java.util.zip.Inflater;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The pages of {@code sluice serve} as a browser shows them: the directory listing and the admin
 * port's {@code /status}, loaded in headless {@link Chromium}, their rendered DOM checked and a
 * screenshot of each kept under {@code target/browser/} for people to look at; and a page over
 * HTTPS, which Chromium renders only when the server's certificate chains to a CA it trusts.
 */
@Timeout(240)
class BrowserIT {
    static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
    static final Pattern HTTPS = Pattern.compile("listening on https://127\\.0\\.0\\.1:(\\d+)");
    static final Pattern ADMIN = Pattern.compile("admin on http://127\\.0\\.0\\.1:(\\d+)");
    static final Duration START_WAIT = Duration.ofSeconds(30);
    static final Path SCREENSHOTS = SluiceProcess.MODULE_DIR.resolve("target").resolve("browser");
    /** A name that is markup if the listing forgets to escape it: it would retitle the page. */
    static final String XSS = "<img src=x onerror=document.title='pwned'>.txt";
    static final String UNICODE = "\u00fcn\u00efcode.txt";
    /** A listing row as Chromium serializes it: whether a folder, the link, the link's text. */
    static final Pattern ROW =
            Pattern.compile("<tr( class=\"dir\")?><td><a href=\"([^\"]*)\">([^<]*)</a></td>");
    /** A row of the status page's tables: a name and a count ({@code 1,234}). */
    static final Pattern COUNT = Pattern.compile("<tr><th>([^<]+)</th><td>([0-9,]+)</td></tr>");
    static final byte[] PNG_SIGNATURE = {(byte) 0x89, 'P', 'N', 'G', '\r', '\n', 0x1a, '\n'};

    Chromium chromium;

    /** One row of the listing as rendered. */
    record Row(boolean directory, String href, String text) {
    }

    @BeforeEach
    @Timeout(value = 15, unit = TimeUnit.MINUTES) // the first may install chromium
    void findChromium() {
        chromium = Chromium.require();
    }

    @Test
    void listingShowsEveryNameAsTextWithLinksThatLeadToTheFiles(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("site"));
        Files.createDirectories(root.resolve("sub"));
        // The payload as markup, in a page of its own: proves this Chromium runs it, so that the
        // listing's title staying put means something.
        Files.writeString(root.resolve("sub").resolve("canary.html"),
                "<!doctype html>" + XSS.replace(".txt", ""));
        Map<String, String> files = new LinkedHashMap<>();
        files.put("a b.txt", "a file with a space");
        files.put(UNICODE, "a file with accents \u00e9");
        files.put(XSS, "a file named like markup");
        for (Map.Entry<String, String> f : files.entrySet()) {
            Files.writeString(root.resolve(f.getKey()), f.getValue());
        }
        try (SluiceProcess p = SluiceProcess.jar("serve", "--host", "127.0.0.1", "--port", "0",
                root.toString())) {
            URI base = URI.create("http://127.0.0.1:" + p.awaitStdout(LISTENING, START_WAIT).group(1) + "/");

            String canary = chromium.dumpDom(base.resolve("sub/canary.html"));
            assertThat(title(canary)).as("the payload as markup runs in this browser: %s", canary)
                    .isEqualTo("pwned");

            String dom = chromium.dumpDom(base);
            assertThat(title(dom)).as("a name ran as script: %s", dom).isEqualTo("Index of /");
            assertThat(dom).as("a name became an element").doesNotContainIgnoringCase("<img");
            assertThat(rows(dom)).as("%s%n%s", dom, p.transcript()).containsExactly(
                    new Row(true, "./sub/", "sub/"),
                    new Row(false, "./%3Cimg%20src%3Dx%20onerror%3Ddocument.title%3D%27pwned%27%3E.txt", XSS),
                    new Row(false, "./a%20b.txt", "a b.txt"),
                    new Row(false, "./%C3%BCn%C3%AFcode.txt", UNICODE));
            assertThat(dom).contains("1 directory, 3 files");

            for (Row row : rows(dom)) {
                URI link = base.resolve(row.href());
                Path body = tmp.resolve("body");
                String status = curl("-sS", "-o", body.toString(), "-w", "%{http_code}", link.toString());
                assertThat(status).as("GET %s%n%s", link, p.transcript()).isEqualTo("200");
                String got = Files.readString(body, StandardCharsets.UTF_8);
                if (row.directory()) {
                    assertThat(got).as("GET %s", link).contains("canary.html");
                } else {
                    assertThat(got).as("GET %s", link).isEqualTo(files.get(row.text()));
                }
            }

            Path png = SCREENSHOTS.resolve("listing.png");
            chromium.screenshot(base, png);
            assertIsAPicture(png);
        }
    }

    @Test
    void statusPageShowsTheRequestAndConnectionCounts(@TempDir Path root) throws Exception {
        try (SluiceProcess help = SluiceProcess.jar("serve", "--help")) {
            assertThat(help.awaitExit()).as(help::transcript).isZero();
            assumeTrue(String.join("\n", help.stdout()).contains("--admin-port"),
                    "serve has no --admin-port yet ('sluice serve --help' does not list it), so there "
                            + "is no status page to load");
        }
        Files.writeString(root.resolve("hello.txt"), "hello");
        try (SluiceProcess p = SluiceProcess.jar("serve", "--host", "127.0.0.1", "--port", "0",
                "--admin-port", "0", root.toString())) {
            int admin = Integer.parseInt(p.awaitStdout(ADMIN, START_WAIT).group(1));
            int port = Integer.parseInt(p.awaitStdout(LISTENING, START_WAIT).group(1));
            int requests = 5;
            for (int i = 0; i < requests; i++) {
                // One connection each (Connection: close), so the connections count too.
                assertThat(RawHttp.get(port, "/hello.txt").status()).as(p::transcript).isEqualTo(200);
            }

            URI status = URI.create("http://127.0.0.1:" + admin + "/status");
            String dom = chromium.dumpDom(status);
            assertThat(title(dom)).as(dom).isEqualTo("sluice status");
            Map<String, String> counts = counts(dom);
            assertThat(counts).as("%s%n%s", dom, p.transcript())
                    .containsEntry("2xx", Integer.toString(requests))
                    .containsEntry("accepted", Integer.toString(requests))
                    .containsKeys("open", "bytes received", "bytes sent");
            assertThat(dom).contains("requests/s", "p50", "p99", "http://127.0.0.1:" + port);

            Path png = SCREENSHOTS.resolve("status.png");
            chromium.screenshot(status, png);
            assertIsAPicture(png);
        }
    }

    @Test
    void rendersHttpsPageOnlyWhenItsCertificateChainsToATrustedCa(@TempDir Path tmp) throws Exception {
        Path root = Files.createDirectories(tmp.resolve("site"));
        // The script shows where the page was loaded from, as the browser saw it.
        Files.writeString(root.resolve("index.html"), """
                <!doctype html><title>sluice over https</title><p id="from"></p>
                <script>document.getElementById("from").textContent = location.protocol + "//" + location.host;
                </script>""");
        TestCa trusted = new TestCa();
        Path trustedDir = Files.createDirectories(tmp.resolve("trusted"));
        Chromium browser = chromium.trusting(trusted.write(trustedDir), Files.createDirectories(tmp.resolve("home")));
        TestCa other = new TestCa();
        Path otherDir = Files.createDirectories(tmp.resolve("other"));
        Path otherCa = other.write(otherDir);

        try (SluiceProcess p = serveHttps(trusted.issue(trustedDir, "site", "localhost", "127.0.0.1"), root)) {
            String host = "127.0.0.1:" + p.awaitStdout(HTTPS, START_WAIT).group(1);
            Chromium.Page page = browser.load(URI.create("https://" + host + "/"));
            assertThat(page.error()).as("load error; %s%n%s", page.dom(), p.transcript()).isEmpty();
            assertThat(title(page.dom())).as("%s%n%s", page.dom(), p.transcript()).isEqualTo("sluice over https");
            assertThat(page.dom()).contains("<p id=\"from\">https://" + host + "</p>");
        }

        try (SluiceProcess p = serveHttps(other.issue(otherDir, "site", "localhost", "127.0.0.1"), root)) {
            String url = "https://127.0.0.1:" + p.awaitStdout(HTTPS, START_WAIT).group(1) + "/";
            // The server is fine: a client that trusts the other CA gets the page.
            assertThat(curl("-sS", "--cacert", otherCa.toString(), url)).as(p::transcript)
                    .contains("<title>sluice over https</title>");
            Chromium.Page page = browser.load(URI.create(url));
            assertThat(page.error()).as("load error; %s%n%s", page.dom(), p.transcript())
                    .isEqualTo("net::ERR_CERT_AUTHORITY_INVALID");
            assertThat(page.dom()).as("the page from an untrusted CA was rendered: %s", page.dom())
                    .doesNotContain("sluice over https");
        }
    }

    private static SluiceProcess serveHttps(TestCa.Issued site, Path root) {
        return SluiceProcess.jar("serve", "--host", "127.0.0.1", "--port", "0", "--tls-cert",
                site.certificate().toString(), "--tls-key", site.key().toString(), root.toString());
    }

    private static String title(String dom) {
        Matcher m = Pattern.compile("<title>([^<]*)</title>").matcher(dom);
        return m.find() ? unescape(m.group(1)) : null;
    }

    private static List<Row> rows(String dom) {
        List<Row> rows = new ArrayList<>();
        for (Matcher m = ROW.matcher(dom); m.find(); ) {
            rows.add(new Row(m.group(1) != null, unescape(m.group(2)), unescape(m.group(3))));
        }
        return rows;
    }

    private static Map<String, String> counts(String dom) {
        Map<String, String> counts = new LinkedHashMap<>();
        for (Matcher m = COUNT.matcher(dom); m.find(); ) {
            counts.putIfAbsent(unescape(m.group(1)), m.group(2).replace(",", ""));
        }
        return counts;
    }

    /** Text as the DOM serializer escapes it (HTML spec 13.3, "escaping a string"). */
    private static String unescape(String s) {
        return s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"")
                .replace("&nbsp;", "\u00a0").replace("&amp;", "&");
    }

    private static String curl(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("curl", "--max-time", "20"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("curl %s: %s", cmd, out).isZero();
        return out;
    }

    /** A PNG of the window's size with something drawn on it: not one flat colour. */
    private static void assertIsAPicture(Path png) throws IOException {
        byte[] bytes = Files.readAllBytes(png);
        assertThat(bytes).as("%s starts with the PNG signature", png).startsWith(PNG_SIGNATURE);
        Set<Integer> colours = new HashSet<>();
        String size = decodePng(bytes, colours::add);
        assertThat(size).as("%s size", png).isEqualTo(Chromium.WINDOW_SIZE);
        assertThat(colours.size()).as("distinct colours in %s", png).isGreaterThan(16);
    }

    /**
     * Decodes a PNG as Chromium writes them (8-bit RGB or RGBA, not interlaced), checking every
     * chunk's CRC, and hands each pixel to {@code pixels} as {@code 0xAARRGGBB}; returns
     * {@code WIDTH,HEIGHT}. By hand: the tests are compiled in the cli's module, which reads no
     * {@code java.desktop} (ImageIO).
     */
    private static String decodePng(byte[] png, IntConsumer pixels) {
        ByteBuffer in = ByteBuffer.wrap(png).position(PNG_SIGNATURE.length);
        ByteArrayOutputStream idat = new ByteArrayOutputStream();
        int width = 0;
        int height = 0;
        int channels = 0;
        while (in.remaining() >= 12) {
            int length = in.getInt();
            byte[] typeAndData = new byte[4 + length];
            in.get(typeAndData);
            CRC32 crc = new CRC32();
            crc.update(typeAndData);
            assertThat((int) crc.getValue()).as("CRC of a PNG chunk").isEqualTo(in.getInt());
            String type = new String(typeAndData, 0, 4, StandardCharsets.US_ASCII);
            ByteBuffer data = ByteBuffer.wrap(typeAndData, 4, length);
            switch (type) {
                case "IHDR" -> {
                    width = data.getInt();
                    height = data.getInt();
                    int depth = data.get();
                    int colourType = data.get();
                    data.get(); // compression: always deflate
                    data.get(); // filter method: always adaptive
                    int interlace = data.get();
                    assertThat(List.of(depth, colourType, interlace)).as("PNG bit depth, colour type, "
                            + "interlace").isIn(List.of(8, 2, 0), List.of(8, 6, 0));
                    channels = colourType == 6 ? 4 : 3;
                }
                case "IDAT" -> idat.write(typeAndData, 4, length);
                default -> {
                }
            }
        }
        byte[] raw = inflate(idat.toByteArray(), height * (1 + width * channels));
        int stride = width * channels;
        byte[] previous = new byte[stride];
        byte[] line = new byte[stride];
        for (int y = 0; y < height; y++) {
            int filter = raw[y * (stride + 1)];
            System.arraycopy(raw, y * (stride + 1) + 1, line, 0, stride);
            for (int i = 0; i < stride; i++) { // RFC 2083 6: undo the scanline's filter
                int a = i >= channels ? line[i - channels] & 0xff : 0;
                int b = previous[i] & 0xff;
                int c = i >= channels ? previous[i - channels] & 0xff : 0;
                int predictor = switch (filter) {
                    case 0 -> 0;
                    case 1 -> a;
                    case 2 -> b;
                    case 3 -> (a + b) / 2;
                    case 4 -> paeth(a, b, c);
                    default -> throw new AssertionError("PNG filter type " + filter);
                };
                line[i] = (byte) (line[i] + predictor);
            }
            for (int x = 0; x < width; x++) {
                int o = x * channels;
                int alpha = channels == 4 ? line[o + 3] & 0xff : 0xff;
                pixels.accept(alpha << 24 | (line[o] & 0xff) << 16 | (line[o + 1] & 0xff) << 8
                        | line[o + 2] & 0xff);
            }
            byte[] t = previous;
            previous = line;
            line = t;
        }
        return width + "," + height;
    }

    private static int paeth(int a, int b, int c) {
        int p = a + b - c;
        int pa = Math.abs(p - a);
        int pb = Math.abs(p - b);
        int pc = Math.abs(p - c);
        return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
    }

    private static byte[] inflate(byte[] zlib, int size) {
        Inflater inflater = new Inflater();
        try {
            inflater.setInput(zlib);
            byte[] out = new byte[size];
            int n = 0;
            while (n < size && !inflater.finished()) {
                int got = inflater.inflate(out, n, size - n);
                if (got == 0 && (inflater.needsInput() || inflater.needsDictionary())) {
                    break;
                }
                n += got;
            }
            assertThat(n).as("bytes of image data in the PNG").isEqualTo(size);
            return out;
        } catch (DataFormatException e) {
            throw new AssertionError("PNG image data is not zlib: " + e.getMessage(), e);
        } finally {
            inflater.end();
        }
    }
}
