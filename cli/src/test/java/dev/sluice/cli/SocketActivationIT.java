package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.ConnectException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sluice started as systemd starts a socket-activated service: a launcher (socket-activate.py)
 * binds and listens, the test connects and sends a request while nothing accepts yet, then the
 * launcher execs {@code bin/sluice} with the socket as fd 3 and {@code LISTEN_FDS}/{@code LISTEN_PID}.
 * The launcher runs from a copy of {@code bin/} beside the built jar, so it never rebuilds.
 */
@Timeout(120)
class SocketActivationIT {
    private static final Duration START = Duration.ofSeconds(60);
    private static final String BODY = "served on the inherited socket\n";

    @TempDir
    Path dir;
    private Path launcher;
    private Path site;

    @BeforeEach
    void copyTheLauncherBesideTheJar() throws IOException {
        assumeTrue(onPath("python3"), "python3 is needed to pass a socket as fd 3");
        Path bin = Files.createDirectories(dir.resolve("root/bin/lib"));
        Path binSrc = SluiceProcess.REPO_ROOT.resolve("bin");
        Files.copy(binSrc.resolve("sluice"), bin.resolveSibling("sluice"), StandardCopyOption.COPY_ATTRIBUTES);
        Files.copy(binSrc.resolve("lib/find-java.sh"), bin.resolve("find-java.sh"));
        Path target = Files.createDirectories(dir.resolve("root/cli/target"));
        Files.copy(SluiceProcess.JAR, target.resolve("sluice.jar"));
        launcher = bin.resolveSibling("sluice");
        site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("hello.txt"), BODY);
    }

    @Test
    void servesAConnectionQueuedBeforeItStartedOnTheInheritedSocketAndBindsNoPortOfItsOwn() throws Exception {
        int unused = freePort();
        Path go = dir.resolve("go");
        try (SluiceProcess p = activate(List.of(), go, "serve", "--host", "127.0.0.1", "--port",
                String.valueOf(unused), "--quiet", site.toString())) {
            int port = Integer.parseInt(p.awaitStdout(Pattern.compile("socket-activate: listening on port (\\d+)"),
                    START).group(1));
            try (Socket early = new Socket("127.0.0.1", port)) {
                early.setSoTimeout((int) START.toMillis());
                early.getOutputStream().write(("GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n"
                        + "Connection: close\r\n\r\n").getBytes(StandardCharsets.US_ASCII));
                Files.createFile(go); // Sluice starts only now; the kernel holds the request meanwhile
                String response = new String(early.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
                assertThat(response).as("response to the request sent before Sluice started%n%s", p.transcript())
                        .startsWith("HTTP/1.1 200 ").endsWith(BODY);
            }
            p.awaitStdout(Pattern.compile(Pattern.quote("listening on http://127.0.0.1:" + port
                    + " (inherited from systemd)")), START);
            assertThatThrownBy(() -> new Socket("127.0.0.1", unused).close())
                    .as("--port %d must not be bound when a socket is inherited%n%s", unused, p.transcript())
                    .isInstanceOf(ConnectException.class);
            p.sigterm();
            assertThat(p.awaitExit()).as("exit code after SIGTERM%n%s", p.transcript()).isEqualTo(0);
        }
    }

    @Test
    void exitsTwoNamingTheVariableWhenTheSocketIsMissing() throws Exception {
        Path go = Files.createFile(dir.resolve("go"));
        try (SluiceProcess p = activate(List.of("--no-socket"), go, "serve", "--host", "127.0.0.1",
                "--port", "0", site.toString())) {
            assertThat(p.awaitExit()).as("exit code%n%s", p.transcript()).isEqualTo(2);
            assertThat(p.stderr()).as("stderr%n%s", p.transcript()).containsExactly("sluice: LISTEN_FDS=1 but fd 0 "
                    + "is not a listening TCP socket: start Sluice through bin/sluice (it moves systemd's fd 3 "
                    + "to fd 0) or set StandardInput=socket");
        }
    }

    private SluiceProcess activate(List<String> options, Path go, String... args) throws URISyntaxException {
        Path script = Path.of(SocketActivationIT.class.getResource("socket-activate.py").toURI());
        List<String> command = new ArrayList<>(List.of("python3", script.toString()));
        command.addAll(options);
        command.addAll(List.of(go.toString(), launcher.toString()));
        command.addAll(List.of(args));
        return SluiceProcess.command(command, Map.of("JAVA_HOME", System.getProperty("java.home")), dir);
    }

    private static boolean onPath(String name) {
        return java.util.Arrays.stream(System.getenv().getOrDefault("PATH", "").split(":"))
                .anyMatch(d -> !d.isEmpty() && Files.isExecutable(Path.of(d, name)));
    }

    private static int freePort() throws IOException {
        try (ServerSocket s = new ServerSocket(0, 1, java.net.InetAddress.getLoopbackAddress())) {
            return s.getLocalPort();
        }
    }
}
