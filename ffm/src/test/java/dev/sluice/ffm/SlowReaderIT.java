package dev.sluice.ffm;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.CloseReason;
import dev.sluice.core.EchoProtocol;
import dev.sluice.core.Engine;
import dev.sluice.core.MinDataRate;
import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * The minimum response rate judged by what the client acknowledged ({@code TCP_INFO}), on every
 * engine: a reader that takes a trickle is cut soon after the grace, where the rule of bytes
 * written (64 KiB credited) would wait more than half a minute; a reader that keeps to the rate
 * is left alone. The server echoes what the client sends, so a client that reads slowly leaves
 * the server's writes waiting.
 */
@Timeout(180)
class SlowReaderIT {
    /** 2,000 bytes/s after a second: the credit of the rule of bytes written alone lasts 32.8 s. */
    private static final MinDataRate RATE = MinDataRate.of(2_000, Duration.ofSeconds(1));

    private static ServerConfig config(Engine engine) {
        return ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withEngine(engine)
                .withWriteTimeout(Duration.ofSeconds(60)).withMinResponseRate(RATE);
    }

    /** Sends {@code bytes} to be echoed, from a thread of its own, until the socket fails. */
    private static Thread sendInBackground(Socket s, int bytes) {
        Thread t = Thread.ofPlatform().daemon().start(() -> {
            try {
                OutputStream out = s.getOutputStream();
                byte[] chunk = new byte[16 * 1024];
                for (int sent = 0; sent < bytes; sent += chunk.length) {
                    out.write(chunk);
                }
            } catch (IOException e) {
                // Cut by the server, or closed by the test: the reader tells which.
            }
        });
        return t;
    }

    private static Socket connect(Server server) throws IOException {
        Socket s = new Socket();
        s.setReceiveBufferSize(4096);
        s.setSoTimeout(30_000);
        s.connect(server.address());
        return s;
    }

    private static boolean await(BooleanSupplier condition, Duration limit) throws InterruptedException {
        long end = System.nanoTime() + limit.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            Thread.sleep(20);
        }
        return true;
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aReaderTakingATrickleIsCutSoonAfterTheGrace(Engine engine) throws Exception {
        try (Server server = Server.create(config(engine), EchoProtocol.create()).start();
             Socket reader = connect(server)) {
            assertThat(server.report()).contains("min-response-rate judges: bytes the client acknowledged (TCP_INFO)");
            Thread sender = sendInBackground(reader, 8 << 20);
            long start = System.nanoTime();
            InputStream in = reader.getInputStream();
            byte[] sip = new byte[32];
            try {
                // 32 bytes every 100 ms: 320 bytes/s, a sixth of the rate.
                while (server.stats().closes(CloseReason.MIN_RESPONSE_RATE) == 0 && in.read(sip) >= 0
                        && System.nanoTime() - start < TimeUnit.SECONDS.toNanos(25)) {
                    Thread.sleep(100);
                }
            } catch (IOException e) {
                // Reset by the server: expected.
            }
            long tookMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
            assertThat(await(() -> server.stats().closes(CloseReason.MIN_RESPONSE_RATE) == 1, Duration.ofSeconds(5)))
                    .as("got closes %s after %d ms; want one min_response_rate", server.stats(), tookMs).isTrue();
            // The rule of bytes written would allow 65,536 credited bytes at 2,000/s: 32.8 s.
            assertThat(tookMs).as("got a cut after %d ms; want it well before the credit's 32.8 s", tookMs)
                    .isLessThan(20_000);
            reader.close();
            sender.join(10_000);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aReaderKeepingToTheRateIsLeftAlone(Engine engine) throws Exception {
        try (Server server = Server.create(config(engine), EchoProtocol.create()).start();
             Socket reader = connect(server)) {
            sendInBackground(reader, 64 << 20);
            InputStream in = reader.getInputStream();
            byte[] gulp = new byte[4096];
            long read = 0;
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(4);
            // 4 KiB every 50 ms at most: about 80 KB/s, forty times the rate, for twice its grace and more.
            while (System.nanoTime() - end < 0) {
                int n = in.read(gulp);
                assertThat(n).as("got end of stream after %d bytes; want the echo to go on (%s)", read,
                        server.stats()).isPositive();
                read += n;
                Thread.sleep(50);
            }
            assertThat(server.stats().closes(CloseReason.MIN_RESPONSE_RATE)).as("%s", server.stats()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = "SEQUENTIAL", mode = EnumSource.Mode.EXCLUDE)
    void atTheLimitANewcomerGetsTheSlotOfAReaderTakingNothing(Engine engine) throws Exception {
        // Shed for the newcomer at the limit, or cut by the sweeper at its deadline a tick
        // later: by the kernel's count the two agree on who is below the rate, and when.
        ServerConfig cfg = config(engine).withMaxConnections(2);
        try (Server server = Server.create(cfg, EchoProtocol.create()).start();
             Socket a = connect(server);
             Socket b = connect(server)) {
            sendInBackground(a, 8 << 20);
            sendInBackground(b, 8 << 20);
            assertThat(await(() -> server.stats().open() == 2, Duration.ofSeconds(5))).isTrue();
            try (Socket next = connect(server)) { // waits at the limit for a slot
                next.getOutputStream().write("next".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(next.getInputStream().readNBytes(4), StandardCharsets.US_ASCII))
                        .as("the newcomer's echo; %s", server.stats()).isEqualTo("next");
            }
            // The slot is given back before the close is counted: the newcomer may be served first.
            assertThat(await(() -> server.stats().closes(CloseReason.LEAST_PROGRESS)
                    + server.stats().closes(CloseReason.MIN_RESPONSE_RATE) > 0, Duration.ofSeconds(5)))
                    .as("got %s; want a reader shed or cut", server.stats()).isTrue();
            assertThat(server.stats().rejected()).as("nobody turned away").isZero();
        }
    }
}
