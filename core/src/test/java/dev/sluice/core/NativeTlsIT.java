package dev.sluice.core;

import static dev.sluice.core.Clients.await;
import static dev.sluice.core.Clients.closedByServer;
import static dev.sluice.core.Clients.connect;
import static dev.sluice.core.Clients.exchange;
import static org.assertj.core.api.Assertions.assertThat;

import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@link TlsIT} with the server's engines from a TLS implementation in native code (BoringSSL,
 * through Conscrypt or Netty) instead of the JDK: the transport drives any {@code SSLEngine} the
 * same way, on every engine, against the JDK's clients. Such an engine also holds native memory
 * until it is closed both ways, which these tests check.
 */
abstract class NativeTlsIT extends TlsIT {
    /** The server's engines under test. */
    abstract TlsEngineFactory engines();

    @Override
    ServerConfig config(Engine engine) {
        return EngineIT.config(engine).withTls(engines());
    }

    /**
     * A native engine holds its session (and Conscrypt's a pipe) until it is closed both ways (then
     * it frees them) or collected: each closed connection must close its engine, however it ended.
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void everyEngineIsClosedBothWaysWithItsConnection(Engine engine) throws Exception {
        List<SSLEngine> made = new CopyOnWriteArrayList<>();
        try (Server server = start(config(engine).withTls(recording(made)))) {
            try (SSLSocket s = TestTls.connect(server)) { // the server closes first
                assertThat(exchange(s, "CLOSE")).isEqualTo("CLOSE");
                assertThat(closedByServer(s)).isTrue();
            }
            try (SSLSocket s = TestTls.connect(server)) { // the client closes first, with close_notify
                assertThat(exchange(s, "bye")).isEqualTo("bye");
            }
            Socket plain = connect(server); // the client resets, with no close_notify
            assertThat(exchange(TestTls.over(plain, server), "reset")).isEqualTo("reset");
            plain.setSoLinger(true, 0);
            plain.close();
            try (Socket s = connect(server)) { // the client leaves in the middle of its handshake
                s.getOutputStream().write(clientHello(0x03));
            }
            assertThat(await(() -> made.size() == 4 && server.stats().open() == 0, Duration.ofSeconds(10)))
                    .as("%d engines, %s", made.size(), server.stats()).isTrue();
            assertThat(made).allSatisfy(NativeTlsIT::assertClosedBothWays);
        }
    }

    /** A connection turned away from a full pool queue had its engine made at the accept: it is closed too. */
    @Test
    void anEngineTurnedAwayFromAFullPoolQueueIsClosedBothWays() throws Exception {
        List<SSLEngine> made = new CopyOnWriteArrayList<>();
        ServerConfig config = config(Engine.POOL).withThreads(1).withQueue(1).withOverload(OverloadPolicy.REJECT)
                .withTls(recording(made));
        try (Server server = start(config);
             SSLSocket served = TestTls.connect(server);
             Socket queued = connect(server)) {
            assertThat(exchange(served, "held")).as("the only worker serves it").isEqualTo("held");
            try (Socket turnedAway = connect(server)) {
                assertThat(await(() -> server.stats().rejected() == 1, Duration.ofSeconds(10)))
                        .as("%s", server.stats()).isTrue();
            }
            assertThat(made).hasSize(3);
            assertClosedBothWays(made.get(2));
        }
    }

    private TlsEngineFactory recording(List<SSLEngine> made) {
        TlsEngineFactory engines = engines();
        return (host, port) -> {
            SSLEngine e = engines.newEngine(host, port);
            made.add(e);
            return e;
        };
    }

    private static void assertClosedBothWays(SSLEngine e) {
        assertThat(e.isInboundDone() && e.isOutboundDone())
                .as("inbound done %s, outbound done %s", e.isInboundDone(), e.isOutboundDone()).isTrue();
    }
}
