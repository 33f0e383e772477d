package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Serving on a listening socket made elsewhere (systemd socket activation): every engine. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class AdoptedListenerIT {
    @RegisterExtension
    final ServerLog log = new ServerLog();

    /** A port the configuration names, which the server must not bind when given a socket. */
    private static final int UNUSED_PORT = 1;

    private static ServerSocketChannel listening() throws Exception {
        ServerSocketChannel ch = ServerSocketChannel.open();
        ch.bind(new InetSocketAddress("127.0.0.1", 0), 16);
        return ch;
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void servesConnectionsQueuedOnThePassedSocketBeforeItStarted(Engine engine) throws Exception {
        ServerSocketChannel ch = listening();
        int port = ((InetSocketAddress) ch.getLocalAddress()).getPort();
        ServerConfig cfg = ServerConfig.defaults().withEngine(engine).withHost("127.0.0.1").withPort(UNUSED_PORT);
        try (Server server = Server.create(cfg, EchoProtocol.create())) {
            try (Socket early = new Socket("127.0.0.1", port)) {
                early.setSoTimeout(10_000);
                early.getOutputStream().write('q'); // queued by the kernel: nobody accepts yet
                server.start(ch);
                assertThat(early.getInputStream().read()).as("echo of the queued byte").isEqualTo('q');
            } // closed before the next: sequential serves one connection at a time
            assertThat(server.port()).as("server.port()").isEqualTo(port);
            assertThat(server.report()).anyMatch(l -> l.startsWith("listen: 127.0.0.1:" + port
                    + " (a socket passed in"));
            try (Socket late = new Socket("127.0.0.1", port)) {
                late.setSoTimeout(10_000);
                late.getOutputStream().write('z');
                assertThat(late.getInputStream().read()).isEqualTo('z');
            }
        }
        assertThat(ch.isOpen()).as("the server closes the socket it was given").isFalse();
    }

    @Test
    void refusesAnUnboundSocketAndClosesIt() throws Exception {
        ServerSocketChannel ch = ServerSocketChannel.open();
        Server server = Server.create(ServerConfig.defaults(), EchoProtocol.create());
        assertThatThrownBy(() -> server.start(ch)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("the listening socket is not bound");
        assertThat(ch.isOpen()).isFalse();
        assertThat(server.port()).isEqualTo(-1);
    }
}
