package dev.sluice.core;

import static dev.sluice.core.Clients.await;
import static dev.sluice.core.Clients.closedByServer;
import static dev.sluice.core.Clients.connect;
import static dev.sluice.core.Clients.exchange;
import static dev.sluice.core.Clients.readLine;
import static dev.sluice.core.Clients.send;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.tuple;

import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.InputStream;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.Random;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLSocket;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** A TLS listener on every engine: serves byte-exact, and turns away what is not TLS 1.2 or 1.3. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class TlsIT {
    private static final int BIG = 1 << 20;

    @RegisterExtension
    final ServerLog log = new ServerLog();

    @TempDir
    Path dir;

    /** Echoes a line; {@code BIG seed} answers {@value #BIG} seeded bytes; {@code FILE} a file region. */
    private Protocol<String, Object> protocol(Queue<ConnectionInfo> infos, Path file) {
        Handler<String, Object> handler = line -> {
            if (line.startsWith("BIG ")) {
                return ByteBuffer.wrap(bytes(Integer.parseInt(line.substring(4)), BIG));
            }
            return "FILE".equals(line) ? new LineProtocol.FileSlice(file, Files.size(file)) : line;
        };
        return Protocol.of(info -> {
            infos.add(info);
            return new LineProtocol.LineCodec();
        }, handler).withPlaintextAnswer("USE TLS\n".getBytes(StandardCharsets.US_ASCII));
    }

    /** A TLS server configuration for {@code engine}: the JDK's TLS here, another in a subclass. */
    ServerConfig config(Engine engine) {
        return TestTls.config(engine);
    }

    /** A started server of {@link #protocol} with {@code config}, no file, its connections not recorded. */
    Server start(ServerConfig config) throws java.io.IOException {
        return Server.create(config, protocol(new ConcurrentLinkedQueue<>(), dir)).start();
    }

    private static byte[] bytes(int seed, int n) {
        byte[] b = new byte[n];
        new Random(seed).nextBytes(b);
        return b;
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void servesManyClientsByteExactPipelinedAndFiles(Engine engine) throws Exception {
        Path file = dir.resolve("three-mib-and-some");
        Files.write(file, bytes(7, (3 << 20) + 12_345)); // its last slice is not a whole record
        Queue<ConnectionInfo> infos = new ConcurrentLinkedQueue<>();
        int clients = engine == Engine.SEQUENTIAL ? 2 : 16;
        try (Server server = Server.create(config(engine), protocol(infos, file)).start();
             ExecutorService pool = Executors.newVirtualThreadPerTaskExecutor()) {
            List<Future<String>> results = new ArrayList<>();
            for (int i = 0; i < clients; i++) {
                int seed = i;
                results.add(pool.submit(() -> session(server, seed, file)));
            }
            for (Future<String> r : results) {
                assertThat(r.get(50, TimeUnit.SECONDS)).isEqualTo("exact");
            }
            assertThat(await(() -> server.stats().open() == 0, Duration.ofSeconds(5)))
                    .as("open after the clients left: %d", server.stats().open()).isTrue();
            assertThat(infos).hasSize(clients).allSatisfy(info -> {
                assertThat(info.secure()).isTrue();
                assertThat(info.tls().protocol()).isEqualTo("TLSv1.3");
                assertThat(info.tls().peerCertificates()).isEmpty();
            });
        }
    }

    /** One client: 200 lines in one write, a 1 MiB answer, a file of 3 MiB and some; "exact" or what differed. */
    private static String session(Server server, int seed, Path file) throws Exception {
        try (SSLSocket s = TestTls.connect(server)) {
            StringBuilder lines = new StringBuilder();
            for (int i = 0; i < 200; i++) {
                lines.append("line ").append(seed).append('-').append(i).append('\n');
            }
            send(s, lines.toString());
            for (int i = 0; i < 200; i++) {
                String got = readLine(s);
                if (!("line " + seed + "-" + i).equals(got)) {
                    return "line " + i + ": " + got;
                }
            }
            send(s, "BIG " + seed + "\n");
            byte[] big = new byte[BIG];
            new DataInputStream(s.getInputStream()).readFully(big);
            if (!Arrays.equals(big, bytes(seed, BIG))) {
                return "BIG differs";
            }
            send(s, "FILE\n");
            byte[] got = new byte[(int) Files.size(file)];
            new DataInputStream(s.getInputStream()).readFully(got);
            return Arrays.equals(got, Files.readAllBytes(file)) ? "exact" : "FILE differs";
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void plainTextIsAnsweredInClearThenClosed(Engine engine) throws Exception {
        try (Server server = start(config(engine))) {
            try (Socket plain = connect(server)) {
                send(plain, "GET / HTTP/1.1\r\nHost: x\r\n\r\n");
                assertThat(readLine(plain)).isEqualTo("USE TLS");
                assertThat(closedByServer(plain)).isTrue();
            }
            try (SSLSocket s = TestTls.connect(server)) {
                assertThat(exchange(s, "still serving")).isEqualTo("still serving");
            }
            assertThat(await(() -> server.stats().tls().failures().equals(Map.of(TlsStats.PLAINTEXT, 1L)),
                    Duration.ofSeconds(5))).as(server.stats().tls().failures().toString()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void garbageAndOldProtocolsAreRefusedWithAnAlert(Engine engine) throws Exception {
        try (Server server = start(config(engine))) {
            try (Socket garbage = connect(server)) {
                byte[] junk = bytes(1, 300);
                junk[0] = 0x16; // a handshake record header, then nonsense
                junk[1] = 0x03;
                junk[2] = 0x01;
                garbage.getOutputStream().write(junk);
                assertThat(readToEnd(garbage)).as("an alert record, or nothing, then the close")
                        .satisfiesAnyOf(b -> assertThat(b).isEmpty(), b -> assertThat(b[0]).isEqualTo((byte) 0x15));
            }
            try (Socket old = connect(server)) {
                old.getOutputStream().write(clientHello(0x01)); // TLS 1.0
                byte[] answer = readToEnd(old);
                assertThat(answer).as("a fatal protocol_version alert").hasSizeGreaterThanOrEqualTo(7);
                assertThat(answer[0]).isEqualTo((byte) 0x15);
                assertThat(answer[5]).isEqualTo((byte) 2);
                assertThat(answer[6]).isEqualTo((byte) 70);
            }
            try (SSLSocket s = TestTls.connect(server, "TLSv1.2")) {
                assertThat(exchange(s, "tls 1.2 served")).isEqualTo("tls 1.2 served");
                assertThat(s.getSession().getProtocol()).isEqualTo("TLSv1.2");
                String after;
                try {
                    s.startHandshake(); // in TLS 1.2: a client-initiated renegotiation
                    after = exchange(s, "renegotiated");
                } catch (java.io.IOException e) {
                    after = "refused: " + e;
                }
                assertThat(after).as("renegotiation refused").isNotEqualTo("renegotiated");
            }
            assertThat(await(() -> server.stats().open() == 0, Duration.ofSeconds(5))).isTrue();
            TlsStats tls = server.stats().tls();
            assertThat(tls.failures()).as("the garbage, then the TLS 1.0 hello")
                    .containsEntry("protocol_version", 1L).hasSize(2);
            assertThat(tls.renegotiationsRefused()).isEqualTo(1);
            assertThat(tls.handshakes().keySet()).extracting(TlsStats.Negotiated::protocol).containsExactly("TLSv1.2");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void anOversizedClientHelloIsRefusedBeforeItIsAllRead(Engine engine) throws Exception {
        try (Server server = start(config(engine));
             Socket huge = connect(server)) {
            // A ClientHello that says it is 16 MiB long, then records of it: the JDK's limit on a
            // handshake message (jdk.tls.maxHandshakeMessageSize, 32 KiB) refuses it early.
            ByteArrayOutputStream first = new ByteArrayOutputStream();
            first.writeBytes(new byte[] {0x16, 3, 1, 0x40, 0x00, 1, (byte) 0xff, (byte) 0xff, (byte) 0xff});
            first.writeBytes(new byte[0x4000 - 4]);
            byte[] more = new byte[5 + 0x4000];
            more[0] = 0x16;
            more[1] = 3;
            more[2] = 1;
            more[3] = 0x40;
            try {
                huge.getOutputStream().write(first.toByteArray());
                for (int i = 0; i < 3; i++) {
                    huge.getOutputStream().write(more);
                }
            } catch (java.io.IOException e) {
                // Closed while writing: refused even sooner.
            }
            byte[] answer = readToEnd(huge);
            assertThat(answer).as("an alert, or nothing, then the close")
                    .satisfiesAnyOf(b -> assertThat(b).isEmpty(), b -> assertThat(b[0]).isEqualTo((byte) 0x15));
            assertThat(await(() -> failures(server.stats().tls()) == 1 && server.stats().open() == 0,
                    Duration.ofSeconds(10))).as("%s %s", server.stats().tls().failures(), server.stats()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aHandshakeLeftUnfinishedIsCutByItsDeadline(Engine engine) throws Exception {
        ServerConfig config = config(engine).withTlsHandshakeTimeout(Duration.ofMillis(300));
        try (Server server = start(config);
             Socket silent = connect(server)) {
            silent.getOutputStream().write(Arrays.copyOf(clientHello(0x03), 20)); // truncated, then silence
            assertThat(closedByServer(silent)).isTrue();
            assertThat(await(() -> server.stats().closes(CloseReason.TLS_HANDSHAKE_TIMEOUT) == 1,
                    Duration.ofSeconds(5))).as(server.stats().toString()).isTrue();
            assertThat(await(() -> server.stats().tls().failures().equals(Map.of(TlsStats.TIMEOUT, 1L)),
                    Duration.ofSeconds(5))).as(server.stats().tls().failures().toString()).isTrue();
            if (engine != Engine.SEQUENTIAL) {
                try (SSLSocket s = TestTls.connect(server)) {
                    assertThat(exchange(s, "after")).isEqualTo("after");
                }
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void aClientThatLeavesMidHandshakeLeavesNothingOpen(Engine engine) throws Exception {
        try (Server server = start(config(engine))) {
            for (int i = 0; i < 20; i++) {
                try (Socket s = connect(server)) {
                    s.getOutputStream().write(clientHello(0x03));
                }
            }
            assertThatThrownBy(() -> {
                try (SSLSocket s = TestTls.connect(server, "TLSv1.1")) {
                    exchange(s, "never");
                }
            }).isInstanceOf(SSLException.class);
            TlsStats tls = server.stats().tls();
            assertThat(await(() -> failures(tls) == 21, Duration.ofSeconds(10)))
                    .as("each unfinished handshake counted once: %s", tls.failures()).isTrue();
            assertThat(await(() -> server.stats().open() == 0, Duration.ofSeconds(10)))
                    .as(server.stats().toString()).isTrue();
            try (SSLSocket s = TestTls.connect(server)) {
                assertThat(exchange(s, "served")).isEqualTo("served");
            }
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void handshakesAreCountedByWhatTheyAgreedAndWhetherTheyResumed(Engine engine) throws Exception {
        javax.net.ssl.SSLContext client = TestTls.newClient();
        try (Server server = start(config(engine))) {
            for (int i = 0; i < 3; i++) {
                try (SSLSocket s = TestTls.connect(client, server)) {
                    assertThat(exchange(s, "ticket " + i)).isEqualTo("ticket " + i); // reads the ticket too
                }
            }
            try (SSLSocket s = TestTls.connect(TestTls.newClient(), server, "TLSv1.2")) {
                assertThat(exchange(s, "tls 1.2")).isEqualTo("tls 1.2");
            }
            TlsStats tls = server.stats().tls();
            assertThat(tls.handshakes().entrySet()).extracting(e -> e.getKey().protocol(), Map.Entry::getValue)
                    .containsExactlyInAnyOrder(tuple("TLSv1.3", 3L), tuple("TLSv1.2", 1L));
            assertThat(tls.handshakes().keySet()).allSatisfy(n -> assertThat(n.cipherSuite()).startsWith("TLS_"));
            assertThat(tls.resumed()).as("the second and third connection of one client").isEqualTo(2);
            assertThat(tls.completed()).isEqualTo(4);
            assertThat(tls.failures()).isEmpty();
        }
    }

    private static long failures(TlsStats tls) {
        return tls.failures().values().stream().mapToLong(Long::longValue).sum();
    }

    /** Everything the server sends until it closes. */
    private static byte[] readToEnd(Socket s) throws Exception {
        InputStream in = s.getInputStream();
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] buf = new byte[512];
        try {
            for (int n; (n = in.read(buf)) > 0; ) {
                out.write(buf, 0, n);
            }
        } catch (java.net.SocketException e) {
            // A reset after the alert ends the stream as well.
        }
        return out.toByteArray();
    }

    /**
     * A minimal ClientHello record offering one TLS 1.0-era suite, {@code 0x03, minor} as its
     * version (1: TLS 1.0, 3: TLS 1.2) and no extensions.
     */
    static byte[] clientHello(int minor) {
        ByteArrayOutputStream body = new ByteArrayOutputStream();
        body.write(3);
        body.write(minor);
        body.writeBytes(new byte[32]); // random
        body.write(0); // session id
        body.writeBytes(new byte[] {0, 4, 0x00, 0x2f, (byte) 0xc0, 0x2f}); // two suites
        body.writeBytes(new byte[] {1, 0}); // null compression
        byte[] b = body.toByteArray();
        ByteArrayOutputStream hs = new ByteArrayOutputStream();
        hs.writeBytes(new byte[] {1, 0, (byte) (b.length >> 8), (byte) b.length});
        hs.writeBytes(b);
        byte[] h = hs.toByteArray();
        ByteArrayOutputStream rec = new ByteArrayOutputStream();
        rec.writeBytes(new byte[] {0x16, 3, 1, (byte) (h.length >> 8), (byte) h.length});
        rec.writeBytes(h);
        return rec.toByteArray();
    }
}
