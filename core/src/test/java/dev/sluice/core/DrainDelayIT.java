package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link ServerConfig#drainDelay()}: during it the server says it is closing yet serves, new
 * connections included, each answer closing its connection; then the drain runs;
 * {@link Server#close()} cuts it short.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class DrainDelayIT {
    private static ServerConfig config(Engine engine, Duration delay) {
        return ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withEngine(engine).withDrainDelay(delay);
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = "SEQUENTIAL", mode = EnumSource.Mode.EXCLUDE)
    void servesOldAndNewConnectionsWhileSayingItIsClosingUntilClosed(Engine engine) throws Exception {
        // Ten minutes: the checks below never race the delay's end; close() ends it.
        Server server = Server.create(config(engine, Duration.ofMinutes(10)), EchoProtocol.create()).start();
        Thread stopper = new Thread(server::shutdown, "test-stopper");
        try (Socket before = Clients.connect(server)) {
            assertThat(Clients.exchange(before, "one")).isEqualTo("one");
            assertThat(server.isClosing()).isFalse();
            stopper.start();
            assertThat(Clients.await(server::isClosing, Duration.ofSeconds(20))).as("isClosing at once").isTrue();
            assertThat(Clients.exchange(before, "two")).as("an open connection still served").isEqualTo("two");
            assertThat(before.getInputStream().read()).as("then closed: clients move on during the delay").isEqualTo(-1);
            try (Socket after = Clients.connect(server)) {
                assertThat(Clients.exchange(after, "three")).as("a new connection still accepted").isEqualTo("three");
            }
            assertThat(stopper.isAlive()).as("shutdown() still in its delay").isTrue();
        } finally {
            server.close();
        }
        stopper.join(20_000);
        assertThat(stopper.isAlive()).as("close() cut the delay short").isFalse();
        assertThat(Clients.refused(server.port())).isTrue();
    }

    /** The one engine that serves a connection at a time: a new one is served once the old closes. */
    @Test
    void sequentialStillAcceptsDuringTheDelay() throws Exception {
        Server server = Server.create(config(Engine.SEQUENTIAL, Duration.ofMinutes(10)), EchoProtocol.create()).start();
        Thread stopper = new Thread(server::shutdown, "test-stopper");
        try {
            stopper.start();
            assertThat(Clients.await(server::isClosing, Duration.ofSeconds(20))).isTrue();
            try (Socket s = Clients.connect(server)) {
                assertThat(Clients.exchange(s, "late")).isEqualTo("late");
            }
        } finally {
            server.close();
        }
        stopper.join(20_000);
        assertThat(stopper.isAlive()).isFalse();
    }

    @Test
    void aShortDelayEndsByItselfAndThenTheListenerCloses() throws Exception {
        Duration delay = Duration.ofMillis(300);
        AtomicBoolean clean = new AtomicBoolean();
        try (Server server = Server.create(config(Engine.VIRTUAL, delay), EchoProtocol.create()).start()) {
            long start = System.nanoTime();
            clean.set(server.shutdown());
            // A lower bound only: the delay is waited out in full, however fast the machine.
            assertThat(Duration.ofNanos(System.nanoTime() - start)).isGreaterThanOrEqualTo(delay);
            assertThat(clean).isTrue();
            assertThat(Clients.refused(server.port())).isTrue();
            assertThat(server.shutdown()).as("a second call returns at once, the delay spent").isTrue();
        }
    }
}
