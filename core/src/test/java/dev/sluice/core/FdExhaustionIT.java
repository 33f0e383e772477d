package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * When the process runs out of file descriptors, the acceptor logs once, backs off instead of
 * spinning, and serves again when descriptors return. The server runs in a child JVM whose
 * open-file limit is lowered with {@code prlimit}.
 */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class FdExhaustionIT {
    private static final int FD_LIMIT = 160;

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = "SEQUENTIAL", mode = EnumSource.Mode.EXCLUDE)
    void acceptBacksOffLogsOnceAndRecovers(Engine engine) throws Exception {
        Path err = Files.createTempFile("sluice-fd", ".log");
        String javaBin = ProcessHandle.current().info().command().orElse("java");
        Process child = new ProcessBuilder("prlimit", "--nofile=" + FD_LIMIT + ":" + FD_LIMIT, javaBin,
                "-cp", System.getProperty("java.class.path"), EchoMain.class.getName(), engine.cliName())
                .redirectError(err.toFile()).start();
        List<Socket> sockets = new ArrayList<>();
        try {
            BufferedReader out = new BufferedReader(
                    new InputStreamReader(child.getInputStream(), StandardCharsets.UTF_8));
            String first = out.readLine();
            assertThat(first).as("child said: %s; stderr: %s", first, Files.readString(err)).startsWith("port ");
            int port = Integer.parseInt(first.substring(5).trim());
            for (int i = 0; i < FD_LIMIT + 40; i++) {
                Socket s = new Socket();
                s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                sockets.add(s); // the kernel completes the handshake even when accept cannot
            }
            assertThat(Clients.await(() -> log(err).contains("fd_exhausted"), java.time.Duration.ofSeconds(10)))
                    .as("stderr: %s", log(err)).isTrue();
            Thread.sleep(500); // several back-off rounds while still exhausted
            for (Socket s : sockets) {
                s.close();
            }
            try (Socket s = new Socket()) {
                s.setSoTimeout(10_000);
                s.connect(new InetSocketAddress("127.0.0.1", port), 5_000);
                s.getOutputStream().write("back".getBytes(StandardCharsets.US_ASCII));
                assertThat(new String(s.getInputStream().readNBytes(4), StandardCharsets.US_ASCII))
                        .as("served after recovery; stderr: %s", log(err)).isEqualTo("back");
            }
            String log = log(err);
            assertThat(log.split("fd_exhausted", -1)).as("logged once: %s", log).hasSize(2);
            assertThat(log).doesNotContain("Exception in thread");
        } finally {
            for (Socket s : sockets) {
                s.close();
            }
            child.getOutputStream().close();
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                child.destroyForcibly();
            }
            Files.deleteIfExists(err);
        }
    }

    private static String log(Path p) {
        try {
            return Files.readString(p);
        } catch (java.io.IOException e) {
            return "";
        }
    }
}
