package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Engine;
import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Thousands of slowloris connections (a request head a byte at a time) while ordinary clients
 * come and go: on {@code virtual} and {@code event-loop} the ordinary requests are answered at
 * once. The header deadline is stretched to 30 s here so that every slowloris is still open while
 * the ordinary requests are timed. {@code -Dsluice.slowloris.engines=pool} (and
 * {@code .connections}, {@code .header-timeout} in seconds) runs it by hand against others.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class SlowlorisIT {
    private static final int SLOWLORIS = Integer.getInteger("sluice.slowloris.connections", 3_000);
    private static final int ORDINARY = 40;

    static Stream<Engine> engines() {
        return Arrays.stream(System.getProperty("sluice.slowloris.engines", "virtual,event-loop").split(","))
                .map(Engine::fromName);
    }

    @ParameterizedTest
    @MethodSource("engines")
    void ordinaryRequestsAreAnsweredPromptlyWhileThousandsOfSlowlorisConnectionsTrickle(Engine engine)
            throws Exception {
        Duration header = Duration.ofSeconds(Long.getLong("sluice.slowloris.header-timeout", 30));
        ServerConfig cfg = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withEngine(engine)
                .withHeaderTimeout(header);
        HttpHandler hello = HttpHandler.nonBlocking(r -> HttpResponse.ok("hi"));
        List<Socket> slow = new ArrayList<>();
        try (Server server = Server.create(cfg, HttpProtocol.create(hello)).start()) {
            try {
                for (int i = 0; i < SLOWLORIS; i++) {
                    Socket s = open(server);
                    s.getOutputStream().write("GET /hello HTTP/1.1\r\nHost: x\r\nX-Slow: "
                            .getBytes(StandardCharsets.US_ASCII));
                    slow.add(s);
                }
                Thread trickle = Thread.ofVirtual().start(() -> {
                    try {
                        while (!Thread.currentThread().isInterrupted()) {
                            for (Socket s : slow) {
                                s.getOutputStream().write('a');
                            }
                            Thread.sleep(1_000);
                        }
                    } catch (IOException | InterruptedException e) {
                        // Stopped, or the server cut one: either ends the trickle.
                    }
                });
                long[] ms = new long[ORDINARY];
                long openDuring = 0;
                try {
                    for (int i = 0; i < ORDINARY; i++) {
                        long start = System.nanoTime();
                        String status = ordinaryRequest(server);
                        ms[i] = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                        assertThat(status).as("request %d", i).startsWith("HTTP/1.1 200");
                    }
                    openDuring = server.stats().open();
                } finally {
                    trickle.interrupt();
                }
                Arrays.sort(ms);
                System.out.printf("slowloris engine=%s connections=%d open=%d ordinary ms: median=%d p90=%d max=%d%n",
                        engine, SLOWLORIS, openDuring, ms[ORDINARY / 2], ms[ORDINARY * 9 / 10], ms[ORDINARY - 1]);
                assertThat(openDuring).as("slowloris connections open while timing")
                        .isGreaterThanOrEqualTo(SLOWLORIS);
                assertThat(ms[ORDINARY / 2]).as("median ms of an ordinary request; all: %s", Arrays.toString(ms))
                        .isLessThan(1_000);
                assertThat(ms[ORDINARY * 9 / 10]).as("90th percentile ms; all: %s", Arrays.toString(ms))
                        .isLessThan(1_000);
            } finally {
                for (Socket s : slow) {
                    s.close();
                }
            }
        }
    }

    private static Socket open(Server server) throws IOException {
        Socket s = new Socket();
        s.setSoTimeout(15_000);
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), 15_000);
        return s;
    }

    /** One request on a new connection; the status line of its answer. */
    private static String ordinaryRequest(Server server) throws IOException {
        try (Socket s = open(server)) {
            OutputStream out = s.getOutputStream();
            out.write("GET /hello HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".getBytes(StandardCharsets.US_ASCII));
            InputStream in = s.getInputStream();
            String answer = new String(in.readAllBytes(), StandardCharsets.US_ASCII);
            int eol = answer.indexOf("\r\n");
            return eol < 0 ? answer : answer.substring(0, eol);
        }
    }
}
