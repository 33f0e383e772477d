package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.CloseReason;
import dev.sluice.core.Engine;
import dev.sluice.core.MinDataRate;
import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** What an HTTP client sees of the defences against slow clients and hung handlers, on every engine. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class HttpSlowClientsIT {
    private static final CountDownLatch NEVER = new CountDownLatch(1);

    private static Server start(Engine engine, ServerConfig more) throws IOException {
        Router router = new Router()
                .get("/hang", r -> {
                    NEVER.await();
                    return HttpResponse.ok("late");
                })
                .post("/upload", r -> HttpResponse.ok("got " + r.body().length));
        ServerConfig cfg = more.withHost("127.0.0.1").withPort(0).withEngine(engine);
        return Server.create(cfg, HttpProtocol.create(router)).start();
    }

    private static Socket connect(Server server) throws IOException {
        Socket s = new Socket("127.0.0.1", server.port());
        s.setSoTimeout(10_000);
        return s;
    }

    /** Waits until one connection was closed for {@code reason}: counted just after the close. */
    private static boolean closedFor(Server server, CloseReason reason) {
        return Leaks.await(() -> server.stats().closes(reason) == 1, Duration.ofSeconds(5));
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void handlerOverTheRequestTimeoutIsAnswered503AndTheConnectionCloses(Engine engine) throws Exception {
        try (Server server = start(engine, ServerConfig.defaults().withRequestTimeout(Duration.ofMillis(300)));
             Socket s = connect(server)) {
            s.getOutputStream().write("GET /hang HTTP/1.1\r\nHost: x\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            assertThat(answer).startsWith("HTTP/1.1 503 ").contains("\r\nConnection: close\r\n")
                    .doesNotContain("late");
            assertThat(closedFor(server, CloseReason.REQUEST_TIMEOUT)).as("%s", server.stats()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void bodySentBelowTheMinimumRateIsAnswered408(Engine engine) throws Exception {
        ServerConfig cfg = ServerConfig.defaults()
                .withMinBodyRate(MinDataRate.of(1_000, Duration.ofMillis(300)));
        try (Server server = start(engine, cfg); Socket s = connect(server)) {
            OutputStream out = s.getOutputStream();
            out.write("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 100000\r\n\r\n"
                    .getBytes(StandardCharsets.US_ASCII));
            Thread trickle = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 200; i++) { // 100 bytes/s
                        out.write(new byte[10]);
                        Thread.sleep(100);
                    }
                } catch (IOException | InterruptedException e) {
                    // Cut by the server: expected.
                }
            });
            String answer = new String(s.getInputStream().readAllBytes(), StandardCharsets.US_ASCII);
            trickle.interrupt();
            assertThat(answer).startsWith("HTTP/1.1 408 ").contains("\r\nConnection: close\r\n");
            assertThat(closedFor(server, CloseReason.MIN_BODY_RATE)).as("%s", server.stats()).isTrue();
        }
    }

    /**
     * A body drained after a refusal (417 here) starts the body-rate clock but is no request: the
     * next body on the connection is measured from its own start, not from the refused one's.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void aRefusedBodyDoesNotChargeItsTimeToTheNextBody(Engine engine) throws Exception {
        ServerConfig cfg = ServerConfig.defaults()
                .withMinBodyRate(MinDataRate.of(1_000, Duration.ofMillis(500)));
        try (Server server = start(engine, cfg); RawHttp c = new RawHttp(server.port())) {
            c.send("POST /upload HTTP/1.1\r\nHost: x\r\nExpect: foo\r\nContent-Length: 10\r\n\r\n");
            Thread.sleep(100);
            c.send(new byte[10]); // drained after the 417
            assertThat(c.read().status()).isEqualTo(417);
            Thread.sleep(1_000); // idle: the refused body's clock would now be 1.1 s old
            c.send("POST /upload HTTP/1.1\r\nHost: x\r\nContent-Length: 10\r\n\r\n");
            Thread.sleep(300); // well inside this body's own 500 ms grace
            c.send(new byte[10]);
            assertThat(c.read().status()).as("the second request, on the same connection").isEqualTo(200);
            assertThat(server.stats().closes(CloseReason.MIN_BODY_RATE)).isZero();
        }
    }
}
