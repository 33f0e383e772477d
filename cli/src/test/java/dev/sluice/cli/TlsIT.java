package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Engine;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.math.BigInteger;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.cert.X509Certificate;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;
import java.util.regex.Pattern;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** HTTPS from the command line, against real clients: the JDK's HttpClient, curl, openssl s_client. */
@Timeout(120)
class TlsIT {
    private static final Pattern HTTPS = Pattern.compile("listening on https://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration START_WAIT = Duration.ofSeconds(30);

    @TempDir
    Path dir;
    private TestCa ca;
    private Path caFile;

    @BeforeEach
    void makeCa() throws Exception {
        ca = new TestCa();
        caFile = ca.write(dir);
        Files.writeString(Files.createDirectories(dir.resolve("site")).resolve("hello.txt"), "hello over tls\n");
    }

    /** The TLS implementation's flags: none here (the JDK's), {@code --tls-provider} in a subclass. */
    List<String> providerFlags() {
        return List.of();
    }

    SluiceProcess serve(String... flags) {
        List<String> args = new ArrayList<>(List.of("serve", "--host", "127.0.0.1", "--port", "0"));
        args.addAll(providerFlags());
        args.addAll(List.of(flags));
        args.add(dir.resolve("site").toString());
        return SluiceProcess.jar(args.toArray(String[]::new));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void servesHttpsToHttpClientAndCurlOnEveryEngine(Engine engine) throws Exception {
        TestCa.Issued site = ca.issue(dir, "site", "localhost", "127.0.0.1");
        try (SluiceProcess p = serve("--engine", engine.cliName(), "--tls-cert", site.certificate().toString(),
                "--tls-key", site.key().toString())) {
            int port = Integer.parseInt(p.awaitStdout(HTTPS, START_WAIT).group(1));
            try (HttpClient client = HttpClient.newBuilder().sslContext(ca.clientContext())
                    .version(HttpClient.Version.HTTP_1_1).build()) { // closed: sequential serves one at a time
                for (int i = 0; i < 3; i++) {
                    HttpResponse<String> r = client.send(HttpRequest.newBuilder(
                            URI.create("https://localhost:" + port + "/hello.txt")).build(),
                            HttpResponse.BodyHandlers.ofString());
                    assertThat(r.statusCode()).as(p::transcript).isEqualTo(200);
                    assertThat(r.body()).isEqualTo("hello over tls\n");
                }
            }
            String resolve = "localhost:" + port + ":127.0.0.1";
            assertThat(Tools.run("curl", "-sS", "--max-time", "20", "--cacert", caFile.toString(), "--http1.1",
                    "--resolve", resolve, "https://localhost:" + port + "/hello.txt").out())
                    .as(p::transcript).isEqualTo("hello over tls\n");
            assertThat(Tools.run("curl", "-sS", "--max-time", "20", "--cacert", caFile.toString(), "--tlsv1.2",
                    "--tls-max", "1.2", "--resolve", resolve, "-o", "/dev/null", "-w", "%{http_code}",
                    "https://localhost:" + port + "/hello.txt").out()).isEqualTo("200");
            Tools.Result plain = Tools.run("curl", "-sS", "--max-time", "20", "-w", "\n%{http_code}",
                    "http://127.0.0.1:" + port + "/hello.txt");
            assertThat(plain.out()).as("plain HTTP to the TLS port").contains("https://").endsWith("\n400");
            p.sigterm();
            assertThat(p.awaitExit()).as(p::transcript).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aStreamedUploadOverTlsIsReadToItsEndOnEveryEngine(Engine engine) throws Exception {
        TestCa.Issued site = ca.issue(dir, "site", "localhost", "127.0.0.1");
        Path upload = dir.resolve("upload");
        try (java.io.RandomAccessFile f = new java.io.RandomAccessFile(upload.toFile(), "rw")) {
            f.setLength(64L << 20); // sparse
        }
        List<String> args = new ArrayList<>(List.of("respond", "ok", "--host", "127.0.0.1", "--port", "0",
                "--engine", engine.cliName(), "--max-body-size", "1g", "--tls-cert", site.certificate().toString(),
                "--tls-key", site.key().toString()));
        args.addAll(providerFlags());
        try (SluiceProcess p = SluiceProcess.jar(args.toArray(String[]::new))) {
            int port = Integer.parseInt(p.awaitStdout(HTTPS, START_WAIT).group(1));
            String resolve = "localhost:" + port + ":127.0.0.1";
            for (String framing : List.of("Content-Length", "Transfer-Encoding: chunked")) {
                List<String> curl = new ArrayList<>(List.of("curl", "-sS", "--max-time", "60", "--cacert",
                        caFile.toString(), "--http1.1", "--resolve", resolve, "-T", upload.toString(),
                        "-w", " %{size_upload}", "https://localhost:" + port + "/"));
                if (framing.startsWith("Transfer")) {
                    curl.addAll(List.of("-H", framing));
                }
                assertThat(Tools.run(curl.toArray(String[]::new)).out()).as("%s; %s", framing, p.transcript())
                        .startsWith("ok ");
            }
        }
    }

    @Test
    void opensslSeesTheCertificateOfTheNameItAsksForAlpnAndOnlyModernVersions() throws Exception {
        TestCa.Issued a = ca.issue(dir, "a", "a.test");
        TestCa.Issued b = ca.issue(dir, "b", "*.b.test");
        try (SluiceProcess p = serve("--tls-cert", a.certificate().toString(), "--tls-key", a.key().toString(),
                "--tls-cert", b.certificate().toString(), "--tls-key", b.key().toString())) {
            String port = p.awaitStdout(HTTPS, START_WAIT).group(1);
            String to = "127.0.0.1:" + port;
            assertThat(subject(sClient("-connect", to, "-servername", "www.b.test"))).isEqualTo("CN=b");
            assertThat(subject(sClient("-connect", to, "-servername", "unknown.test"))).isEqualTo("CN=a");
            assertThat(subject(sClient("-connect", to))).isEqualTo("CN=a");
            assertThat(sClient("-connect", to, "-alpn", "http/1.1")).contains("ALPN protocol: http/1.1");
            assertThat(sClient("-connect", to, "-tls1_2")).containsPattern("New, TLSv1\\.2|Protocol *: TLSv1\\.2");
            assertThat(sClient("-connect", to, "-tls1_3")).containsPattern("New, TLSv1\\.3|Protocol *: TLSv1\\.3");
            assertThat(sClient("-connect", to, "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0"))
                    .as("TLS 1.1 refused with a protocol_version alert (70)").contains("alert number 70");
        }
    }

    /** The subject of the server certificate s_client printed, read as a certificate (not as text). */
    private static String subject(String sClientOutput) throws Exception {
        int begin = sClientOutput.indexOf("-----BEGIN CERTIFICATE-----");
        int end = sClientOutput.indexOf("-----END CERTIFICATE-----") + "-----END CERTIFICATE-----".length();
        assertThat(begin).as(sClientOutput).isNotNegative();
        var cert = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509")
                .generateCertificate(new java.io.ByteArrayInputStream(
                        sClientOutput.substring(begin, end).getBytes(StandardCharsets.US_ASCII)));
        return cert.getSubjectX500Principal().getName();
    }

    private static String sClient(String... args) throws Exception {
        List<String> cmd = new ArrayList<>(List.of("openssl", "s_client"));
        cmd.addAll(List.of(args));
        return Tools.runWithInput("Q\n", cmd.toArray(String[]::new)).out();
    }

    @Test
    void newCertificateFilesServeNewHandshakesWhileOpenConnectionsGoOn() throws Exception {
        TestCa.Issued first = ca.issue(dir, "first", "localhost", "127.0.0.1");
        TestCa.Issued second = ca.issue(dir, "second", "localhost", "127.0.0.1");
        Live live = live(first);
        try (SluiceProcess p = serve(live.flags())) {
            int port = Integer.parseInt(p.awaitStdout(HTTPS, START_WAIT).group(1));
            assertThat(serial(port)).isEqualTo(first.serial());
            try (SSLSocket open = handshake(port)) {
                live.swapTo(second);
                assertThat(eventually(() -> serial(port).equals(second.serial())))
                        .as("new handshakes see the new serial%n%s", p.transcript()).isTrue();
                assertThat(get(open)).as("the connection opened before still serves").startsWith("HTTP/1.1 200");
            }
            Files.writeString(live.cert(), "not a certificate");
            p.awaitStderr(Pattern.compile(".*tls_reload_failed.*"), Duration.ofSeconds(30));
            assertThat(serial(port)).as("a broken file keeps the pair in service").isEqualTo(second.serial());
        }
    }

    @Test
    void metricsCountHandshakesByProtocolAndFailuresByReasonAndShowEachCertificatesExpiry() throws Exception {
        TestCa.Issued first = ca.issue(dir, "first", "localhost", "127.0.0.1");
        TestCa.Issued second = ca.issue(dir, "second", "localhost", "127.0.0.1");
        Live live = live(first);
        try (SluiceProcess p = serve(live.flags("--admin-port", "0"))) {
            int port = Integer.parseInt(p.awaitStdout(HTTPS, START_WAIT).group(1));
            int admin = Integer.parseInt(p.awaitStdout(AdminIT.ADMIN, START_WAIT).group(1));
            String url = "https://127.0.0.1:" + port + "/hello.txt";
            for (String[] versions : new String[][] {{}, {}, {"--tlsv1.2", "--tls-max", "1.2"}}) {
                List<String> curl = new ArrayList<>(List.of("curl", "-sS", "--max-time", "20", "--cacert",
                        caFile.toString(), url));
                curl.addAll(List.of(versions));
                assertThat(Tools.run(curl.toArray(String[]::new)).out()).isEqualTo("hello over tls\n");
            }
            assertThat(Tools.run("curl", "-sS", "--max-time", "20", "-o", "/dev/null", "-w", "%{http_code}",
                    "http://127.0.0.1:" + port + "/").out()).isEqualTo("400");
            sClient("-connect", "127.0.0.1:" + port, "-tls1_1", "-cipher", "DEFAULT:@SECLEVEL=0");
            assertThat(eventually(() -> sum(metrics(admin), "sluice_tls_handshake_failures_total", "") == 2))
                    .as("two failures counted%n%s", metrics(admin)).isTrue();
            String text = metrics(admin);
            assertThat(sum(text, "sluice_tls_handshakes_total", "protocol=\"TLSv1.3\"")).as(text).isEqualTo(2);
            assertThat(sum(text, "sluice_tls_handshakes_total", "protocol=\"TLSv1.2\"")).as(text).isEqualTo(1);
            assertThat(sum(text, "sluice_tls_handshake_failures_total", "reason=\"plaintext\"")).isEqualTo(1);
            assertThat(sum(text, "sluice_tls_handshake_failures_total", "reason=\"protocol_version\"")).isEqualTo(1);
            assertThat(text).contains("sluice_tls_handshakes_resumed_total ");
            assertThat(sum(text, "sluice_tls_certificate_expiry_timestamp_seconds",
                    "serial=\"" + first.serial().toString(16) + "\"")).isEqualTo(notAfter(first));
            live.swapTo(second);
            String secondSerial = "serial=\"" + second.serial().toString(16) + "\"";
            assertThat(eventually(() -> sum(metrics(admin), "sluice_tls_certificate_expiry_timestamp_seconds",
                    secondSerial) == notAfter(second))).as("the new certificate's expiry%n%s", metrics(admin))
                    .isTrue();
            text = metrics(admin);
            assertThat(text).doesNotContain(first.serial().toString(16) + "\"");
            assertThat(sum(text, "sluice_tls_reloads_total", "result=\"ok\"")).as(text).isPositive();
        }
    }

    /**
     * wrk over https for 30 s, keep-alive and a new connection (a full handshake) per request,
     * while the certificate files are replaced ten times: every request answered 200, and new
     * handshakes see each new serial.
     */
    @Test
    @Timeout(180)
    void reloadsUnderLoadFailNoRequest() throws Exception {
        List<TestCa.Issued> pairs = new ArrayList<>();
        for (int i = 0; i <= 10; i++) {
            pairs.add(ca.issue(dir, "pair" + i, "localhost", "127.0.0.1"));
        }
        Live live = live(pairs.get(0));
        Path script = dir.resolve("wrk-result.lua");
        try (var in = TlsIT.class.getResourceAsStream("/wrk-result.lua")) {
            Files.copy(in, script);
        }
        try (SluiceProcess p = serve(live.flags("--quiet"))) {
            int port = Integer.parseInt(p.awaitStdout(HTTPS, START_WAIT).group(1));
            String url = "https://127.0.0.1:" + port + "/hello.txt";
            List<Process> load = List.of(wrk(script, url, false), wrk(script, url, true));
            try {
                for (int i = 1; i <= 10; i++) {
                    TestCa.Issued next = pairs.get(i);
                    live.swapTo(next);
                    assertThat(eventually(() -> serial(port).equals(next.serial())))
                            .as("replacement %d served%n%s", i, p.transcript()).isTrue();
                }
                for (Process wrk : load) {
                    assertThat(wrk.waitFor(90, TimeUnit.SECONDS)).isTrue();
                    String out = new String(wrk.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                    var m = Pattern.compile("RESULT requests=(\\d+) connect=0 read=0 write=0 status=0 timeout=0")
                            .matcher(out);
                    assertThat(m.find()).as("no failed request:%n%s", out).isTrue();
                    assertThat(Long.parseLong(m.group(1))).as(out).isPositive();
                }
            } finally {
                load.forEach(Process::destroyForcibly);
            }
        }
    }

    private static Process wrk(Path script, String url, boolean close) throws Exception {
        ProcessBuilder pb = new ProcessBuilder("wrk", "-t1", "-c8", "-d30s", "--timeout", "10s", "-s",
                script.toString(), url).redirectErrorStream(true);
        pb.environment().put("WRK_CLOSE", close ? "1" : "0");
        return pb.start();
    }

    private static String metrics(int admin) {
        return RawHttp.get(admin, "/metrics").body();
    }

    /** The sum of the samples of {@code name} whose labels contain {@code label}. */
    private static long sum(String exposition, String name, String label) {
        return exposition.lines().filter(l -> l.startsWith(name + "{") || l.startsWith(name + " "))
                .filter(l -> l.contains(label))
                .mapToLong(l -> (long) Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
    }

    private static long notAfter(TestCa.Issued issued) {
        try (var in = Files.newInputStream(issued.certificate())) {
            var c = (X509Certificate) java.security.cert.CertificateFactory.getInstance("X.509").generateCertificate(in);
            return c.getNotAfter().toInstant().getEpochSecond();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    @Test
    void plainHttpIsRedirectedAndHttpsResponsesCarryHsts() throws Exception {
        TestCa.Issued site = ca.issue(dir, "site", "localhost", "127.0.0.1");
        try (SluiceProcess p = serve("--tls-cert", site.certificate().toString(), "--tls-key", site.key().toString(),
                "--https-redirect-port", "0", "--hsts", "1h")) {
            int port = Integer.parseInt(p.awaitStdout(HTTPS, START_WAIT).group(1));
            String plain = p.awaitStdout(Pattern.compile("redirecting to https from http://127\\.0\\.0\\.1:(\\d+)"),
                    START_WAIT).group(1);
            assertThat(Tools.run("curl", "-sS", "--max-time", "20", "-o", "/dev/null", "-w",
                    "%{http_code} %{redirect_url}", "http://127.0.0.1:" + plain + "/hello.txt?x=1").out())
                    .as(p::transcript).isEqualTo("308 https://127.0.0.1:" + port + "/hello.txt?x=1");
            assertThat(Tools.run("curl", "-sS", "--max-time", "20", "--cacert", caFile.toString(), "-D", "-",
                    "-o", "/dev/null", "https://127.0.0.1:" + port + "/hello.txt").out().toLowerCase())
                    .contains("strict-transport-security: max-age=3600");
        }
    }

    @Test
    void sighupReloadsAtOnce() throws Exception {
        TestCa.Issued site = ca.issue(dir, "site", "localhost", "127.0.0.1");
        try (SluiceProcess p = serve("--tls-cert", site.certificate().toString(), "--tls-key",
                site.key().toString())) {
            p.awaitStdout(HTTPS, START_WAIT);
            p.signal("HUP");
            p.awaitStderr(Pattern.compile(".*tls_reloaded.*"), Duration.ofSeconds(20));
            p.sigterm();
            assertThat(p.awaitExit()).as(p::transcript).isZero();
        }
    }

    @Test
    void mutualTlsAdmitsOnlyClientsWithACertificateFromTheClientCa() throws Exception {
        TestCa.Issued site = ca.issue(dir, "site", "localhost", "127.0.0.1");
        TestCa.Issued client = ca.issue(dir, "client");
        try (SluiceProcess p = serve("--tls-cert", site.certificate().toString(), "--tls-key", site.key().toString(),
                "--tls-client-auth", "need", "--tls-client-ca", caFile.toString())) {
            int port = Integer.parseInt(p.awaitStdout(HTTPS, START_WAIT).group(1));
            String url = "https://127.0.0.1:" + port + "/hello.txt";
            Tools.Result without = Tools.run("curl", "-sS", "--max-time", "20", "--cacert", caFile.toString(), url);
            assertThat(without.exit()).as("no client certificate: %s", without.out()).isNotZero();
            assertThat(Tools.run("curl", "-sS", "--max-time", "20", "--cacert", caFile.toString(),
                    "--cert", client.certificate().toString(), "--key", client.key().toString(), url).out())
                    .isEqualTo("hello over tls\n");
        }
    }

    @Test
    void echoSpeaksTlsToo() throws Exception {
        TestCa.Issued site = ca.issue(dir, "site", "localhost", "127.0.0.1");
        List<String> args = new ArrayList<>(List.of("echo", "--host", "127.0.0.1", "--port", "0"));
        args.addAll(providerFlags());
        args.addAll(List.of("--tls-cert", site.certificate().toString(), "--tls-key", site.key().toString()));
        try (SluiceProcess p = SluiceProcess.jar(args.toArray(String[]::new))) {
            int port = Integer.parseInt(p.awaitStdout(Pattern.compile("listening on tls://127\\.0\\.0\\.1:(\\d+)"),
                    START_WAIT).group(1));
            try (SSLSocket s = handshake(port)) {
                s.getOutputStream().write("ping\n".getBytes(StandardCharsets.US_ASCII));
                assertThat(new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII))
                        .readLine()).isEqualTo("ping");
            }
        }
    }

    @Test
    void selfSignedPrintsItsFingerprint() throws Exception {
        try (SluiceProcess p = serve("--tls-self-signed")) {
            p.awaitStdout(HTTPS, START_WAIT);
            p.awaitStdout(Pattern.compile(".*self-signed certificate, for development only: SHA-256 ([0-9A-F]{2}:){31}"
                    + "[0-9A-F]{2}"), START_WAIT);
        }
    }

    private SSLSocket handshake(int port) throws Exception {
        SSLSocket s = (SSLSocket) ca.clientContext().getSocketFactory().createSocket();
        s.setSoTimeout(10_000);
        s.connect(new InetSocketAddress("127.0.0.1", port), 10_000);
        SSLParameters params = s.getSSLParameters();
        params.setServerNames(List.of(new SNIHostName("localhost")));
        s.setSSLParameters(params);
        s.startHandshake();
        return s;
    }

    /** The serial of the certificate a new handshake gets. */
    private BigInteger serial(int port) {
        try (SSLSocket s = handshake(port)) {
            return ((X509Certificate) s.getSession().getPeerCertificates()[0]).getSerialNumber();
        } catch (Exception e) {
            throw new IllegalStateException(e);
        }
    }

    private static String get(SSLSocket s) throws Exception {
        s.getOutputStream().write("GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII));
        return new BufferedReader(new InputStreamReader(s.getInputStream(), StandardCharsets.US_ASCII)).readLine();
    }

    /** The certificate and key files a server is started with, which a test replaces as a renewal does. */
    record Live(Path cert, Path key) {
        /** The flags that serve this pair, then {@code more}. */
        String[] flags(String... more) {
            List<String> all = new ArrayList<>(List.of("--tls-cert", cert.toString(), "--tls-key", key.toString()));
            all.addAll(List.of(more));
            return all.toArray(String[]::new);
        }

        /** Puts {@code next}'s pair in place of the files, the key first. */
        void swapTo(TestCa.Issued next) throws Exception {
            replace(next.key(), key);
            replace(next.certificate(), cert);
        }
    }

    /** {@code first}'s pair copied to files of their own, under {@code live/}. */
    private Live live(TestCa.Issued first) throws Exception {
        Path live = Files.createDirectories(dir.resolve("live"));
        return new Live(Files.copy(first.certificate(), live.resolve("cert.pem")),
                Files.copy(first.key(), live.resolve("key.pem")));
    }

    /** Replaces {@code target} at once, as a renewal does: a new file moved over the old name. */
    private static void replace(Path source, Path target) throws Exception {
        Path tmp = Files.copy(source, target.resolveSibling(target.getFileName() + ".new"),
                StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** Polls {@code condition} every 100 ms for at most 30 s. */
    private static boolean eventually(Supplier<Boolean> condition) throws InterruptedException {
        long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() - end < 0) {
            if (condition.get()) {
                return true;
            }
            Thread.sleep(100);
        }
        return false;
    }
}
