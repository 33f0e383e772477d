package dev.sluice.core;

import static dev.sluice.core.Clients.await;
import static dev.sluice.core.Clients.closedByServer;
import static dev.sluice.core.Clients.connect;
import static dev.sluice.core.Clients.exchange;
import static dev.sluice.core.Clients.readLine;
import static dev.sluice.core.Clients.send;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedInputStream;
import java.io.DataInputStream;
import java.io.IOException;
import java.lang.management.BufferPoolMXBean;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Arrays;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Clients that are slow or greedy on purpose, on every engine: each is cut or held back by its
 * defence while the server goes on serving everyone else and frees what the client held.
 */
@Timeout(value = 90, unit = TimeUnit.SECONDS)
class SlowClientsIT {
    private static final CountDownLatch NEVER = new CountDownLatch(1);

    @RegisterExtension
    final ServerLog log = new ServerLog();

    private static ServerConfig config(Engine engine) {
        return EngineIT.config(engine);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void slowlorisIsCutAtTheHeaderDeadlineAndItsSlotGoesToTheNextClient(Engine engine) throws Exception {
        ServerConfig cfg = config(engine).withMaxConnections(1).withHeaderTimeout(Duration.ofMillis(500));
        try (Server server = Server.create(cfg, LineProtocol.create(line -> line)).start();
             Socket slow = connect(server)) {
            send(slow, "a");
            assertThat(await(() -> server.stats().open() == 1, Duration.ofSeconds(5))).isTrue();
            Thread trickle = Thread.ofVirtual().start(() -> {
                try {
                    for (int i = 0; i < 100; i++) {
                        Thread.sleep(50);
                        send(slow, "b");
                    }
                } catch (IOException | InterruptedException e) {
                    // Cut by the server: expected.
                }
            });
            try (Socket next = connect(server)) { // waits for the one slot
                send(next, "next\n");
                assertThat(readLine(slow)).isEqualTo("TIMEOUT");
                assertThat(readLine(next)).as("the client that waited for the slot").isEqualTo("next");
            } finally {
                trickle.interrupt();
            }
            // The close is counted once the connection is done, which may be after its slot went to the next.
            assertThat(await(() -> server.stats().closes(CloseReason.HEADER_TIMEOUT) == 1, Duration.ofSeconds(5)))
                    .as(server.stats().toString()).isTrue();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void bodyBelowTheMinimumRateIsAnsweredAndClosedButASlowerThanLineRateBodyIsServed(Engine engine)
            throws Exception {
        ServerConfig cfg = config(engine).withIdleTimeout(Duration.ofSeconds(30))
                .withMinBodyRate(MinDataRate.of(1_000, Duration.ofMillis(300)));
        try (Server server = Server.create(cfg, LineProtocol.create(line -> line)).start()) {
            try (Socket rudy = connect(server)) {
                long start = System.nanoTime();
                send(rudy, "BODY 100000\n");
                Thread trickle = Thread.ofVirtual().start(() -> trickle(rudy, 10, 100, 1_000));
                assertThat(readLine(rudy)).as("a body at 100 bytes/s").isEqualTo("TIMEOUT");
                long ms = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start);
                assertThat(ms).as("cut after %d ms; want after the 300 ms grace", ms).isBetween(250L, 10_000L);
                assertThat(closedByServer(rudy)).isTrue();
                trickle.interrupt();
            }
            assertThat(await(() -> server.stats().closes(CloseReason.MIN_BODY_RATE) == 1,
                    Duration.ofSeconds(5))).as("closes: %s", server.stats()).isTrue();
            try (Socket steady = connect(server)) {
                send(steady, "BODY 6000\n");
                trickle(steady, 400, 100, 15); // 4,000 bytes/s for 1.5 s: above the minimum
                assertThat(readLine(steady)).isEqualTo("BODY 6000");
                assertThat(exchange(steady, "after")).isEqualTo("after");
            }
            assertThat(server.stats().closes(CloseReason.MIN_BODY_RATE)).isEqualTo(1);
        }
    }

    /** Sends {@code times} runs of {@code bytes} bytes, {@code everyMs} apart; stops when cut. */
    private static void trickle(Socket s, int bytes, long everyMs, int times) {
        byte[] run = new byte[bytes];
        Arrays.fill(run, (byte) 'x');
        try {
            for (int i = 0; i < times; i++) {
                s.getOutputStream().write(run);
                Thread.sleep(everyMs);
            }
        } catch (IOException | InterruptedException e) {
            // Cut by the server, or told to stop.
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void handlerThatNeverReturnsIsAnsweredAndInterruptedAndItsThreadServesTheNextConnection(Engine engine)
            throws Exception {
        AtomicBoolean interrupted = new AtomicBoolean();
        Handler<String, Object> handler = line -> {
            if (line.equals("hang")) {
                try {
                    NEVER.await();
                } catch (InterruptedException e) {
                    interrupted.set(true);
                    Thread.sleep(200); // a late answer, after the client was told
                    return "late";
                }
            }
            return line;
        };
        ServerConfig cfg = config(engine).withThreads(1).withRequestTimeout(Duration.ofMillis(300));
        try (Server server = Server.create(cfg, LineProtocol.create(handler)).start()) {
            try (Socket s = connect(server)) {
                assertThat(exchange(s, "hang")).isEqualTo("UNAVAILABLE");
                assertThat(closedByServer(s)).as("closed after the answer, the late one never sent").isTrue();
            }
            assertThat(await(interrupted::get, Duration.ofSeconds(5))).as("handler interrupted").isTrue();
            assertThat(await(() -> server.stats().closes(CloseReason.REQUEST_TIMEOUT) == 1, Duration.ofSeconds(5)))
                    .as("closes: %s", server.stats()).isTrue(); // counted just after the close
            for (int i = 0; i < 3; i++) { // one worker on pool: the same thread serves these
                try (Socket next = connect(server)) {
                    send(next, "a" + i + "\nb" + i + "\n");
                    assertThat(readLine(next)).isEqualTo("a" + i);
                    assertThat(readLine(next)).isEqualTo("b" + i);
                }
            }
            assertThat(await(() -> server.stats().open() == 0, Duration.ofSeconds(5))).isTrue();
            assertThat(server.stats().closes(CloseReason.ERROR)).as("%s", server.stats()).isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = "SEQUENTIAL", mode = EnumSource.Mode.EXCLUDE)
    void connectionsBeyondTheCapForOneAddressAreTurnedAwayAndCounted(Engine engine) throws Exception {
        ServerConfig cfg = config(engine).withMaxConnectionsPerIp(2);
        try (Server server = Server.create(cfg, LineProtocol.create(line -> line)).start();
             Socket a = connect(server);
             Socket b = connect(server)) {
            assertThat(exchange(a, "a")).isEqualTo("a");
            assertThat(exchange(b, "b")).isEqualTo("b");
            try (Socket over = connect(server)) {
                assertThat(readLine(over)).isEqualTo("BUSY");
                assertThat(closedByServer(over)).isTrue();
            }
            assertThat(server.stats().rejectedPerIp()).isEqualTo(1);
            assertThat(server.stats().rejected()).as("the server-wide limit was not the cause").isZero();
            assertThat(server.stats().closes(CloseReason.LIMIT)).isEqualTo(1);
            a.close();
            assertThat(await(() -> server.stats().open() == 1, Duration.ofSeconds(5))).isTrue();
            try (Socket again = connect(server)) {
                assertThat(exchange(again, "again")).as("a slot of the address came back").isEqualTo("again");
            }
            assertThat(exchange(b, "still")).isEqualTo("still");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void readerBelowTheMinimumResponseRateIsCutAndItsBuffersReleased(Engine engine) throws Exception {
        ServerConfig cfg = config(engine).withWriteTimeout(Duration.ofSeconds(30))
                .withMinResponseRate(MinDataRate.of(200_000, Duration.ofMillis(200)));
        Handler<String, Object> big = line -> ByteBuffer.allocate(32 << 20);
        System.gc();
        long before = directBytes();
        try (Server server = Server.create(cfg, LineProtocol.create(big)).start();
             Socket reader = Clients.connectSmallReceiver(server)) {
            send(reader, "big\n");
            byte[] sip = new byte[2048];
            long end = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            try {
                // About 40 KB/s, a fifth of the minimum: progress enough for any write timeout.
                while (System.nanoTime() - end < 0 && server.stats().closes(CloseReason.MIN_RESPONSE_RATE) == 0
                        && reader.getInputStream().read(sip) >= 0) {
                    Thread.sleep(50);
                }
            } catch (IOException e) {
                // Reset by the server: expected.
            }
            assertThat(await(() -> server.stats().closes(CloseReason.MIN_RESPONSE_RATE) == 1,
                    Duration.ofSeconds(5))).as("closes: %s", server.stats()).isTrue();
            assertThat(server.stats().closes(CloseReason.WRITE_TIMEOUT)).isZero();
            assertThat(await(() -> {
                System.gc();
                return directBytes() - before < 8 << 20;
            }, Duration.ofSeconds(10))).as("direct memory still held after the cut: %d bytes",
                    directBytes() - before).isTrue();
            try (Socket next = connect(server)) {
                send(next, "big\n");
                next.getInputStream().readNBytes(32 << 20); // read at full speed: not cut
            }
            assertThat(server.stats().closes(CloseReason.MIN_RESPONSE_RATE)).isEqualTo(1);
        }
    }

    /**
     * Without the kernel's acknowledged bytes (no sluice-ffm here) the rule credits 64 KiB in
     * flight: at 1,000 bytes/s a reader that takes nothing is cut only after 65 s, while the
     * shedding counts no credit. Only on {@code event-loop}: the blocking engines' clock starts
     * before a write, so there what the kernel took at once counts as taken (sluice-ffm's
     * SlowReaderIT covers every engine with the kernel's count).
     */
    @ParameterizedTest
    @EnumSource(value = Engine.class, names = "EVENT_LOOP")
    void atTheLimitTheReaderMakingTheLeastProgressIsShedForANewcomer(Engine engine) throws Exception {
        ServerConfig cfg = config(engine).withMaxConnections(2).withWriteTimeout(Duration.ofSeconds(60))
                .withMinResponseRate(MinDataRate.of(1_000, Duration.ofMillis(200)));
        Handler<String, Object> bigOrEcho = line -> line.equals("big") ? ByteBuffer.allocate(8 << 20) : line;
        try (Server server = Server.create(cfg, LineProtocol.create(bigOrEcho)).start();
             Socket a = Clients.connectSmallReceiver(server);
             Socket b = Clients.connectSmallReceiver(server)) {
            send(a, "big\n");
            send(b, "big\n");
            assertThat(await(() -> server.stats().open() == 2, Duration.ofSeconds(5))).isTrue();
            try (Socket next = connect(server)) { // waits at the limit until one is below its rate after the grace
                assertThat(exchange(next, "next")).as("the newcomer, %s", server.stats()).isEqualTo("next");
            }
            // The slot is given back before the close is counted: the newcomer may be served first.
            assertThat(await(() -> server.stats().closes(CloseReason.LEAST_PROGRESS) == 1, Duration.ofSeconds(5)))
                    .as("%s", server.stats()).isTrue();
            assertThat(server.stats().closes(CloseReason.MIN_RESPONSE_RATE)).isZero();
            assertThat(server.stats().rejected()).as("nobody turned away").isZero();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void pipelinedFloodFromAClientThatDoesNotReadIsHeldBackAndLosesNothing(Engine engine) throws Exception {
        int requests = 100_000;
        int answerBytes = 4096;
        Handler<String, Object> padded = line -> {
            byte[] answer = new byte[answerBytes];
            Arrays.fill(answer, (byte) '.');
            byte[] id = line.getBytes(StandardCharsets.US_ASCII);
            System.arraycopy(id, 0, answer, 0, id.length);
            answer[answerBytes - 1] = '\n';
            return ByteBuffer.wrap(answer);
        };
        System.gc();
        long before = heldBytes();
        try (Server server = Server.create(config(engine), LineProtocol.create(padded)).start();
             Socket flood = connect(server)) {
            StringBuilder batch = new StringBuilder();
            for (int i = 0; i < requests; i++) {
                batch.append('r').append(i).append('\n');
            }
            byte[] bytes = batch.toString().getBytes(StandardCharsets.US_ASCII);
            Thread writer = Thread.ofVirtual().start(() -> {
                try {
                    flood.getOutputStream().write(bytes);
                } catch (IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
            });
            // The client reads nothing: the server must stop taking requests from it.
            long[] seen = {-1};
            assertThat(await(() -> {
                long now = server.stats().requests();
                boolean still = now == seen[0];
                seen[0] = now;
                sleep(300);
                return still && now > 0;
            }, Duration.ofSeconds(20))).as("requests taken kept growing: %s", server.stats()).isTrue();
            long taken = server.stats().requests();
            assertThat(taken).as("requests decoded for a client that reads nothing").isLessThan(requests / 4);
            System.gc();
            sleep(200);
            long held = heldBytes() - before;
            assertThat(held).as("memory held for the flood: %d bytes", held).isLessThan(16L << 20);
            if (engine != Engine.SEQUENTIAL) {
                try (Socket other = connect(server)) {
                    send(other, "other\n");
                    assertThat(new String(other.getInputStream().readNBytes(5), StandardCharsets.US_ASCII))
                            .as("another client is served meanwhile").isEqualTo("other");
                }
            }
            DataInputStream in = new DataInputStream(new BufferedInputStream(flood.getInputStream(), 1 << 16));
            byte[] answer = new byte[answerBytes];
            for (int i = 0; i < requests; i++) {
                in.readFully(answer);
                String id = "r" + i + ".";
                String got = new String(answer, 0, id.length(), StandardCharsets.US_ASCII);
                if (!got.equals(id)) {
                    assertThat(got).as("answer %d out of order", i).isEqualTo(id);
                }
            }
            writer.join(10_000);
            assertThat(server.stats().requests()).isEqualTo(requests + (engine != Engine.SEQUENTIAL ? 1 : 0));
        }
    }

    private static void sleep(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    /** Heap in use and direct buffers; call after {@link System#gc()}. */
    private static long heldBytes() {
        Runtime rt = Runtime.getRuntime();
        return rt.totalMemory() - rt.freeMemory() + directBytes();
    }

    private static long directBytes() {
        return ManagementFactory.getPlatformMXBeans(BufferPoolMXBean.class).stream()
                .filter(p -> p.getName().equals("direct")).mapToLong(BufferPoolMXBean::getMemoryUsed).sum();
    }
}
