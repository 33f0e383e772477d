package dev.sluice.ffm;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.EchoProtocol;
import dev.sluice.core.Engine;
import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.channels.ServerSocketChannel;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * TCP_NOTSENT_LOWAT reaches the sockets a server accepts, read back from the kernel with
 * {@code getsockopt}: the provider is found by ServiceLoader, sets it on the listener, and every
 * accepted socket inherits it.
 */
@Timeout(30)
class NotSentLowatIT {
    private static ServerConfig loopback(Engine engine) {
        return ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withEngine(engine);
    }

    /** The kernel's value on the server's end of a connection the server has answered. */
    private static int acceptedValue(Server server) throws IOException {
        try (Socket client = new Socket("127.0.0.1", server.port())) {
            client.setSoTimeout(5_000);
            client.getOutputStream().write('k');
            assertThat(client.getInputStream().read()).as("echo").isEqualTo('k');
            int fd = SocketDescriptors.established(server.port(), client.getLocalPort());
            return Sockopt.getInt(fd, Sockopt.IPPROTO_TCP, Sockopt.TCP_NOTSENT_LOWAT);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void acceptedSocketsCarryTheDefault(Engine engine) throws IOException {
        try (Server server = Server.create(loopback(engine), EchoProtocol.create()).start()) {
            assertThat(server.report()).contains("socket: tcp-notsent-lowat=16384");
            assertThat(acceptedValue(server)).isEqualTo(ServerConfig.DEFAULT_TCP_NOTSENT_LOWAT_BYTES);
        }
    }

    @Test
    void acceptedSocketsCarryAConfiguredValue() throws IOException {
        ServerConfig cfg = loopback(Engine.EVENT_LOOP).withTcpNotsentLowatBytes(65_536);
        try (Server server = Server.create(cfg, EchoProtocol.create()).start()) {
            assertThat(server.report()).contains("socket: tcp-notsent-lowat=65536");
            assertThat(acceptedValue(server)).isEqualTo(65_536);
        }
    }

    @Test
    void zeroLeavesTheKernelsDefault() throws IOException {
        ServerConfig cfg = loopback(Engine.VIRTUAL).withTcpNotsentLowatBytes(0);
        try (Server server = Server.create(cfg, EchoProtocol.create()).start()) {
            assertThat(server.report()).contains("socket: tcp-notsent-lowat=off (the kernel's default)");
            // 0 on the socket: the kernel then applies net.ipv4.tcp_notsent_lowat (unbounded).
            assertThat(acceptedValue(server)).isZero();
        }
    }

    @Test
    void aListenerThatIsNotBoundOrNotFoundIsAnIoExceptionWithTheReason() throws IOException {
        LinuxSocketOptions options = new LinuxSocketOptions();
        try (ServerSocketChannel unbound = ServerSocketChannel.open()) {
            assertThatThrownBy(() -> options.setNotSentLowat(unbound, 16_384))
                    .isInstanceOf(IOException.class).hasMessage("the listening socket is not bound");
        }
        int port;
        try (ServerSocket s = new ServerSocket()) {
            s.bind(new InetSocketAddress("127.0.0.1", 0));
            port = s.getLocalPort();
        }
        assertThatThrownBy(() -> SocketDescriptors.listening(port))
                .isInstanceOf(IOException.class)
                .hasMessage("no TCP listening socket on port " + port + " in /proc/self/net/tcp or tcp6");
    }

    @Test
    void twoListenersOfOursOnOnePortAreRefusedRatherThanGuessed() throws IOException {
        try (ServerSocketChannel a = ServerSocketChannel.open(); ServerSocketChannel b = ServerSocketChannel.open()) {
            a.setOption(java.net.StandardSocketOptions.SO_REUSEPORT, true);
            b.setOption(java.net.StandardSocketOptions.SO_REUSEPORT, true);
            a.bind(new InetSocketAddress("127.0.0.1", 0));
            b.bind(new InetSocketAddress("127.0.0.1", ((InetSocketAddress) a.getLocalAddress()).getPort()));
            int port = ((InetSocketAddress) a.getLocalAddress()).getPort();
            assertThatThrownBy(() -> new LinuxSocketOptions().setNotSentLowat(b, 16_384))
                    .isInstanceOf(IOException.class)
                    .hasMessage("this process holds more than one listening socket on port " + port);
        }
    }
}
