package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.net.BindException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;

/** Binding and listening: port 0, the backlog, IPv6, SO_REUSEPORT, the startup report. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ListenIT {
    @RegisterExtension
    final ServerLog log = new ServerLog();

    private static ServerConfig loopback() {
        return ServerConfig.defaults().withHost("127.0.0.1").withPort(0);
    }

    @Test
    void backlogReachesTheKernelListenQueue() throws Exception {
        try (Server server = Server.create(loopback().withBacklog(77), EchoProtocol.create()).start()) {
            // ss shows a listening socket's backlog as Send-Q (the third column).
            Process ss = new ProcessBuilder("ss", "-ltnH", "sport = :" + server.port())
                    .redirectErrorStream(true).start();
            String out = new String(ss.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
            assertThat(ss.waitFor(10, TimeUnit.SECONDS)).isTrue();
            String[] columns = out.split("\\s+");
            assertThat(columns).as("ss output: %s", out).hasSizeGreaterThan(3);
            assertThat(columns[2]).as("Send-Q in `%s`", out).isEqualTo("77");
        }
    }

    @Test
    void portZeroPicksAnEphemeralPortReadableFromTheApi() throws Exception {
        try (Server server = Server.create(loopback(), EchoProtocol.create()).start();
             Socket s = Clients.connect(server)) {
            assertThat(server.port()).isPositive();
            assertThat(server.address().getPort()).isEqualTo(server.port());
            s.getOutputStream().write('k');
            assertThat(s.getInputStream().read()).isEqualTo('k');
        }
    }

    @Test
    void servesIpv6Loopback() throws Exception {
        try (Server server = Server.create(loopback().withHost("::1"), EchoProtocol.create()).start();
             Socket s = new Socket("::1", server.port())) {
            s.setSoTimeout(5_000);
            s.getOutputStream().write('6');
            assertThat(s.getInputStream().read()).isEqualTo('6');
        }
    }

    @Test
    void portInUseFailsWithBindExceptionUnlessBothReusePort() throws Exception {
        try (Server first = Server.create(loopback(), EchoProtocol.create()).start()) {
            ServerConfig same = loopback().withPort(first.port());
            assertThatThrownBy(() -> Server.create(same, EchoProtocol.create()).start())
                    .isInstanceOf(BindException.class);
        }
        try (Server a = Server.create(loopback().withReusePort(true), EchoProtocol.create()).start();
             Server b = Server.create(loopback().withPort(a.port()).withReusePort(true),
                     EchoProtocol.create()).start()) {
            assertThat(b.port()).isEqualTo(a.port());
        }
    }

    @Test
    void reportShowsEffectiveSettingsAndWarnsWhereTheMachineUndercutsThem() throws Exception {
        ServerConfig cfg = loopback().withEngine(Engine.POOL).withThreads(4).withQueue(9)
                .withBacklog(1 << 20).withMaxConnections(1 << 24);
        try (Server server = Server.create(cfg, EchoProtocol.create()).start()) {
            List<String> report = server.report();
            assertThat(report).anyMatch(l -> l.equals("engine: pool (4 platform threads, queue 9)"));
            assertThat(report).anyMatch(l -> l.startsWith("timeouts: idle=1m header=10s write=30s"));
            assertThat(report).anyMatch(l -> l.startsWith("warning: backlog 1048576 is cut to net.core.somaxconn="));
            assertThat(report).anyMatch(l -> l.startsWith("warning: the open-file limit (ulimit -n) is"));
        }
    }

    @Test
    void reportSaysWhyTcpNotsentLowatIsNotSetWhenNoProviderIsPresent() throws Exception {
        // core's tests run without sluice-ffm: the server starts and says what is missing.
        try (Server server = Server.create(loopback(), EchoProtocol.create()).start();
             Socket s = Clients.connect(server)) {
            assertThat(server.report()).contains(
                    "socket: tcp-notsent-lowat not set: needs the sluice-ffm module on JDK 22 or later");
            s.getOutputStream().write('k');
            assertThat(s.getInputStream().read()).isEqualTo('k');
        }
        try (Server server = Server.create(loopback().withTcpNotsentLowatBytes(0),
                EchoProtocol.create()).start()) {
            assertThat(server.report()).contains("socket: tcp-notsent-lowat=off (the kernel's default)");
        }
    }

    @Test
    void readsTheKernelsBacklogCapAsCatDoes() throws Exception {
        Process cat = new ProcessBuilder("cat", "/proc/sys/net/core/somaxconn").start();
        long want = Long.parseLong(new String(cat.getInputStream().readAllBytes(), StandardCharsets.US_ASCII).trim());
        assertThat(StartupReport.somaxconn()).isEqualTo(want);
        try (Server server = Server.create(loopback().withBacklog((int) Math.min(want, 1024)),
                EchoProtocol.create()).start()) {
            assertThat(server.report()).noneMatch(l -> l.startsWith("warning: backlog"));
        }
    }

    @Test
    void failedStartLeavesNothingOpen() throws Exception {
        long fds = Clients.openFds();
        assertThatThrownBy(() -> Server.create(loopback().withHost("no-such-host.invalid"),
                EchoProtocol.create()).start()).isInstanceOf(java.net.UnknownHostException.class);
        try (Server first = Server.create(loopback().withEngine(Engine.EVENT_LOOP), EchoProtocol.create()).start()) {
            long during = Clients.openFds();
            assertThatThrownBy(() -> Server.create(loopback().withPort(first.port()).withEngine(Engine.EVENT_LOOP),
                    EchoProtocol.create()).start()).isInstanceOf(BindException.class);
            assertThat(Clients.openFds()).as("descriptors after a failed bind").isEqualTo(during);
        }
        assertThat(Clients.await(() -> {
            try {
                return Clients.openFds() <= fds;
            } catch (IOException e) {
                return false;
            }
        }, java.time.Duration.ofSeconds(5))).isTrue();
    }

    @Test
    void reportNamesTheAddressPlainly() throws Exception {
        try (Server server = Server.create(loopback().withHost("::1"), EchoProtocol.create()).start()) {
            assertThat(server.report()).contains("listen: [0:0:0:0:0:0:0:1]:" + server.port()
                    + " backlog=1024 reuse-port=false");
        }
    }

    @Test
    void lifecycleMisuseIsRefusedAndStopsAreIdempotent() throws IOException {
        Server server = Server.create(loopback(), EchoProtocol.create());
        assertThat(server.port()).isEqualTo(-1);
        server.start();
        assertThatThrownBy(server::start).isInstanceOf(IllegalStateException.class);
        server.close();
        server.close();
        assertThat(server.shutdown()).isTrue();
        Server never = Server.create(loopback(), EchoProtocol.create());
        never.close();
        assertThatThrownBy(() -> Server.create(loopback().withEngine(Engine.EVENT_LOOP),
                (ConnectionHandler) c -> { }))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("blocking engine");
    }
}
