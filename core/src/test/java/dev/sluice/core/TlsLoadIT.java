package dev.sluice.core;

import static dev.sluice.core.Clients.await;
import static dev.sluice.core.Clients.closedByServer;
import static dev.sluice.core.Clients.exchange;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.stream.Stream;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Many TLS clients at once, on the engines that serve connections side by side
 * ({@code sequential} serves one at a time by design): handshakes that take long never hold up
 * connections already established, admission still applies during a flood, and a thousand idle
 * TLS connections are cut by the idle timeout while holding no TLS buffer.
 */
@Timeout(value = 120, unit = TimeUnit.SECONDS)
class TlsLoadIT {
    @RegisterExtension
    final ServerLog log = new ServerLog();

    private static Server start(ServerConfig config) throws IOException {
        return Server.create(config, Protocol.of(info -> new LineProtocol.LineCodec(),
                (Handler<String, Object>) line -> line)).start();
    }

    /** Room for {@code connections} on every engine: its threads where they bound what it holds. */
    private static ServerConfig roomFor(Engine engine, int connections) {
        ServerConfig c = TestTls.config(engine);
        return switch (engine) {
            case EVENT_LOOP -> c.withThreads(1); // one loop: anything blocking it would show
            case POOL, THREAD_PER_CONNECTION -> c.withThreads(connections + 8);
            default -> c;
        };
    }

    /**
     * Every engine but sequential, with the JDK's provider (its key exchange in delegated tasks) and
     * with Conscrypt and tcnative (which hand out none: their first unwrap does that work).
     */
    static Stream<Arguments> enginesAndProviders() {
        return Arrays.stream(Engine.values()).filter(e -> e != Engine.SEQUENTIAL).flatMap(e -> Stream.of(
                Arguments.of(e, "jdk"), Arguments.of(e, "conscrypt"), Arguments.of(e, "tcnative")));
    }

