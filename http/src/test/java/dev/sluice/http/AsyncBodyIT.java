package dev.sluice.http;

import static dev.sluice.http.StreamingBodyIT.nothingArrives;
import static dev.sluice.http.StreamingBodyIT.readResponse;
import static dev.sluice.http.StreamingBodyIT.writeZeros;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Engine;
import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.Flow;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Handlers that answer later ({@link HttpHandler#async}) and read the body as a
 * {@link Flow.Publisher}, on every engine: the server reads the socket only as the subscriber
 * asks, {@code 100 Continue} waits for the first ask, no thread waits for the answer on
 * {@code event-loop}, a blocking engine's connection thread serves the subscriber, and the
 * request timeout cancels an answer that never comes.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class AsyncBodyIT {
    private static final long BIG = StreamingBodyIT.BIG;

    /** Counts a body's bytes; asks for one piece at a time once {@link #start} is called. */
    static final class Count implements Flow.Subscriber<ByteBuffer> {
        final CompletableFuture<Long> total = new CompletableFuture<>();
        /** The threads the signals came on. */
        final Set<Thread> threads = ConcurrentHashMap.newKeySet();
        private volatile Flow.Subscription subscription;
        private long bytes;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
        }

        void start() {
            subscription.request(1);
        }

        @Override
        public void onNext(ByteBuffer piece) {
            threads.add(Thread.currentThread());
            bytes += piece.remaining();
            subscription.request(1);
        }

        @Override
        public void onError(Throwable e) {
            total.completeExceptionally(e);
        }

        @Override
        public void onComplete() {
            threads.add(Thread.currentThread());
            total.complete(bytes);
        }
    }

    private final CompletableFuture<Thread> handlerThread = new CompletableFuture<>();
    private final CompletableFuture<Count> counts = new CompletableFuture<>();

    /** Answers the body's length, counted as it streams; the count starts once {@code go} says. */
    private HttpHandler counting(CompletableFuture<Void> go) {
        return HttpHandler.async(request -> {
            handlerThread.complete(Thread.currentThread());
            Count count = new Count();
            request.bodyPublisher().subscribe(count);
            counts.complete(count);
            go.thenRun(count::start);
            return count.total.thenApply(n -> HttpResponse.ok(Long.toString(n)));
        });
    }

    private static Server start(Engine engine, ServerConfig cfg, HttpConfig http, HttpHandler handler)
            throws IOException {
        return Server.create(cfg.withHost("127.0.0.1").withPort(0).withEngine(engine),
                HttpProtocol.create(http, handler)).start();
    }

    private static Server start(Engine engine, HttpConfig http, HttpHandler handler) throws IOException {
        return start(engine, ServerConfig.defaults(), http, handler);
    }

    private static SocketChannel connect(Server server) throws IOException {
        return SocketChannel.open(new InetSocketAddress("127.0.0.1", server.port()));
    }

    private static void send(SocketChannel ch, String text) throws IOException {
        ByteBuffer b = ByteBuffer.wrap(text.getBytes(StandardCharsets.US_ASCII));
        while (b.hasRemaining()) {
            ch.write(b);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aBodyIsReadAsTheSubscriberAsksOnTheLoopOrTheConnectionsThread(Engine engine) throws Exception {
        long size = 64L << 20;
        HttpConfig http = HttpConfig.defaults().withMaxBodyBytes(size);
        try (Server server = start(engine, http, counting(CompletableFuture.completedFuture(null)));
             SocketChannel ch = connect(server)) {
            send(ch, "POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n");
            writeZeros(ch, size);
            RawHttp.Response r = readResponse(ch);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo(Long.toString(size));
            Thread handler = handlerThread.get(10, TimeUnit.SECONDS);
            Set<Thread> signals = counts.get(10, TimeUnit.SECONDS).threads;
            if (engine == Engine.EVENT_LOOP) {
                assertThat(handler.isVirtual()).as("run on the loop, not a thread of its own").isFalse();
                assertThat(signals).as("the body's pieces come on the loop").containsExactly(handler);
            } else {
                assertThat(signals).as("the connection's thread reads for the subscriber").containsExactly(handler);
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aSubscriberThatAsksForNothingStopsTheServerReading(Engine engine) throws Exception {
        CompletableFuture<Void> go = new CompletableFuture<>();
        HttpConfig http = HttpConfig.defaults().withMaxBodyBytes(BIG);
        try (Server server = start(engine, http, counting(go));
             SocketChannel ch = connect(server)) {
            // The ask comes from this thread, not the server's.
            StreamingBodyIT.stallsUntilAskedThenCounts(ch, () -> go.complete(null));
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void continueWaitsForTheFirstAskAndTheConnectionServesOn(Engine engine) throws Exception {
        CompletableFuture<Void> go = new CompletableFuture<>();
        try (Server server = start(engine, HttpConfig.defaults(), counting(go));
             RawHttp c = new RawHttp(server.port())) {
            c.send("POST /e HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 5\r\n\r\n");
            assertThat(nothingArrives(c)).as("no 100 before the subscriber asks").isTrue();
            go.complete(null);
            assertThat(c.read().status()).as("interim").isEqualTo(100);
            RawHttp.Response r = c.send("hello").read();
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo("5");
        }
        try (Server server = start(engine, HttpConfig.defaults(), counting(CompletableFuture.completedFuture(null)));
             RawHttp c = new RawHttp(server.port())) {
            RawHttp.Response chunked = c.send("POST /c HTTP/1.1\r\nHost: x\r\nTransfer-Encoding: chunked\r\n\r\n"
                    + "3\r\nabc\r\n4\r\ndefg\r\n0\r\n\r\n").read();
            assertThat(chunked.text()).isEqualTo("7");
            RawHttp.Response bodiless = c.send("GET /e HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(bodiless.status()).as("the connection serves on").isEqualTo(200);
            assertThat(bodiless.text()).isEqualTo("0");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void anAnswerThatNeverComesIsCancelledAtTheRequestTimeout(Engine engine) throws Exception {
        CompletableFuture<HttpResponse> never = new CompletableFuture<>();
        HttpHandler stuck = HttpHandler.async(request -> never);
        ServerConfig cfg = ServerConfig.defaults().withRequestTimeout(Duration.ofMillis(300));
        try (Server server = start(engine, cfg, HttpConfig.defaults(), stuck);
             RawHttp c = new RawHttp(server.port())) {
            RawHttp.Response r = c.send("GET /x HTTP/1.1\r\nHost: x\r\n\r\n").read();
            assertThat(r.status()).isEqualTo(503);
            CountDownLatch cancelled = new CountDownLatch(1);
            never.whenComplete((v, e) -> cancelled.countDown());
            assertThat(cancelled.await(10, TimeUnit.SECONDS)).isTrue();
            assertThat(never.isCancelled()).as("the handler's own stage hears of it").isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aSubscriberThatThrowsCostsItsOwnRequestOnly(Engine engine) throws Exception {
        HttpHandler broken = HttpHandler.async(request -> {
            if (request.path().equals("/ok")) {
                return CompletableFuture.completedFuture(HttpResponse.ok("ok"));
            }
            CompletableFuture<HttpResponse> never = new CompletableFuture<>();
            request.bodyPublisher().subscribe(new Flow.Subscriber<>() {
                @Override
                public void onSubscribe(Flow.Subscription s) {
                    s.request(1);
                }

                @Override
                public void onNext(ByteBuffer item) {
                    throw new IllegalStateException("a bug in the subscriber");
                }

                @Override
                public void onError(Throwable e) {
                    never.completeExceptionally(e);
                }

                @Override
                public void onComplete() {
                    never.complete(HttpResponse.ok("done"));
                }
            });
            return never;
        });
        ServerConfig cfg = ServerConfig.defaults().withRequestTimeout(Duration.ofMillis(500));
        try (Server server = start(engine, cfg, HttpConfig.defaults(), broken);
             SocketChannel ch = connect(server)) {
            send(ch, "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n");
            writeZeros(ch, 100_000);
            assertThat(readResponse(ch).status()).as("no answer ever came: the request timeout's").isEqualTo(503);
            ch.close(); // sequential serves one connection at a time
            try (RawHttp other = new RawHttp(server.port())) {
                assertThat(other.send("GET /ok HTTP/1.1\r\nHost: x\r\n\r\n").read().text())
                        .as("the server serves on").isEqualTo("ok");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aFailedAnswerIsAnsweredAsAnExceptionAndAnEarlyAnswerLeavesTheRestToTheServer(Engine engine)
            throws Exception {
        HttpHandler teapot = HttpHandler.async(request -> request.path().equals("/fail")
                ? CompletableFuture.failedFuture(new HttpException(418, "I'm a teapot"))
                : CompletableFuture.completedFuture(HttpResponse.ok("early"))); // reads none of the body
        try (Server server = start(engine, HttpConfig.defaults(), teapot);
             RawHttp c = new RawHttp(server.port())) {
            assertThat(c.send("GET /fail HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(418);
            RawHttp.Response early = c.send("POST /early HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n"
                    + "0123456789").read();
            assertThat(early.text()).isEqualTo("early");
            assertThat(c.send("GET /next HTTP/1.1\r\nHost: x\r\n\r\n").read().text())
                    .as("the unread body was discarded, not read as a request").isEqualTo("early");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aRouterOfAsyncAndNonBlockingRoutesAnswersLaterItself(Engine engine) throws Exception {
        Router router = new Router().post("/count", counting(CompletableFuture.completedFuture(null)))
                .get("/hi", HttpHandler.nonBlocking(request -> HttpResponse.ok("hi")));
        assertThat(router.answersLater()).isTrue();
        assertThat(HttpHandler.nonBlocking(router).answersLater()).as("declared non-blocking: still later").isTrue();
        try (Server server = start(engine, HttpConfig.defaults(), router);
             RawHttp c = new RawHttp(server.port())) {
            RawHttp.Response counted = c.send("POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: 5\r\n\r\n")
                    .send("hello").read();
            assertThat(counted.text()).isEqualTo("5");
            assertThat(c.send("GET /hi HTTP/1.1\r\nHost: x\r\n\r\n").read().text()).isEqualTo("hi");
            assertThat(c.send("GET /none HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(404);
            assertThat(c.send("PUT /count HTTP/1.1\r\nHost: x\r\n\r\n").read().status()).isEqualTo(405);
            if (engine == Engine.EVENT_LOOP) {
                assertThat(handlerThread.get(10, TimeUnit.SECONDS).isVirtual()).as("on the loop").isFalse();
            }
        }
        Router mixed = new Router().post("/count", counting(CompletableFuture.completedFuture(null)))
                .get("/blocks", request -> HttpResponse.ok("may block"));
        assertThat(mixed.answersLater()).as("a route that may block: the router is waited for").isFalse();
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aBlockingReadOfTheBodyOnTheLoopIsRefusedInsteadOfStallingTheLoop(Engine engine) throws Exception {
        HttpHandler blocking = HttpHandler.async(request ->
                CompletableFuture.completedFuture(HttpResponse.ok("read " + request.bodyText())));
        try (Server server = start(engine, HttpConfig.defaults(), blocking);
             SocketChannel ch = connect(server)) {
            send(ch, "POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 1000000\r\n\r\n");
            RawHttp.Response r;
            if (engine == Engine.EVENT_LOOP) {
                r = readResponse(ch);
                assertThat(r.status()).as("a handler error, not a stalled loop").isEqualTo(500);
            } else { // the connection's thread may wait: the body is read
                writeZeros(ch, 1_000_000);
                r = readResponse(ch);
                assertThat(r.text()).hasSize("read ".length() + 1_000_000);
            }
            ch.close(); // sequential serves one connection at a time
            try (RawHttp other = new RawHttp(server.port())) {
                assertThat(other.send("POST /b HTTP/1.1\r\nHost: x\r\nContent-Length: 2\r\n\r\nok").read().text())
                        .as("the server serves on").isEqualTo("read ok");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void behindAFilterAnAsyncHandlerIsWaitedForAndStillReadsItsBody(Engine engine) throws Exception {
        HttpFilter tag = (request, next) -> next.handle(request).withHeader("X-Filtered", "yes");
        HttpHandler app = tag.around(counting(CompletableFuture.completedFuture(null)));
        try (Server server = start(engine, HttpConfig.defaults().withMaxBodyBytes(BIG), app);
             SocketChannel ch = connect(server)) {
            long size = 8L << 20;
            send(ch, "POST /count HTTP/1.1\r\nHost: x\r\nContent-Length: " + size + "\r\n\r\n");
            writeZeros(ch, size);
            RawHttp.Response r = readResponse(ch);
            assertThat(r.status()).isEqualTo(200);
            assertThat(r.text()).isEqualTo(Long.toString(size));
        }
    }
}
