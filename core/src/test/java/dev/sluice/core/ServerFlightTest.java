package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import org.conscrypt.Conscrypt;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Whether a handshake resumed, told from the server's records: in-memory handshakes between the
 * JDK's client and a JDK or Conscrypt server, TLS 1.3 and 1.2, a first one (full) then the same
 * client again (resumed), and a new client (full).
 */
class ServerFlightTest {
    private static final int MAX_ROUNDS = 100;
    private static final TlsEngineFactory JDK = TestTls.engines();
    private static final TlsEngineFactory CONSCRYPT = conscrypt();

    private static TlsEngineFactory conscrypt() {
        TlsEngineFactory engines = TestTls.engines(Conscrypt.newProvider());
        return (host, port) -> {
            SSLEngine e = engines.newEngine(host, port);
            Conscrypt.setUseSessionTickets(e, true);
            return e;
        };
    }

    @ParameterizedTest
    @CsvSource({"jdk, TLSv1.3", "jdk, TLSv1.2", "conscrypt, TLSv1.3", "conscrypt, TLSv1.2"})
    void aClientsSecondAndThirdHandshakeResumeAndANewClientsDoesNot(String provider, String protocol)
            throws Exception {
        TlsEngineFactory server = provider.equals("jdk") ? JDK : CONSCRYPT;
        assertThat(resumptions(server, protocol)).containsExactly(false, true, true, false);
    }

    @Test
    void undecidedBytesCountAsFull() {
        ServerFlight flight = new ServerFlight();
        ByteBuffer out = ByteBuffer.allocate(64).put(new byte[] {23, 3, 3, 0, 2, 1, 2}); // application data
        flight.observe(out, 0);
        assertThat(flight.resumed()).isFalse();
        ServerFlight partial = new ServerFlight();
        partial.observe(ByteBuffer.allocate(64).put(new byte[] {22, 3, 3, 0, 40, 2}), 0); // a record cut short
        assertThat(partial.resumed()).isFalse();
    }

    /** Three handshakes of one client, then one of a new client: whether the server's flight said resumed. */
    private static List<Boolean> resumptions(TlsEngineFactory server, String protocol) throws Exception {
        Supplier<SSLContext> fresh = TestTls::newClient;
        SSLContext client = fresh.get();
        List<Boolean> seen = new ArrayList<>();
        for (int i = 0; i < 3; i++) {
            seen.add(handshake(client, server, protocol));
        }
        seen.add(handshake(fresh.get(), server, protocol));
        return seen;
    }

    /** One handshake in memory, then the server's first answer so a TLS 1.3 ticket reaches the client. */
    private static boolean handshake(SSLContext clientContext, TlsEngineFactory server, String protocol)
            throws Exception {
        SSLEngine client = clientContext.createSSLEngine("localhost", 443);
        client.setUseClientMode(true);
        client.setEnabledProtocols(new String[] {protocol});
        SSLEngine srv = server.newEngine("127.0.0.1", 50000);
        srv.setUseClientMode(false); // as the transport does
        ServerFlight flight = new ServerFlight();
        ByteBuffer toServer = ByteBuffer.allocate(1 << 16);
        ByteBuffer toClient = ByteBuffer.allocate(1 << 16);
        client.beginHandshake();
        srv.beginHandshake();
        for (int round = 0; round < MAX_ROUNDS && !(done(client) && done(srv)); round++) {
            step(client, toClient, toServer, null);
            step(srv, toServer, toClient, flight);
        }
        assertThat(done(client) && done(srv)).as("handshake finished").isTrue();
        assertThat(client.getSession().getProtocol()).isEqualTo(protocol);
        // The application data that follows carries TLS 1.3's tickets to the client.
        srv.wrap(ByteBuffer.wrap(new byte[] {'o', 'k'}), toClient);
        step(client, toClient, toServer, null);
        return flight.resumed();
    }

    private static boolean done(SSLEngine e) {
        return e.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
    }

    /** Unwraps what {@code in} holds, then wraps what the engine wants to send into {@code out}. */
    private static void step(SSLEngine engine, ByteBuffer in, ByteBuffer out, ServerFlight flight)
            throws SSLException {
        ByteBuffer app = ByteBuffer.allocate(1 << 17);
        in.flip();
        try {
            while (in.hasRemaining()) {
                int before = in.remaining();
                engine.unwrap(in, app);
                runTasks(engine);
                if (in.remaining() == before) {
                    break;
                }
            }
        } finally {
            in.compact();
        }
        while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            int from = out.position();
            engine.wrap(ByteBuffer.allocate(0), out);
            runTasks(engine);
            if (flight != null) {
                flight.observe(out, from);
            }
        }
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }
}
