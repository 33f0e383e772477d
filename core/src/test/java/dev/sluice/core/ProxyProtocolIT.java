package dev.sluice.core;

import static dev.sluice.core.Clients.await;
import static dev.sluice.core.Clients.closedByServer;
import static dev.sluice.core.Clients.connect;
import static dev.sluice.core.Clients.exchange;
import static dev.sluice.core.Clients.readLine;
import static dev.sluice.core.ProxyHeaderParserTest.addresses;
import static dev.sluice.core.ProxyHeaderParserTest.concat;
import static dev.sluice.core.ProxyHeaderParserTest.tlv;
import static dev.sluice.core.ProxyHeaderParserTest.v2;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A PROXY protocol listener on every engine: the header names the client everywhere, only a
 * trusted peer may send one, and it comes before TLS. The clients here play the proxy from
 * 127.0.0.1 and write the header themselves.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ProxyProtocolIT {
    private static final Duration WAIT = Duration.ofSeconds(5);
    private static final String V1 = "PROXY TCP4 203.0.113.7 192.0.2.10 51000 443\r\n";

    @RegisterExtension
    final ServerLog log = new ServerLog();

    /** The connections whose codec was made, in order: what a handler would see. */
    private final BlockingQueue<ConnectionInfo> infos = new LinkedBlockingQueue<>();

    private static ServerConfig config(Engine engine) {
        return EngineIT.config(engine).withProxyProtocol(TrustedProxies.parse("127.0.0.0/8,::1"));
    }

    /** Echoes each line; {@code BUSY} for a client turned away. */
    private Server start(ServerConfig config) throws IOException {
        Protocol<String, Object> lines = Protocol.of(info -> {
            infos.add(info);
            return new LineProtocol.LineCodec();
        }, (Handler<String, Object>) line -> line).withRejection("BUSY\n".getBytes(StandardCharsets.US_ASCII));
        return Server.create(config, lines).start();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    private static void write(Socket s, byte[] bytes) throws IOException {
        s.getOutputStream().write(bytes);
        s.getOutputStream().flush();
    }

    /** A v2 PROXY header for a TCP client at {@code ip}:{@code port}, with {@code tlvs}. */
    private static byte[] v2From(String ip, int port, byte[]... tlvs) throws IOException {
        InetAddress a = InetAddress.getByName(ip);
        InetSocketAddress dst = new InetSocketAddress(InetAddress.getByName(a.getAddress().length == 4
                ? "192.0.2.10" : "2001:db8::1"), 443);
        return v2(0x21, a.getAddress().length == 4 ? 0x11 : 0x21,
                concat(addresses(new InetSocketAddress(a, port), dst), concat(tlvs)));
    }

    private ConnectionInfo next() throws InterruptedException {
        ConnectionInfo info = infos.poll(WAIT.toSeconds(), TimeUnit.SECONDS);
        assertThat(info).as("a connection's codec was made").isNotNull();
        return info;
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aV1OrV2HeaderNamesTheClientAndTheBytesAfterItInTheSameWriteAreServed(Engine engine) throws Exception {
        byte[] ssl = concat(new byte[] {0x07, 0, 0, 0, 0}, tlv(0x22, ascii("client.example")));
        try (Server server = start(config(engine))) {
            try (Socket s = connect(server)) {
                write(s, ascii(V1 + "first\n"));
                assertThat(readLine(s)).isEqualTo("first");
                assertThat(exchange(s, "second")).isEqualTo("second");
            }
            ConnectionInfo v1 = next();
            assertThat(v1.remote()).isEqualTo(new InetSocketAddress(InetAddress.getByName("203.0.113.7"), 51000));
            assertThat(v1.proxy().version()).isEqualTo(1);
            assertThat(v1.proxy().peer().getAddress().getHostAddress()).isEqualTo("127.0.0.1");
            assertThat(v1.proxy().destination().getPort()).isEqualTo(443);
            byte[] header = v2From("2001:db8::7", 40123, tlv(0x02, ascii("app.example")), tlv(0x05, ascii("id-1")),
                    tlv(0x20, ssl));
            try (Socket s = connect(server)) {
                write(s, concat(header, ascii("third\n")));
                assertThat(readLine(s)).isEqualTo("third");
            }
            ConnectionInfo v2 = next();
            assertThat(v2.remote()).isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 40123));
            assertThat(v2.proxy().authority()).isEqualTo("app.example");
            assertThat(v2.proxy().uniqueId()).isEqualTo(ascii("id-1"));
            assertThat(v2.proxy().ssl().commonName()).isEqualTo("client.example");
            assertThat(v2.proxy().ssl().verifiedClientCertificate()).isTrue();
            assertThat(await(() -> server.stats().open() == 0, WAIT)).isTrue();
            assertThat(server.stats().closes(CloseReason.NORMAL)).as("%s", server.stats()).isEqualTo(2);
            assertThat(server.stats().bytesIn()).as("each byte counted once, the headers' too")
                    .isEqualTo(V1.length() + "first\nsecond\n".length() + header.length + "third\n".length());
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aHeaderSentOneByteAtATimeIsPiecedTogether(Engine engine) throws Exception {
        try (Server server = start(config(engine))) {
            for (byte[] header : new byte[][] {ascii(V1), v2From("203.0.113.9", 7)}) {
                try (Socket s = connect(server)) {
                    s.setTcpNoDelay(true);
                    for (byte b : concat(header, ascii("piecemeal\n"))) {
                        write(s, new byte[] {b});
                    }
                    assertThat(readLine(s)).isEqualTo("piecemeal");
                }
                assertThat(next().remote().getAddress().getHostAddress()).startsWith("203.0.113.");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aLocalHeaderIsServedAsTheProxyItself(Engine engine) throws Exception {
        try (Server server = start(config(engine));
             Socket s = connect(server)) {
            write(s, concat(v2(0x20, 0x00), ascii("health\n")));
            assertThat(readLine(s)).isEqualTo("health");
            ConnectionInfo info = next();
            assertThat(info.remote()).isEqualTo(s.getLocalSocketAddress());
            assertThat(info.proxy().local()).isTrue();
            assertThat(info.proxy().peer()).isEqualTo(info.remote());
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aPeerOutsideTheTrustedProxiesIsClosedUnreadAndItsHeaderNeverBelieved(Engine engine) throws Exception {
        ServerConfig cfg = config(engine).withProxyProtocol(TrustedProxies.parse("10.0.0.0/8,192.0.2.1"));
        try (Server server = start(cfg)) {
            for (int i = 0; i < 2; i++) {
                try (Socket s = connect(server)) {
                    write(s, ascii(V1 + "spoofed\n"));
                    assertThat(closedByServer(s)).isTrue();
                }
            }
            assertThat(await(() -> server.stats().closes(CloseReason.PROXY_REFUSED) == 2, WAIT))
                    .as("%s", server.stats()).isTrue();
            assertThat(server.stats().requests()).isZero();
            assertThat(server.stats().open()).isZero();
            assertThat(infos).as("no codec was made: nothing was read").isEmpty();
            assertThat(CapturingLoggerFinder.lines()).as("logged once at WARNING, then at DEBUG")
                    .filteredOn(l -> l.contains("proxy_refused reason=untrusted_peer peer=127.0.0.1"))
                    .extracting(l -> l.substring(0, l.indexOf(' '))).containsExactly("WARNING", "DEBUG");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aTrustedPeerThatSendsGarbageOrNoHeaderIsRefusedAndNothingIsAnswered(Engine engine) throws Exception {
        try (Server server = start(config(engine))) {
            try (Socket http = connect(server)) {
                write(http, ascii("GET / HTTP/1.1\r\nHost: x\r\n\r\n"));
                assertThat(closedByServer(http)).isTrue();
            }
            try (Socket badVersion = connect(server)) {
                byte[] header = v2From("203.0.113.7", 1);
                header[12] = 0x31;
                write(badVersion, concat(header, ascii("hello\n")));
                assertThat(closedByServer(badVersion)).isTrue();
            }
            try (Socket leaves = connect(server)) {
                leaves.shutdownOutput(); // a TCP health check: connects and leaves
                assertThat(closedByServer(leaves)).isTrue();
            }
            assertThat(await(() -> server.stats().closes(CloseReason.PROXY_REFUSED) == 2
                    && server.stats().closes(CloseReason.NORMAL) == 1, WAIT)).as("%s", server.stats()).isTrue();
            assertThat(server.stats().requests()).isZero();
            try (Socket s = connect(server)) {
                write(s, ascii(V1 + "still serving\n"));
                assertThat(readLine(s)).isEqualTo("still serving");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aHeaderNotWholeWithinTheHeaderTimeoutIsCutWithoutAWord(Engine engine) throws Exception {
        try (Server server = start(config(engine).withHeaderTimeout(Duration.ofMillis(300)))) {
            try (Socket partial = connect(server)) {
                write(partial, ascii("PROXY TCP4 203.0"));
                assertThat(readLine(partial)).as("no TIMEOUT line: the protocol never began").isNull();
            }
            try (Socket silent = connect(server)) {
                assertThat(closedByServer(silent)).isTrue();
            }
            assertThat(await(() -> server.stats().closes(CloseReason.PROXY_REFUSED) == 2, WAIT))
                    .as("%s", server.stats()).isTrue();
            try (Socket s = connect(server)) {
                write(s, ascii(V1 + "in time\n"));
                assertThat(readLine(s)).isEqualTo("in time");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = "SEQUENTIAL", mode = EnumSource.Mode.EXCLUDE)
    void thePerIpLimitCountsTheClientTheHeaderNamesNotTheProxy(Engine engine) throws Exception {
        try (Server server = start(config(engine).withMaxConnectionsPerIp(1));
             Socket a = connect(server);
             Socket b = connect(server)) {
            write(a, concat(v2From("203.0.113.7", 1000), ascii("a\n")));
            assertThat(readLine(a)).isEqualTo("a");
            write(b, ascii("PROXY TCP4 203.0.113.8 192.0.2.10 1000 443\r\nb\n"));
            assertThat(readLine(b)).as("another client behind the same proxy").isEqualTo("b");
            try (Socket over = connect(server)) {
                // More than the header's read takes: closed unread, it would reset the connection.
                byte[] more = new byte[64 * 1024];
                Arrays.fill(more, (byte) 'x');
                write(over, concat(v2From("203.0.113.7", 1001), ascii("c\n"), more));
                assertThat(readLine(over)).isEqualTo("BUSY");
                assertThat(over.getInputStream().read()).as("then a clean end, no reset: the close lingers")
                        .isEqualTo(-1);
            }
            assertThat(await(() -> server.stats().closes(CloseReason.LIMIT) == 1, WAIT)).isTrue();
            assertThat(server.stats().rejectedPerIp()).isEqualTo(1);
            a.close();
            assertThat(await(() -> server.stats().open() == 1, WAIT)).as("%s", server.stats()).isTrue();
            try (Socket again = connect(server)) {
                write(again, concat(v2From("203.0.113.7", 1002), ascii("again\n")));
                assertThat(readLine(again)).as("the client's slot came back").isEqualTo("again");
            }
            assertThat(exchange(b, "still")).isEqualTo("still");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void tlsBeginsAfterTheHeaderAndAClientHelloInTheSameSegmentIsKept(Engine engine) throws Exception {
        ServerConfig cfg = TestTls.config(engine).withProxyProtocol(TrustedProxies.parse("127.0.0.1"));
        try (Server server = start(cfg)) {
            try (SSLSocket s = TestTls.over(headerOnFirstWrite(server, v2From("2001:db8::7", 443)), server)) {
                assertThat(exchange(s, "over tls")).isEqualTo("over tls");
            }
            ConnectionInfo info = next();
            assertThat(info.remote()).isEqualTo(new InetSocketAddress(InetAddress.getByName("2001:db8::7"), 443));
            assertThat(info.secure()).isTrue();
            assertThat(info.tls().protocol()).isEqualTo("TLSv1.3");
            Socket plain = connect(server);
            write(plain, ascii(V1)); // a write of its own, before the handshake
            try (SSLSocket s = TestTls.over(plain, server)) {
                assertThat(exchange(s, "again")).isEqualTo("again");
            }
            assertThat(next().remote().getAddress().getHostAddress()).isEqualTo("203.0.113.7");
            assertThat(server.stats().tls().failures()).isEmpty();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = "EVENT_LOOP", mode = EnumSource.Mode.EXCLUDE)
    void aConnectionHandlerSeesTheClientAndTheBytesAfterTheHeader(Engine engine) throws Exception {
        ConnectionHandler handler = connection -> {
            String line = new BufferedReader(new InputStreamReader(connection.input(), StandardCharsets.US_ASCII))
                    .readLine();
            connection.output().write(ascii(connection.info().remote().getAddress().getHostAddress() + " " + line
                    + "\n"));
        };
        try (Server server = Server.create(config(engine), handler).start();
             Socket s = connect(server)) {
            write(s, ascii(V1 + "streamed\n"));
            assertThat(readLine(s)).isEqualTo("203.0.113.7 streamed");
        }
    }

    /** A socket connected to {@code server} whose first write carries {@code header} before its bytes. */
    private static Socket headerOnFirstWrite(Server server, byte[] header) throws IOException {
        Socket s = new Socket() {
            private OutputStream out;

            @Override
            public synchronized OutputStream getOutputStream() throws IOException {
                if (out == null) {
                    OutputStream raw = super.getOutputStream();
                    out = new OutputStream() {
                        private byte[] first = header;

                        @Override
                        public void write(int b) throws IOException {
                            write(new byte[] {(byte) b}, 0, 1);
                        }

                        @Override
                        public void write(byte[] b, int off, int len) throws IOException {
                            byte[] bytes = Arrays.copyOfRange(b, off, off + len);
                            raw.write(first == null ? bytes : concat(first, bytes));
                            first = null;
                        }

                        @Override
                        public void flush() throws IOException {
                            raw.flush();
                        }
                    };
                }
                return out;
            }
        };
        s.setSoTimeout(Clients.READ_TIMEOUT_MS);
        s.setTcpNoDelay(true);
        s.connect(new InetSocketAddress("127.0.0.1", server.port()), Clients.READ_TIMEOUT_MS);
        return s;
    }
}
