package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Engine;
import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.RandomAccessFile;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Clients that break the exchange, over every engine: resets (SO_LINGER 0) mid-request and
 * mid-response, a half-close after a full request, an abrupt close in the middle of a large file,
 * handlers that throw. After each: the open-connections gauge back to 0, no descriptor or sluice
 * thread left over ({@link Leaks}), and the next client served.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class HttpFaultIT {
    private static final int BIG = 8 << 20;
    private static final String GET_HELLO = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";

    @TempDir
    static Path dir;
    private static byte[] big;
    private static Path bigFile;

    @BeforeAll
    static void makeBodies() throws IOException {
        big = new byte[BIG];
        new Random(11).nextBytes(big);
        bigFile = Files.write(dir.resolve("big.bin"), big);
    }

    private static Router router() {
        return new Router()
                .get("/hello", r -> HttpResponse.ok("hello"))
                .get("/big", r -> HttpResponse.status(200).withBody(big))
                .get("/stream", r -> HttpResponse.status(200).withBody(new ByteArrayInputStream(big)))
                .get("/file", r -> HttpResponse.status(200).withFile(bigFile))
                .post("/echo", r -> HttpResponse.status(200).withBody(r.body()))
                .get("/throw", r -> {
                    throw new IllegalStateException("a handler bug, on purpose");
                })
                .get("/error", r -> {
                    throw new AssertionError("an Error, on purpose");
                })
                .get("/overflow", r -> HttpResponse.ok(String.valueOf(recurse(0))))
                .get("/stream-fails", r -> HttpResponse.status(200).withBody(failingAfter(1 << 20)));
    }

    private static Server start(Engine engine, HttpHandler handler) throws Exception {
        ServerConfig cfg = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withEngine(engine);
        return Server.create(cfg, HttpProtocol.create(handler)).start();
    }

    /** {@link Leaks#leavesNothingBehind}, then the next client is served. */
    private static void leavesNothingBehind(Server server, Leaks.Fault fault) throws Exception {
        Leaks.leavesNothingBehind(server, fault);
        assertThat(nextClientServed(server)).isEqualTo("hello");
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void resetsMidRequestAndMidResponseLeakNothing(Engine engine) throws Exception {
        try (Server server = start(engine, router())) {
            leavesNothingBehind(server, HttpFaultIT::resets);
        }
    }

    /** Resets in the head, in the body, and in the middle of each kind of response body. */
    private static void resets(Server server) throws IOException {
        for (int i = 0; i < 10; i++) {
            try (Socket s = connect(server)) {
                send(s, "GET /hello HTTP/1.1\r\nHost: x\r\nX-Partial: ");
                reset(s);
            }
            try (Socket s = connect(server)) {
                send(s, "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n" + "a".repeat(1000));
                reset(s);
            }
        }
        for (String path : new String[] {"/big", "/stream", "/file"}) {
            for (int i = 0; i < 4; i++) {
                try (Socket s = connect(server)) {
                    send(s, "GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n");
                    assertThat(s.getInputStream().readNBytes(4096)).as("%s: response started", path).hasSize(4096);
                    reset(s); // the server is still writing megabytes
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void halfCloseAfterFullRequestsStillGetsEveryResponseWhole(Engine engine) throws Exception {
        try (Server server = start(engine, router())) {
            leavesNothingBehind(server, HttpFaultIT::halfCloses);
        }
    }

    private static void halfCloses(Server server) throws IOException {
        for (String close : new String[] {"", "Connection: close\r\n"}) {
            try (RawHttp c = new RawHttp(server.port())) {
                c.send("GET /big HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "POST /echo HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\nhello"
                        + "GET /stream HTTP/1.1\r\nHost: x\r\n\r\n"
                        + "GET /file HTTP/1.1\r\nHost: x\r\n" + close + "\r\n");
                c.socket.shutdownOutput(); // FIN after the last request: "no more requests"

                assertThat(c.read().body()).as("/big after half-close").isEqualTo(big);
                assertThat(c.read().text()).as("/echo after half-close").isEqualTo("hello");
                assertThat(c.read().body()).as("/stream after half-close").isEqualTo(big);
                assertThat(c.read().body()).as("/file after half-close").isEqualTo(big);
                assertThat(c.closedByServer()).as("closed after the last response").isTrue();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void abruptCloseDuringALargeFileSendClosesTheFile(Engine engine, @TempDir Path root) throws Exception {
        Path file = root.resolve("huge.bin");
        try (RandomAccessFile f = new RandomAccessFile(file.toFile(), "rw")) {
            f.setLength(256L << 20); // sparse: 256 MiB that cost no disk
        }
        Files.writeString(root.resolve("hello"), "hello");
        StaticFiles files = StaticFiles.create(StaticFilesConfig.of(root));
        try (Server server = start(engine, files)) {
            leavesNothingBehind(server, s -> abruptCloses(s, file));
        }
    }

    private static void abruptCloses(Server server, Path file) throws IOException {
        for (int i = 0; i < 6; i++) {
            try (Socket s = connect(server)) {
                send(s, "GET /huge.bin HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(s.getInputStream().readNBytes(256 * 1024)).hasSize(256 * 1024);
                if (i % 2 == 0) {
                    reset(s);
                } // else a plain close with unread bytes: the kernel resets it anyway
            }
        }
        assertThat(Leaks.await(() -> Leaks.fdsOn(file).isEmpty(), Duration.ofSeconds(10)))
                .as("descriptors still open on the file: %s", Leaks.fdsOn(file)).isTrue();
    }

    /**
     * A client pipelines a thousand GETs of a 64 KiB file and reads nothing: the server stops
     * decoding once a few responses wait (each queued file weighs in the back-pressure), so it
     * holds a handful of open files for that client, not one per request, and answers all of them
     * once the client reads.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void pipelinedFileRequestsFromAClientThatDoesNotReadHoldFewOpenFiles(Engine engine, @TempDir Path root)
            throws Exception {
        Path file = Files.write(root.resolve("small.bin"), "a".repeat(64 * 1024).getBytes(StandardCharsets.US_ASCII));
        StaticFiles files = StaticFiles.create(StaticFilesConfig.of(root));
        int requests = 1_000;
        String get = "GET /small.bin HTTP/1.1\r\nHost: x\r\n\r\n";
        try (Server server = start(engine, files); RawHttp c = new RawHttp(server.port(), 4096)) {
            assertThat(c.send(get).read().status()).isEqualTo(200);
            long before = server.stats().requests();
            c.send(get.repeat(requests));
            int most = 0;
            for (int i = 0; i < 20; i++) { // two seconds of a client that reads nothing
                Thread.sleep(100);
                most = Math.max(most, Leaks.fdsOn(file).size());
            }
            assertThat(server.stats().requests() - before).as("requests decoded for a client that reads nothing")
                    .isLessThan(100);
            assertThat(most).as("files held open for it").isLessThanOrEqualTo(2 * OUTBOUND_FILES_PER_BACKLOG + 4);
            for (int i = 0; i < requests; i++) {
                RawHttp.Response r = c.read();
                assertThat(r.status()).as("response %d", i).isEqualTo(200);
                assertThat(r.body()).as("response %d, whole", i).hasSize(64 * 1024);
            }
            assertThat(Leaks.await(() -> server.stats().requests() - before == requests, Duration.ofSeconds(5)))
                    .as("requests counted: %d", server.stats().requests() - before).isTrue();
        }
    }

    /** 256 KiB of back-pressure at 16 KiB per queued file (core's OutboundBuffer.FILE_WEIGHT). */
    private static final int OUTBOUND_FILES_PER_BACKLOG = 16;

    @ParameterizedTest
    @EnumSource(Engine.class)
    void handlersThatThrowCostOnlyTheirResponse(Engine engine) throws Exception {
        try (Server server = start(engine, router())) {
            leavesNothingBehind(server, HttpFaultIT::throwingHandlers);
        }
    }

    private static void throwingHandlers(Server server) throws IOException {
        try (RawHttp c = new RawHttp(server.port())) {
            for (String path : new String[] {"/throw", "/error", "/overflow"}) {
                RawHttp.Response r = c.send("GET " + path + " HTTP/1.1\r\nHost: x\r\n\r\n").read();
                assertThat(r.status()).as("%s: status", path).isEqualTo(500);
                assertThat(r.text()).as("%s: body, never the exception", path)
                        .isEqualTo("Internal Server Error\n");
                assertThat(c.send(GET_HELLO).read().text()).as("after %s, same connection", path)
                        .isEqualTo("hello");
            }
        }
        try (Socket s = connect(server)) {
            // The head is out when the stream fails: the body is cut short and the connection
            // closed, so the client can tell (no last chunk).
            send(s, "GET /stream-fails HTTP/1.1\r\nHost: x\r\n\r\n");
            byte[] got = readUntilClosed(s);
            String text = new String(got, StandardCharsets.ISO_8859_1);
            assertThat(text).startsWith("HTTP/1.1 200 ");
            assertThat(got.length).as("bytes before the close").isGreaterThan(1 << 20);
            assertThat(text).as("no last chunk").doesNotEndWith("\r\n0\r\n\r\n");
        }
    }

    private static String nextClientServed(Server server) throws IOException {
        try (RawHttp c = new RawHttp(server.port())) {
            return c.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read().text();
        } catch (IOException e) {
            return "not served: " + e;
        }
    }

    private static Socket connect(Server server) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(10_000);
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 10_000);
        return s;
    }

    private static void send(Socket s, String text) throws IOException {
        s.getOutputStream().write(text.getBytes(StandardCharsets.ISO_8859_1));
        s.getOutputStream().flush();
    }

    /** Closes with SO_LINGER 0: the kernel sends RST instead of FIN. */
    private static void reset(Socket s) throws IOException {
        s.setSoLinger(true, 0);
        s.close();
    }

    private static byte[] readUntilClosed(Socket s) throws IOException {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        byte[] buf = new byte[64 * 1024];
        try {
            for (int n; (n = s.getInputStream().read(buf)) != -1; ) {
                all.write(buf, 0, n);
            }
        } catch (java.net.SocketException e) {
            // reset after the bytes we got: closed all the same
        }
        return all.toByteArray();
    }

    private static int recurse(int depth) {
        return depth < 0 ? 0 : recurse(depth + 1) + 1;
    }

    /** A body stream that gives {@code good} bytes, then fails. */
    private static InputStream failingAfter(int good) {
        return new InputStream() {
            private int given;

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                return read(one, 0, 1) == -1 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                if (given >= good) {
                    throw new IOException("a body stream that fails, on purpose");
                }
                int n = Math.min(len, good - given);
                java.util.Arrays.fill(b, off, off + n, (byte) 'z');
                given += n;
                return n;
            }
        };
    }
}
