package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Engine;
import dev.sluice.core.OverloadPolicy;
import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.management.ManagementFactory;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Floods over every engine: connections beyond {@code maxConnections} while admitted clients keep
 * working, huge header sections, huge bodies, a body of a million 1-byte chunks. The server answers
 * each with its status, reads no more than its limits, holds the heap to the bounds stated in
 * {@link #MILLION_CHUNKS_HEAP_BOUND} and {@link #HEAD_HEAP_BOUND_PER_CONNECTION}, and loses no
 * request it accepted.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class HttpFloodIT {
    /** Heap a million-chunk (1 MB) body may keep alive, measured after a GC inside the handler. */
    static final long MILLION_CHUNKS_HEAP_BOUND = 16L << 20;
    /** Heap a connection may hold while a 30 KiB head (under the 32 KiB limit) trickles in. */
    static final long HEAD_HEAP_BOUND_PER_CONNECTION = 128L << 10;
    private static final String GET_HELLO = "GET /hello HTTP/1.1\r\nHost: x\r\n\r\n";

    private final AtomicLong counted = new AtomicLong();
    private final AtomicLong heapInHandler = new AtomicLong();

    private Router router() {
        return new Router()
                .get("/hello", r -> HttpResponse.ok("hello"))
                .get("/slow", r -> {
                    Thread.sleep(20); // holds its slot busy, so a flood cannot just evict it
                    return HttpResponse.ok("slow");
                })
                .post("/count", r -> {
                    counted.incrementAndGet();
                    return HttpResponse.status(200).withBody(r.body());
                })
                .post("/measure", r -> {
                    heapInHandler.set(heapAfterGc());
                    return HttpResponse.ok(String.valueOf(r.body().length));
                });
    }

    private Server start(Engine engine, HttpConfig http, ServerConfig cfg) throws Exception {
        return Server.create(cfg.withHost("127.0.0.1").withPort(0).withEngine(engine),
                HttpProtocol.create(http, router())).start();
    }

    private Server start(Engine engine) throws Exception {
        return start(engine, HttpConfig.defaults(), ServerConfig.defaults());
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = "SEQUENTIAL", mode = EnumSource.Mode.EXCLUDE)
    void connectionFloodBeyondMaxConnectionsLosesNoAdmittedRequest(Engine engine) throws Exception {
        for (OverloadPolicy policy : OverloadPolicy.values()) {
            try (Server server = start(engine, HttpConfig.defaults(),
                    ServerConfig.defaults().withMaxConnections(8).withOverload(policy))) {
                Leaks.leavesNothingBehind(server, s -> flood(s, policy));
                assertThat(served(server)).isEqualTo("hello");
            }
        }
    }

    /**
     * 4 clients send 100 counted requests each while 4 flooders keep 6 connections each busy with
     * slow requests, 24 flood connections against 8 slots. Each counted request is answered whole
     * and the handler ran exactly once per request: none was answered into a closed connection.
     */
    private void flood(Server server, OverloadPolicy policy) throws Exception {
        counted.set(0);
        long rejectedBefore = server.stats().rejected();
        int workers = 4;
        int requests = 100;
        try (ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<Integer>> admitted = new ArrayList<>();
            for (int w = 0; w < workers; w++) {
                int id = w;
                admitted.add(pool.submit(() -> countRequests(server, id, requests)));
            }
            List<Future<String>> flood = new ArrayList<>();
            for (int f = 0; f < 4; f++) {
                flood.add(pool.submit(() -> flood(server, 6, 15)));
            }
            int retries = 0;
            for (Future<Integer> a : admitted) {
                retries += a.get(100, TimeUnit.SECONDS);
            }
            List<String> floods = new ArrayList<>();
            for (Future<String> f : flood) {
                floods.add(f.get(100, TimeUnit.SECONDS));
            }
            System.out.printf("flood %s %s: %d counted, %d retries, rejected %d; flooders %s%n",
                    server.config().engine().cliName(), policy, counted.get(), retries,
                    server.stats().rejected() - rejectedBefore, floods);
            assertThat(counted.get()).as("%s: requests handled; retries %d, flood %s", policy, retries,
                    floods).isEqualTo((long) workers * requests);
            if (policy == OverloadPolicy.REJECT) {
                assertThat(server.stats().rejected() - rejectedBefore).as("%s: flood turned away; flood %s",
                        policy, floods).isPositive();
            }
        }
    }

    /**
     * Sends {@code n} counted requests one after another, each answered before the next. A
     * keep-alive connection the server closed as idle to make room, or a 503, is not a lost
     * request (it was never handled): the client opens a new connection and sends it again, as
     * RFC 9112 9.3.1 allows. Returns how many times it did.
     */
    private static int countRequests(Server server, int id, int n) throws Exception {
        int retries = 0;
        RawHttp c = new RawHttp(server.port());
        try {
            for (int i = 0; i < n; i++) {
                String body = "w" + id + "-" + i;
                while (true) {
                    RawHttp.Response r = null;
                    try {
                        r = c.send("POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: "
                                + body.length() + "\r\n\r\n" + body).read();
                    } catch (IOException e) {
                        if (!(e instanceof SocketException)
                                && !"connection closed before a response".equals(e.getMessage())) {
                            throw e;
                        }
                    }
                    if (r != null && r.status() != 503) {
                        assertThat(r.status()).as("worker %d request %d", id, i).isEqualTo(200);
                        assertThat(r.text()).as("worker %d request %d", id, i).isEqualTo(body);
                        break;
                    }
                    if (++retries > 50 * n) {
                        throw new AssertionError("worker " + id + ": " + retries + " retries");
                    }
                    c.close();
                    Thread.sleep(r == null ? 0 : 5);
                    c = new RawHttp(server.port());
                }
            }
        } finally {
            c.close();
        }
        return retries;
    }

    /**
     * Opens {@code width} connections at once, each asking for /slow, reads what they get, closes
     * them, {@code rounds} times; returns the statuses seen.
     */
    private static String flood(Server server, int width, int rounds) throws IOException {
        int ok = 0;
        int busy = 0;
        int dropped = 0;
        for (int round = 0; round < rounds; round++) {
            List<RawHttp> open = new ArrayList<>();
            try {
                for (int i = 0; i < width; i++) {
                    RawHttp c = new RawHttp(server.port());
                    open.add(c);
                    c.send("GET /slow HTTP/1.1\r\nHost: x\r\n\r\n");
                }
                for (RawHttp c : open) {
                    try {
                        int status = c.read().status();
                        if (status == 200) {
                            ok++;
                        } else if (status == 503) {
                            busy++;
                        } else {
                            return "status " + status;
                        }
                    } catch (IOException e) {
                        dropped++; // closed as idle to make room, after its answer
                    }
                }
            } finally {
                for (RawHttp c : open) {
                    c.close();
                }
            }
        }
        return ok + " ok, " + busy + " busy, " + dropped + " dropped";
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void hugeHeadersAre431AndCostOthersNothing(Engine engine) throws Exception {
        try (Server server = start(engine)) {
            Leaks.leavesNothingBehind(server, HttpFloodIT::hugeHeaders);
            assertThat(served(server)).isEqualTo("hello");
        }
    }

    private static void hugeHeaders(Server server) throws Exception {
        String[] attacks = {
            "GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + "a".repeat(64 * 1024) + "\r\n\r\n",
            "GET / HTTP/1.1\r\nHost: x\r\n" + "X-Many: y\r\n".repeat(200) + "\r\n",
        };
        for (String attack : attacks) {
            try (RawHttp c = new RawHttp(server.port())) {
                RawHttp.Response r = c.send(attack).read();
                assertThat(r.status()).isEqualTo(431);
                assertThat(r.header("connection")).isEqualTo("close");
                assertThat(c.closedByServer()).isTrue();
            }
    }
    // A head that never ends: refused at the limit, long before the 64 MiB are sent.
    long bytesIn = server.stats().bytesIn();
    try (RawHttp c = new RawHttp(server.port())) {
        Future<?> writing = endless(c, "GET / HTTP/1.1\r\nHost: x\r\nX-Endless: ", 'a', 64 << 20);
        RawHttp.Response r = c.read();
        assertThat(r.status()).isEqualTo(431);
        assertThat(c.closedByServer()).isTrue();
        writing.cancel(true);
    }
    long read = server.stats().bytesIn() - bytesIn;
    assertThat(read).as("bytes the server read of an endless head").isLessThan(1 << 20);
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = "SEQUENTIAL", mode = EnumSource.Mode.EXCLUDE)
    void manyHeadsJustUnderTheLimitStayWithinTheHeapBound(Engine engine) throws Exception {
        int clients = 200;
        String head = "GET / HTTP/1.1\r\nHost: x\r\nX-Long: " + "a".repeat(30 * 1024); // never ends
        ServerConfig cfg = ServerConfig.defaults().withHeaderTimeout(Duration.ofMinutes(1));
        if (engine == Engine.POOL || engine == Engine.THREAD_PER_CONNECTION) {
            cfg = cfg.withThreads(clients + 8); // every connection read at once, not queued
        }
        try (Server server = start(engine, HttpConfig.defaults(), cfg)) {
            assertThat(served(server)).isEqualTo("hello");
            long bytesIn = server.stats().bytesIn();
            long baseline = heapAfterGc();
            List<RawHttp> open = new ArrayList<>();
            try {
                for (int i = 0; i < clients; i++) {
                    open.add(new RawHttp(server.port()).send(head));
                }
                long want = bytesIn + (long) clients * head.length();
                assertThat(Leaks.await(() -> server.stats().bytesIn() >= want, Duration.ofSeconds(30)))
                        .as("bytes read: got %d; want %d", server.stats().bytesIn(), want).isTrue();
                long perConnection = (heapAfterGc() - baseline) / clients;
                assertThat(server.stats().open()).as("connections holding a head").isEqualTo(clients);
                System.out.printf("half-sent 30 KiB heads %s: %d KiB of heap per connection%n",
                        engine.cliName(), perConnection >> 10);
                assertThat(perConnection).as("heap per connection holding a 30 KiB head")
                        .isLessThan(HEAD_HEAP_BOUND_PER_CONNECTION);
            } finally {
                for (RawHttp c : open) {
                    c.close();
                }
            }
            assertThat(Leaks.await(() -> server.stats().open() == 0, Duration.ofSeconds(10))).isTrue();
            assertThat(served(server)).isEqualTo("hello");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void hugeBodiesAre413WithoutBeingRead(Engine engine) throws Exception {
        HttpConfig http = HttpConfig.defaults().withMaxBodyBytes(64 * 1024);
        try (Server server = start(engine, http, ServerConfig.defaults())) {
            Leaks.leavesNothingBehind(server, HttpFloodIT::hugeBodies);
            assertThat(served(server)).isEqualTo("hello");
        }
    }

    private static void hugeBodies(Server server) throws Exception {
        // Announced too large: refused before a byte of body, even if none ever comes.
        try (RawHttp c = new RawHttp(server.port())) {
            RawHttp.Response r = c.send("POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 1073741824\r\n\r\n")
                    .read();
            assertThat(r.status()).isEqualTo(413);
            assertThat(c.closedByServer()).isTrue();
    }
    // Sent anyway, 64 MiB of it: the server does not read it all.
    long bytesIn = server.stats().bytesIn();
    try (RawHttp c = new RawHttp(server.port())) {
        Future<?> writing = endless(c, "POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 67108864\r\n\r\n",
                'b', 64 << 20);
        assertThat(c.read().status()).isEqualTo(413);
        assertThat(c.closedByServer()).isTrue();
        writing.cancel(true);
    }
    assertThat(server.stats().bytesIn() - bytesIn).as("bytes read of a refused 64 MiB body")
            .isLessThan(1 << 20);
    // Chunked past the limit: refused at the chunk that crosses it.
    bytesIn = server.stats().bytesIn();
    try (RawHttp c = new RawHttp(server.port())) {
        String chunk = Integer.toHexString(8192) + "\r\n" + "c".repeat(8192) + "\r\n";
        Future<?> writing = endlessChunks(c, chunk);
        assertThat(c.read().status()).isEqualTo(413);
        assertThat(c.closedByServer()).isTrue();
        writing.cancel(true);
    }
    assertThat(server.stats().bytesIn() - bytesIn).as("bytes read of an endless chunked body")
            .isLessThan(1 << 20);
    // Small enough to drain: 413, and the connection serves the next request.
    try (RawHttp c = new RawHttp(server.port())) {
        RawHttp.Response r = c.send("POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"
                + "d".repeat(100_000)).read();
        assertThat(r.status()).isEqualTo(413);
        assertThat(c.send(GET_HELLO).read().text()).as("after a drained 413").isEqualTo("hello");
    }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aMillionOneByteChunksStayWithinTheHeapBound(Engine engine) throws Exception {
        int chunks = 1_000_000;
        byte[] wire = millionChunks(chunks);
        try (Server server = start(engine)) {
            Leaks.Snapshot before = warm(server);
            long baseline = heapAfterGc();
            try (RawHttp c = new RawHttp(server.port())) {
                c.socket.setSoTimeout(60_000);
                Future<?> writing = Executors.newVirtualThreadPerTaskExecutor().submit(() -> {
                    c.send(wire);
                    return null;
                });
                RawHttp.Response r = c.read();
                writing.get(60, TimeUnit.SECONDS);
                assertThat(r.status()).isEqualTo(200);
                assertThat(r.text()).as("body bytes the handler got").isEqualTo(String.valueOf(chunks));
                assertThat(c.send(GET_HELLO).read().text()).isEqualTo("hello");
            }
            long grown = heapInHandler.get() - baseline;
            System.out.printf("million-chunks %s: heap in the handler %d KiB over the idle baseline%n",
                    engine.cliName(), grown >> 10);
            assertThat(grown).as("heap held while the handler has the body, over the baseline")
                    .isLessThan(MILLION_CHUNKS_HEAP_BOUND);
            Leaks.assertBackTo(server, before);
        }
        // Under a smaller body limit the same body is refused at the chunk that crosses it.
        try (Server server = start(engine, HttpConfig.defaults().withMaxBodyBytes(512 * 1024),
                ServerConfig.defaults());
             RawHttp c = new RawHttp(server.port())) {
            c.socket.setSoTimeout(60_000);
            Future<?> writing = Executors.newVirtualThreadPerTaskExecutor().submit(() -> {
                try {
                    c.send(wire);
                } catch (IOException e) {
                    // the server closed after its 413
                }
                return null;
            });
            assertThat(c.read().status()).isEqualTo(413);
            assertThat(c.closedByServer()).isTrue();
            writing.get(60, TimeUnit.SECONDS);
            assertThat(server.stats().bytesIn()).as("bytes read").isLessThan(wire.length);
        }
    }

    private static byte[] millionChunks(int chunks) {
        byte[] head = "POST /measure HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                .getBytes(StandardCharsets.US_ASCII);
        byte[] one = "1\r\nx\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] last = "0\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
        byte[] wire = new byte[head.length + chunks * one.length + last.length];
        System.arraycopy(head, 0, wire, 0, head.length);
        for (int i = 0; i < chunks; i++) {
            System.arraycopy(one, 0, wire, head.length + i * one.length, one.length);
        }
        System.arraycopy(last, 0, wire, wire.length - last.length, last.length);
        return wire;
    }

    /** Writes {@code prefix} then {@code total} bytes of {@code fill} on a virtual thread. */
    private static Future<?> endless(RawHttp c, String prefix, char fill, int total) {
        return Executors.newVirtualThreadPerTaskExecutor().submit(() -> {
            OutputStream out = c.socket.getOutputStream();
            out.write(prefix.getBytes(StandardCharsets.US_ASCII));
            byte[] block = new byte[64 * 1024];
            java.util.Arrays.fill(block, (byte) fill);
            for (int sent = 0; sent < total; sent += block.length) {
                out.write(block);
            }
            return null;
        });
    }

    /** Writes a chunked request head, then {@code chunk} over and over, on a virtual thread. */
    private static Future<?> endlessChunks(RawHttp c, String chunk) {
        return Executors.newVirtualThreadPerTaskExecutor().submit(() -> {
            OutputStream out = c.socket.getOutputStream();
            out.write("POST /count HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            byte[] bytes = chunk.getBytes(StandardCharsets.US_ASCII);
            for (int i = 0; i < 64 * 1024; i++) {
                out.write(bytes);
            }
            return null;
        });
    }

    private static Leaks.Snapshot warm(Server server) throws IOException {
        assertThat(served(server)).isEqualTo("hello");
        assertThat(Leaks.await(() -> server.stats().open() == 0, Duration.ofSeconds(10))).isTrue();
        return Leaks.Snapshot.take();
    }

    private static String served(Server server) throws IOException {
        try (RawHttp c = new RawHttp(server.port())) {
            return c.send("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n").read().text();
        }
    }

    private static long heapAfterGc() {
        System.gc();
        return ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed();
    }
}
