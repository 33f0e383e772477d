package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@link Server#awaitShutdown} and {@link Server#shutdownOnSignal}: in process, and a real SIGTERM. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class ShutdownSignalIT {

    @Test
    void awaitShutdownReturnsOnceAnotherThreadHasShutTheServerDown() throws Exception {
        Server server = Server.create(ServerConfig.defaults().withHost("127.0.0.1").withPort(0),
                EchoProtocol.create()).start();
        try {
            assertThat(server.awaitShutdown(Duration.ZERO)).as("still serving").isFalse();
            Thread stopper = new Thread(server::shutdown, "test-stopper");
            stopper.start();
            server.awaitShutdown();
            assertThat(Clients.refused(server.port())).as("the listener is closed").isTrue();
            assertThat(server.awaitShutdown(Duration.ZERO)).isTrue();
            stopper.join();
        } finally {
            server.close();
        }
    }

    @Test
    void awaitShutdownEndsWithCloseAndWithAServerThatNeverStarted() throws Exception {
        Server started = Server.create(ServerConfig.defaults().withHost("127.0.0.1").withPort(0),
                EchoProtocol.create()).start().shutdownOnSignal();
        started.close();
        assertThat(started.awaitShutdown(Duration.ZERO)).isTrue();
        assertThat(started.shutdownOnSignal()).as("a no-op once stopped").isSameAs(started);

        Server never = Server.create(ServerConfig.defaults().withPort(0), EchoProtocol.create());
        assertThat(never.awaitShutdown(Duration.ZERO)).isFalse();
        never.close();
        assertThat(never.awaitShutdown(Duration.ZERO)).isTrue();
    }

    /**
     * The process gets SIGTERM while an exchange is in progress: the listener closes at once, the
     * exchange still finishes and is answered, and then the JVM exits as SIGTERM asks (status 143).
     */
    @ParameterizedTest
    @EnumSource(Engine.class)
    void sigtermFinishesTheExchangeInProgressThenExits(Engine engine) throws Exception {
        Path err = Files.createTempFile("sluice-signal", ".log");
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder(javaBin, "-cp", System.getProperty("java.class.path"),
                SignalMain.class.getName(), engine.cliName()).redirectError(err.toFile()).start();
        try (BufferedReader out = new BufferedReader(
                new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8))) {
            String first = out.readLine();
            assertThat(first).as("child said: %s; stderr: %s", first, Files.readString(err)).startsWith("port ");
            int port = Integer.parseInt(first.substring(5).trim());
            try (Socket s = new Socket()) {
                s.setSoTimeout(Clients.READ_TIMEOUT_MS);
                s.connect(new InetSocketAddress("127.0.0.1", port), Clients.READ_TIMEOUT_MS);
                assertThat(Clients.exchange(s, "ping")).isEqualTo("ping");
                Clients.send(s, "hold\n");
                assertThat(out.readLine()).isEqualTo("holding");

                child.toHandle().destroy(); // SIGTERM (Process.destroy would also close our ends of its pipes)
                assertThat(Clients.await(() -> Clients.refused(port), Duration.ofSeconds(20)))
                        .as("the listener closes on SIGTERM; stderr: %s", Files.readString(err)).isTrue();
                assertThat(child.isAlive()).as("waits for the exchange in progress").isTrue();

                OutputStream stdin = child.getOutputStream();
                stdin.write("go\n".getBytes(StandardCharsets.UTF_8));
                stdin.flush();
                assertThat(Clients.readLine(s)).isEqualTo("released go");
            }
            assertThat(child.waitFor(30, TimeUnit.SECONDS)).as("exits after the exchange").isTrue();
            assertThat(child.exitValue()).as("stderr: %s", Files.readString(err)).isEqualTo(128 + 15);
        } finally {
            child.destroyForcibly();
            Files.deleteIfExists(err);
        }
    }
}
