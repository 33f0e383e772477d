package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Engine;
import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Bodies that stream both ways, with backpressure, on every engine: the server reads a request body
 * only as fast as the handler does, answers {@code Expect: 100-continue} when the handler starts
 * reading, enforces the body limit as the body streams, and produces a stream response only as
 * fast as the client reads it.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class StreamingBodyIT {
    /** Longer than any pause of a server that reads or writes on: no progress for this long is a stall. */
    private static final long STALL_MILLIS = 1_500;
    static final long BIG = 256L << 20;

    private final CountDownLatch go = new CountDownLatch(1);

    private static Server start(Engine engine, HttpConfig http, HttpHandler handler) throws IOException {
        ServerConfig cfg = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withEngine(engine);
        return Server.create(cfg, HttpProtocol.create(http, handler)).start();
    }

    /** Counts what {@code POST /count} sends once {@link #go} opens; answers the count. */
    private HttpHandler counting() {
        return request -> {
            go.await();
            long n = request.bodyStream().transferTo(OutputStream.nullOutputStream());
            return HttpResponse.ok(Long.toString(n));
        };
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aHandlerThatReadsNothingYetStopsTheServerReadingTheBody(Engine engine) throws Exception {
        HttpConfig http = HttpConfig.defaults().withMaxBodyBytes(BIG);
        try (Server server = start(engine, http, counting());
             SocketChannel ch = SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()))) {
            stallsUntilAskedThenCounts(ch, go::countDown);
        }
    }

    /**
     * Uploads {@link #BIG} bytes to {@code POST /count} on {@code ch}: while nothing reads the body,
     * only the socket buffers' worth leaves the client; after {@code go}, all of it, counted.
     */
    static void stallsUntilAskedThenCounts(SocketChannel ch, Runnable go) throws IOException {
        ch.write(ByteBuffer.wrap(("POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: " + BIG
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII)));
        long sent = writeUntilStalled(ch, BIG);
        assertThat(sent).as("bytes the client got rid of while the body was read by no one: the socket "
                + "buffers' worth, not the body").isLessThan(BIG / 4);

        go.run();
        ch.configureBlocking(true);
        writeZeros(ch, BIG - sent);
        RawHttp.Response r = readResponse(ch);
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.text()).isEqualTo(Long.toString(BIG));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void continueIsSentWhenTheHandlerStartsReading(Engine engine) throws Exception {
        HttpHandler echo = request -> {
            go.await();
            String how = request.bodyArriving() ? "arriving:" : "whole:";
            return HttpResponse.ok(how + new String(request.bodyStream().readAllBytes(), StandardCharsets.UTF_8));
        };
        try (Server server = start(engine, HttpConfig.defaults(), echo);
             RawHttp c = new RawHttp(server.port())) {
            c.send("POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            assertThat(nothingArrives(c)).as("no 100 before the handler reads").isTrue();
            go.countDown();
            assertThat(c.read().status()).as("interim").isEqualTo(100);
            RawHttp.Response r = c.send("hello").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("arriving:hello");
            RawHttp.Response next = c.send("GET /e HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(next.status()).as("the connection serves on").isEqualTo(200);
            assertThat(next.text()).as("no body to come").isEqualTo("whole:");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aHandlerAnsweringWithoutReadingSkipsContinueAndCloses(Engine engine) throws Exception {
        HttpHandler refuse = request -> HttpResponse.text(401, "who are you\n");
        try (Server server = start(engine, HttpConfig.defaults(), refuse);
             RawHttp c = new RawHttp(server.port())) {
            RawHttp.Response r = c.send("PUT /f HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\n"
                    + "Content-Length: 1000000\r\n\r\n").read();
            assertThat(r.status()).as("the final answer, no 100 before it").isEqualTo(401);
            assertThat(r.header("Connection")).as("the body may still come: never read as a request")
                    .isEqualTo("close");
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void whatAHandlerLeavesOfASmallBodyIsDiscardedAndTheNextRequestServed(Engine engine) throws Exception {
        HttpHandler firstByte = request -> HttpResponse.ok("first " + (char) request.bodyStream().read());
        byte[] body = new byte[100_000];
        Arrays.fill(body, (byte) 'b');
        try (Server server = start(engine, HttpConfig.defaults(), firstByte);
             RawHttp c = new RawHttp(server.port())) {
            c.send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: " + body.length + "\r\n\r\nb");
            RawHttp.Response r = c.read();
            assertThat(r.text()).isEqualTo("first b");
            c.send(Arrays.copyOf(body, body.length - 1));
            c.send("POST /a HTTP/1.1\r\nHost: x\r\nContent-Length: 1\r\n\r\nc");
            assertThat(c.read().text()).as("the rest was drained, not parsed").isEqualTo("first c");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aChunkedBodyGrowingPastTheLimitGets413AndTheClose(Engine engine) throws Exception {
        HttpHandler all = request -> HttpResponse.ok(request.body().length + "");
        try (Server server = start(engine, HttpConfig.defaults().withMaxBodyBytes(10), all);
             RawHttp c = new RawHttp(server.port())) {
            RawHttp.Response r = c.send("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "8\r\n12345678\r\n").send("8\r\n12345678\r\n0\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(c.closedByServer()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aStreamedResponseWaitsForAClientThatDoesNotRead(Engine engine) throws Exception {
        AtomicLong produced = new AtomicLong();
        HttpHandler stream = request -> HttpResponse.status(200).withBody(new InputStream() {
            @Override
            public int read() {
                return read(new byte[1], 0, 1) < 0 ? -1 : 'z';
            }

            @Override
            public int read(byte[] b, int off, int len) {
                int n = (int) Math.min(len, BIG - produced.get());
                if (n == 0) {
                    return -1;
                }
                Arrays.fill(b, off, off + n, (byte) 'z');
                produced.addAndGet(n);
                return n;
            }
        });
        try (Server server = start(engine, HttpConfig.defaults(), stream);
             SocketChannel ch = SocketChannel.open()) {
            ch.setOption(java.net.StandardSocketOptions.SO_RCVBUF, 64 * 1024);
            ch.connect(new InetSocketAddress("127.0.0.1", server.port()));
            ch.write(ByteBuffer.wrap("GET /s HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII)));
            long stalledAt = awaitStable(produced);
            assertThat(stalledAt).as("made while the client read nothing: socket buffers' worth")
                    .isLessThan(BIG / 4);

            long body = readChunkedBodyLength(ch);
            assertThat(body).isEqualTo(BIG);
            assertThat(produced.get()).isEqualTo(BIG);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void theObserverCountsAStreamBodyOnceItIsSent(Engine engine) throws Exception {
        java.util.concurrent.BlockingQueue<Exchange> seen = new java.util.concurrent.LinkedBlockingQueue<>();
        HttpHandler stream = request -> HttpResponse.status(200).withBody(new StreamingServerMain.Zeros(100_000));
        ServerConfig cfg = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withEngine(engine);
        try (Server server = Server.create(cfg, HttpProtocol.create(HttpConfig.defaults(), stream, seen::add)).start();
             RawHttp c = new RawHttp(server.port())) {
            assertThat(c.send("GET /s HTTP/1.1\r\nHost: x\r\n\r\n").read().body()).hasSize(100_000);
            Exchange e = seen.poll(10, TimeUnit.SECONDS);
            assertThat(e).as("reported").isNotNull();
            assertThat(e.status()).isEqualTo(200);
            assertThat(e.bodyBytes()).as("the body with its chunk framing").isBetween(100_000L, 100_200L);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void pipelinedStreamResponsesToASlowReaderArriveWholeAndInOrder(Engine engine) throws Exception {
        byte[] body = new byte[300_001];
        for (int i = 0; i < body.length; i++) {
            body[i] = (byte) (i * 31 % 251);
        }
        HttpHandler stream = request -> HttpResponse.status(200)
                .withHeader("X-N", request.queryParams().get("n").get(0))
                .withBody(new java.io.ByteArrayInputStream(body));
        try (Server server = start(engine, HttpConfig.defaults(), stream);
             RawHttp c = new RawHttp(server.port(), 8 * 1024)) {
            StringBuilder requests = new StringBuilder();
            for (int n = 0; n < 20; n++) {
                requests.append("GET /s?n=").append(n).append(" HTTP/1.1\r\nHost: x\r\n\r\n");
            }
            c.send(requests.toString());
            for (int n = 0; n < 20; n++) {
                RawHttp.Response r = c.read();
                assertThat(r.header("X-N")).as("response order").isEqualTo(Integer.toString(n));
                assertThat(r.body()).as("body %d", n).isEqualTo(body);
            }
        }
    }

    /** Whether the server sends nothing for a while. */
    static boolean nothingArrives(RawHttp c) throws IOException {
        c.socket.setSoTimeout(300);
        try {
            return c.socket.getInputStream().read() == -2;
        } catch (java.net.SocketTimeoutException e) {
            return true;
        } finally {
            c.socket.setSoTimeout(10_000);
        }
    }

    /** Writes zeros without blocking until the socket takes nothing for {@link #STALL_MILLIS}. */
    static long writeUntilStalled(SocketChannel ch, long max) throws IOException {
        ch.configureBlocking(false);
        ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
        long sent = 0;
        try (Selector selector = Selector.open()) {
            ch.register(selector, SelectionKey.OP_WRITE);
            while (sent < max) {
                if (selector.select(STALL_MILLIS) == 0) {
                    return sent;
                }
                selector.selectedKeys().clear();
                zeros.clear().limit((int) Math.min(zeros.capacity(), max - sent));
                sent += ch.write(zeros);
            }
            return sent;
        }
    }

    static void writeZeros(SocketChannel ch, long n) throws IOException {
        ByteBuffer zeros = ByteBuffer.allocate(64 * 1024);
        while (n > 0) {
            zeros.clear().limit((int) Math.min(zeros.capacity(), n));
            n -= ch.write(zeros);
        }
    }

    /** Waits (bounded) until {@code counter} has not moved for {@link #STALL_MILLIS}; its value then. */
    private static long awaitStable(AtomicLong counter) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        long last = -1;
        while (System.nanoTime() - deadline < 0) {
            long now = counter.get();
            if (now == last && now > 0) {
                return now;
            }
            last = now;
            Thread.sleep(STALL_MILLIS);
        }
        throw new AssertionError("the producer never stalled: made " + counter.get() + " bytes");
    }

    static RawHttp.Response readResponse(SocketChannel ch) throws IOException {
        InputStream in = java.nio.channels.Channels.newInputStream(ch);
        StringBuilder head = new StringBuilder();
        while (!head.toString().endsWith("\r\n\r\n")) {
            int b = in.read();
            if (b < 0) {
                throw new IOException("closed in the head: " + head);
            }
            head.append((char) b);
        }
        int status = Integer.parseInt(head.substring(9, 12));
        int at = head.indexOf("Content-Length: ") + 16;
        int length = Integer.parseInt(head.substring(at, head.indexOf("\r\n", at)));
        byte[] body = in.readNBytes(length);
        return new RawHttp.Response(head.substring(0, head.indexOf("\r\n")), status, java.util.Map.of(), body);
    }

    /** Reads a chunked response's head and body, returning the body's length. */
    private static long readChunkedBodyLength(SocketChannel ch) throws IOException {
        ch.configureBlocking(true);
        InputStream in = new java.io.BufferedInputStream(java.nio.channels.Channels.newInputStream(ch), 1 << 16);
        while (!line(in).isEmpty()) {
            // the head
        }
        long total = 0;
        for (long n; (n = Long.parseLong(line(in), 16)) > 0; ) {
            in.skipNBytes(n);
            total += n;
            line(in);
        }
        return total;
    }

    private static String line(InputStream in) throws IOException {
        StringBuilder b = new StringBuilder();
        for (int c; (c = in.read()) != '\n'; ) {
            if (c < 0) {
                throw new IOException("closed mid-line");
            }
            if (c != '\r') {
                b.append((char) c);
            }
        }
        return b.toString();
    }
}
