package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.sluice.core.Engine;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.Arrays;
import java.util.Map;
import java.util.Random;
import java.util.concurrent.Callable;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code sluice echo} end to end: a real process on 127.0.0.1 and an ephemeral port. */
@Timeout(90)
class EchoIT {
    private static final Pattern LISTENING =
            Pattern.compile("listening on tcp://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration START_WAIT = Duration.ofSeconds(30);
    private static final int READ_TIMEOUT_MS = 10_000;

    @ParameterizedTest
    @EnumSource(Engine.class)
    void echoesOneMebibyteExactlyThenExitsZeroOnSigterm(Engine engine) {
        try (SluiceProcess p = SluiceProcess.jar("echo", "--host", "127.0.0.1", "--port", "0",
                "--engine", engine.cliName())) {
            int port = Integer.parseInt(p.awaitStdout(LISTENING, START_WAIT).group(1));
            assertThat(p.stdout()).as(p::transcript)
                    .anyMatch(l -> l.startsWith("engine: " + engine.cliName() + " "));

            byte[] sent = new byte[1 << 20];
            new Random(862).nextBytes(sent);
            byte[] got = orFail(p, () -> echo(port, sent));
            assertThat(got.length).as(p::transcript).isEqualTo(sent.length);
            assertThat(got).as(p::transcript).isEqualTo(sent);

            p.sigterm();
            assertThat(p.awaitExit()).as(p::transcript).isZero();
            assertThat(p.stderr()).as(p::transcript)
                    .anyMatch(l -> l.contains(" INFO shutdown_started signal=SIGTERM"))
                    .anyMatch(l -> l.contains(" INFO shutdown_finished clean=true"))
                    .noneMatch(l -> l.startsWith("\tat "));
        }
    }

    @Test
    void exitsZeroOnSigint() {
        try (SluiceProcess p = SluiceProcess.jar("echo", "--host", "127.0.0.1", "--port", "0")) {
            p.awaitStdout(LISTENING, START_WAIT);
            assumeFalse(p.ignoresSigint(), "this test run inherited SIGINT as ignored");
            p.sigint();
            assertThat(p.awaitExit()).as(p::transcript).isZero();
            assertThat(p.stderr()).as(p::transcript)
                    .anyMatch(l -> l.contains("shutdown_started signal=SIGINT"));
        }
    }

    /** Shutdown closes an idle connection at once rather than waiting out --shutdown-timeout. */
    @Test
    void shutdownClosesAnIdleConnectionAndExitsZero() throws IOException {
        try (SluiceProcess p = SluiceProcess.jar("echo", "--host", "127.0.0.1", "--port", "0",
                "--shutdown-timeout", "1m")) {
            int port = Integer.parseInt(p.awaitStdout(LISTENING, START_WAIT).group(1));
            try (Socket idle = connect(port)) {
                InputStream in = idle.getInputStream();
                idle.getOutputStream().write('x');
                int echoed = orFail(p, in::read);
                assertThat(echoed).as(p::transcript).isEqualTo('x');
                long start = System.nanoTime();
                p.sigterm();
                int eof = orFail(p, in::read);
                assertThat(eof).as(p::transcript).isEqualTo(-1);
                assertThat(p.awaitExit()).as(p::transcript).isZero();
                assertThat(Duration.ofNanos(System.nanoTime() - start))
                        .as(p::transcript).isLessThan(Duration.ofSeconds(20));
            }
        }
    }

    /** A client that never reads holds the drain; a second SIGTERM cuts it short. */
    @Test
    void secondSigtermClosesAtOnce() throws Exception {
        try (SluiceProcess p = SluiceProcess.jar("echo", "--host", "127.0.0.1", "--port", "0",
                "--shutdown-timeout", "5m", "--write-timeout", "5m");
             Socket stuck = new Socket()) {
            int port = Integer.parseInt(p.awaitStdout(LISTENING, START_WAIT).group(1));
            stuck.setReceiveBufferSize(4096);
            stuck.setSoTimeout(READ_TIMEOUT_MS);
            stuck.connect(new InetSocketAddress("127.0.0.1", port));
            OutputStream out = stuck.getOutputStream();
            byte[] chunk = new byte[64 * 1024];
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 512; i++) { // 32 MiB, never read back: the echo blocks
                        out.write(chunk);
                    }
                } catch (IOException e) {
                    // The server closed the connection: expected.
                }
            });
            Thread.sleep(1_000); // until the server's echo blocks on the client that does not read
            long start = System.nanoTime();
            p.sigterm();
            p.awaitStderr(Pattern.compile(".*shutdown_started.*"), START_WAIT);
            p.sigterm();
            assertThat(p.awaitExit()).as(p::transcript).isZero();
            assertThat(p.stderr()).as(p::transcript)
                    .anyMatch(l -> l.contains("shutdown_forced signal=SIGTERM"))
                    .anyMatch(l -> l.contains("shutdown_finished clean=false"));
            assertThat(Duration.ofNanos(System.nanoTime() - start)).as(p::transcript)
                    .isLessThan(Duration.ofSeconds(30));
            writer.interrupt();
        }
    }

    @Test
    void environmentSetsTheEngine() {
        try (SluiceProcess p = SluiceProcess.jar(Map.of("SLUICE_ENGINE", "event-loop",
                "SLUICE_IDLE_TIMEOUT", "2m"), "echo", "--host", "127.0.0.1", "--port", "0")) {
            p.awaitStdout(LISTENING, START_WAIT);
            assertThat(p.stdout()).as(p::transcript)
                    .anyMatch(l -> l.startsWith("engine: event-loop "))
                    .anyMatch(l -> l.startsWith("timeouts: idle=2m "));
        }
    }

    @Test
    void flagBeatsTheEnvironment() {
        try (SluiceProcess p = SluiceProcess.jar(Map.of("SLUICE_ENGINE", "event-loop"),
                "echo", "--host", "127.0.0.1", "--port", "0", "--engine", "pool")) {
            p.awaitStdout(LISTENING, START_WAIT);
            assertThat(p.stdout()).as(p::transcript).anyMatch(l -> l.startsWith("engine: pool "));
        }
    }

    /** Runs {@code io}; an exception (a read timeout, say) fails the test with the transcript. */
    private static <T> T orFail(SluiceProcess p, Callable<T> io) {
        try {
            return io.call();
        } catch (Exception e) {
            throw new AssertionError("got " + e + "\n" + p.transcript(), e);
        }
    }

    private static Socket connect(int port) throws IOException {
        Socket s = new Socket();
        s.connect(new InetSocketAddress("127.0.0.1", port), READ_TIMEOUT_MS);
        s.setSoTimeout(READ_TIMEOUT_MS);
        return s;
    }

    /** Sends {@code payload} while reading the echo (else both sides' buffers fill), then EOF. */
    private static byte[] echo(int port, byte[] payload) throws Exception {
        try (Socket s = connect(port)) {
            CompletableFuture<Void> writer = CompletableFuture.runAsync(() -> {
                try {
                    OutputStream out = s.getOutputStream();
                    for (int off = 0; off < payload.length; off += 64 << 10) {
                        out.write(payload, off, Math.min(64 << 10, payload.length - off));
                    }
                    s.shutdownOutput();
                } catch (IOException e) {
                    throw new UncheckedIOException(e);
                }
            });
            byte[] got = new byte[payload.length + 1];
            int n = 0;
            InputStream in = s.getInputStream();
            for (int r; n < got.length && (r = in.read(got, n, got.length - n)) >= 0; ) {
                n += r;
            }
            writer.get(READ_TIMEOUT_MS, TimeUnit.MILLISECONDS);
            return Arrays.copyOf(got, n);
        }
    }
}
