package dev.sluice.core;

import static dev.sluice.core.Clients.exchange;
import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.file.Files;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.extension.RegisterExtension;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * A same-host restart with {@code SO_REUSEPORT}: a second server takes the port, the first shuts
 * down gracefully, and clients that connect all along, a new connection per request, see no
 * refusal and no reset. Needs {@code net.ipv4.tcp_migrate_req=1} (Linux 5.14+), which moves the
 * connections queued on the closing listener to the other one; the test sets it where it may
 * (root, as in CI) and puts the old value back, and is skipped where it can do neither.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ReusePortRestartIT {
    private static final String MIGRATE_ON = "1";

    @RegisterExtension
    final ServerLog log = new ServerLog();

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"EVENT_LOOP", "VIRTUAL"})
    void aSecondServerTakesOverThePortAndNoClientIsRefusedOrReset(Engine engine) throws Exception {
        String before = migrateReq();
        assumeTrue(before != null, "no " + Listener.MIGRATE_REQ + " (not Linux 5.14+)");
        assumeTrue(setMigrateReq(MIGRATE_ON), "cannot set " + Listener.MIGRATE_REQ + " (not root)");
        try {
            restartUnderLoad(engine);
        } finally {
            setMigrateReq(before);
        }
    }

    private static void restartUnderLoad(Engine engine) throws Exception {
        ServerConfig first = EngineIT.config(engine).withReusePort(true).withShutdownTimeout(Duration.ofSeconds(5));
        Server old = Server.create(first, LineProtocol.create(line -> line)).start();
        ServerConfig second = first.withPort(old.port());
        AtomicBoolean running = new AtomicBoolean(true);
        AtomicLong answered = new AtomicLong();
        List<String> failures = java.util.Collections.synchronizedList(new ArrayList<>());
        try (ExecutorService clients = Executors.newFixedThreadPool(4)) {
            List<Future<?>> load = new ArrayList<>();
            for (int t = 0; t < 4; t++) {
                load.add(clients.submit(() -> {
                    while (running.get()) {
                        try (Socket s = new Socket()) {
                            s.setSoTimeout(Clients.READ_TIMEOUT_MS);
                            s.connect(new InetSocketAddress("127.0.0.1", old.port()), Clients.READ_TIMEOUT_MS);
                            if ("ping".equals(exchange(s, "ping"))) {
                                answered.incrementAndGet();
                            } else {
                                failures.add("no answer");
                            }
                        } catch (IOException e) {
                            failures.add(e.toString());
                        }
                    }
                }));
            }
            long warm = answered.get();
            assertThat(Clients.await(() -> answered.get() > warm + 200, Duration.ofSeconds(20))).isTrue();
            try (Server fresh = Server.create(second, LineProtocol.create(line -> line)).start()) {
                assertThat(old.shutdown()).as("the old server drained").isTrue();
                long afterStop = answered.get();
                assertThat(Clients.await(() -> answered.get() > afterStop + 200, Duration.ofSeconds(20)))
                        .as("the new server answers alone").isTrue();
                running.set(false);
                for (Future<?> f : load) {
                    f.get(30, TimeUnit.SECONDS);
                }
            } finally {
                running.set(false);
                old.close();
            }
        }
        assertThat(failures).as("refused or reset across the restart, of %d answered", answered.get()).isEmpty();
    }

    private static String migrateReq() {
        try {
            return Files.readString(Listener.MIGRATE_REQ).strip();
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean setMigrateReq(String value) {
        try {
            Files.writeString(Listener.MIGRATE_REQ, value + "\n");
            return value.equals(migrateReq());
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