    private static TlsEngineFactory engines(String provider) {
        return switch (provider) {
            case "jdk" -> TestTls.engines();
            case "conscrypt" -> ConscryptTlsIT.ENGINES;
            default -> TcnativeTlsIT.ENGINES;
        };
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("enginesAndProviders")
    void handshakesStuckInTheirKeyExchangeHoldUpNoEstablishedConnectionAndAdmissionStillApplies(Engine engine,
            String provider) throws Exception {
        int limit = 30;
        int established = 3;
        int flood = 40;
        GatedEngine.Gate gate = new GatedEngine.Gate();
        AtomicBoolean gating = new AtomicBoolean();
        boolean jdk = provider.equals("jdk");
        TlsEngineFactory plain = engines(provider);
        TlsEngineFactory gated = jdk ? gate.around(plain) : gate.aroundFirstUnwrap(plain);
        ServerConfig config = roomFor(engine, limit).withMaxConnections(limit).withOverload(OverloadPolicy.REJECT)
                .withHeaderTimeout(Duration.ofSeconds(100)).withTls((host, port) -> gating.get() ? gated.newEngine(host, port) : plain.newEngine(host, port));
        try (Server server = start(config);
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<SSLSocket> ready = new ArrayList<>();
            for (int i = 0; i < established; i++) {
                ready.add(TestTls.connect(server));
                assertThat(exchange(ready.get(i), "hello " + i)).isEqualTo("hello " + i);
            }
            long read = server.stats().bytesIn();
            for (SSLSocket s : ready) { // mid-request, so no newcomer at the limit may close them as idle
                Clients.send(s, "held ");
            }
            assertThat(await(() -> server.stats().bytesIn() == read + 5L * established, Duration.ofSeconds(10)))
                    .as("the server read the requests' starts").isTrue();
            gating.set(true); // the flood's connections get gated engines
            List<Future<SSLSocket>> handshakes = new ArrayList<>();
            for (int i = 0; i < flood; i++) {
                handshakes.add(clients.submit(() -> TestTls.connect(TestTls.newClient(), server)));
            }
            int admitted = limit - established;
            assertThat(await(() -> gate.waiting.get() == admitted && server.stats().rejected() == flood - admitted,
                    Duration.ofSeconds(30)))
                    .as("%d key exchanges waiting, %s", gate.waiting.get(), server.stats()).isTrue();
            for (int round = 0; round < 20; round++) {
                for (SSLSocket s : ready) {
                    assertThat(exchange(s, "while " + round)).as("served while %d handshakes wait", admitted)
                            .isEqualTo((round == 0 ? "held " : "") + "while " + round);
                }
            }
            assertThat(gate.waiting.get()).as("the gate held them all along").isEqualTo(admitted);
            gate.open();
            int done = 0;
            for (Future<SSLSocket> h : handshakes) {
                try (SSLSocket s = h.get(30, TimeUnit.SECONDS)) {
                    assertThat(exchange(s, "after")).isEqualTo("after");
                    done++;
                } catch (java.util.concurrent.ExecutionException e) {
                    assertThat(e.getCause()).as("turned away at the limit").isInstanceOf(IOException.class);
                }
            }
            assertThat(done).isEqualTo(admitted);
            for (SSLSocket s : ready) {
                s.close();
            }
            assertThat(await(() -> server.stats().open() == 0, Duration.ofSeconds(10)))
                    .as(server.stats().toString()).isTrue();
            assertThat(server.stats().tls().completed()).isEqualTo(established + admitted);
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = "SEQUENTIAL", mode = EnumSource.Mode.EXCLUDE)
    void aFloodOfFullHandshakesIsServedWhileEstablishedClientsGoOn(Engine engine) throws Exception {
        int flood = 300;
        try (Server server = start(roomFor(engine, flood + 2));
             ExecutorService clients = Executors.newVirtualThreadPerTaskExecutor()) {
            List<SSLSocket> ready = List.of(TestTls.connect(server), TestTls.connect(server));
            List<Future<String>> answers = new ArrayList<>();
            for (int i = 0; i < flood; i++) {
                String line = "flood " + i;
                answers.add(clients.submit(() -> {
                    try (SSLSocket s = TestTls.connect(TestTls.newClient(), server)) { // a full handshake each
                        return exchange(s, line);
                    }
                }));
            }
            int rounds = 0;
            while (!answers.stream().allMatch(Future::isDone) && rounds < 10_000) {
                for (SSLSocket s : ready) {
                    assertThat(exchange(s, "round " + rounds)).isEqualTo("round " + rounds);
                }
                rounds++;
            }
            for (int i = 0; i < flood; i++) {
                assertThat(answers.get(i).get(60, TimeUnit.SECONDS)).isEqualTo("flood " + i);
            }
            for (SSLSocket s : ready) {
                s.close();
            }
            assertThat(await(() -> server.stats().open() == 0, Duration.ofSeconds(20)))
                    .as(server.stats().toString()).isTrue();
            TlsStats tls = server.stats().tls();
            assertThat(tls.completed()).isEqualTo(flood + 2);
            assertThat(tls.resumed()).as("each flood client had a context of its own").isZero();
            assertThat(tls.failures()).isEmpty();
            assertThat(tls.bufferedBytes()).isZero();
        }
    }

    /** Idle after the handshake: the server must see it finished (not under the handshake deadline). */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("enginesAndProviders")
    void aThousandIdleTlsClientsHoldNoTlsBufferAndAreCutByTheIdleTimeout(Engine engine, String provider)
            throws Exception {
        int idle = 1_000;
        ServerConfig config = roomFor(engine, idle).withIdleTimeout(Duration.ofSeconds(3)).withTls(engines(provider));
        List<SSLSocket> sockets = new ArrayList<>();
        try (Server server = start(config)) {
            try {
                for (int i = 0; i < idle; i++) {
                    sockets.add(TestTls.connect(server)); // the handshake done, then nothing sent
                }
                assertThat(await(() -> server.stats().tls().completed() == idle, Duration.ofSeconds(30)))
                        .as(server.stats().toString()).isTrue();
                // Each is open or closed as idle; the two counts are not read at one instant, so that is
                // asserted once all are closed (below), not here, where closes in between count twice.
                long open = server.stats().open();
                long buffered = server.stats().tls().bufferedBytes();
                assertThat(buffered).as("TLS buffers held by %d idle connections", open).isZero();
                assertThat(await(() -> server.stats().open() == 0, Duration.ofSeconds(30)))
                        .as(server.stats().toString()).isTrue();
                assertThat(server.stats().closes(CloseReason.IDLE)).as(server.stats().toString()).isEqualTo(idle);
                assertThat(closedByServer(sockets.get(0))).isTrue();
                assertThat(closedByServer(sockets.get(idle - 1))).isTrue();
            } finally {
                for (SSLSocket s : sockets) {
                    s.close();
                }
            }
        }
    }
}
