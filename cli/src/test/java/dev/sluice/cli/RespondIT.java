package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Engine;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code sluice respond} end to end, with curl as the client. */
@Timeout(90)
class RespondIT {
    private static final Pattern LISTENING =
            Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration START_WAIT = Duration.ofSeconds(30);

    @ParameterizedTest
    @EnumSource(Engine.class)
    void answersEveryRequestWithHelloWorld(Engine engine) throws Exception {
        try (SluiceProcess p = SluiceProcess.jar("respond", "--host", "127.0.0.1", "--port", "0",
                "--engine", engine.cliName())) {
            int port = Integer.parseInt(p.awaitStdout(LISTENING, START_WAIT).group(1));
            String base = "http://127.0.0.1:" + port;
            String head = curl("-sS", "-i", base + "/", base + "/any/path?q=1");
            assertThat(head).as(p::transcript)
                    .contains("HTTP/1.1 200 OK")
                    .containsIgnoringCase("content-type: text/plain; charset=utf-8")
                    .containsIgnoringCase("content-length: 13")
                    .containsIgnoringCase("date: ")
                    .contains("Server: Sluice\r\n");
            assertThat(head.split("Hello, World!", -1)).as("two bodies on one connection: %s", head)
                    .hasSize(3);
            assertThat(head).as("curl reused the connection").doesNotContainIgnoringCase("connection: close");
            assertThat(curl("-sS", "-X", "POST", "--data", "ignored", base + "/")).isEqualTo("Hello, World!");
            p.sigterm();
            assertThat(p.awaitExit()).as(p::transcript).isZero();
        }
    }

    @Test
    void answersWithTheGivenText() throws Exception {
        try (SluiceProcess p = SluiceProcess.jar("respond", "--host", "127.0.0.1", "--port", "0",
                "pong")) {
            int port = Integer.parseInt(p.awaitStdout(LISTENING, START_WAIT).group(1));
            assertThat(curl("-sS", "http://127.0.0.1:" + port + "/")).as(p::transcript).isEqualTo("pong");
            assertThat(curl("-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Length: x",
                    "http://127.0.0.1:" + port + "/")).as("a malformed request is refused").isEqualTo("400");
        }
    }

    @Test
    void sendsTheServerHeaderGivenOrNone() throws Exception {
        try (SluiceProcess named = SluiceProcess.jar("respond", "--host", "127.0.0.1", "--port", "0",
                "--server-header", "edge/2");
             SluiceProcess none = SluiceProcess.jar("respond", "--host", "127.0.0.1", "--port", "0",
                "--server-header", "")) {
            int namedPort = Integer.parseInt(named.awaitStdout(LISTENING, START_WAIT).group(1));
            int nonePort = Integer.parseInt(none.awaitStdout(LISTENING, START_WAIT).group(1));
            assertThat(curl("-sS", "-i", "http://127.0.0.1:" + namedPort + "/")).as(named::transcript)
                    .contains("Server: edge/2\r\n");
            assertThat(curl("-sS", "-i", "http://127.0.0.1:" + nonePort + "/")).as(none::transcript)
                    .contains("HTTP/1.1 200 OK").doesNotContainIgnoringCase("server:");
        }
        try (SluiceProcess bad = SluiceProcess.jar("respond", "--port", "0", "--server-header", "a\tb")) {
            assertThat(bad.awaitExit()).as(bad::transcript).isEqualTo(2);
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void readsATwoGibibyteUploadToTheEndWithoutHoldingIt(Engine engine, @TempDir Path tmp) throws Exception {
        Path small = tmp.resolve("small");
        Path big = tmp.resolve("big");
        try (RandomAccessFile f = new RandomAccessFile(small.toFile(), "rw");
             RandomAccessFile g = new RandomAccessFile(big.toFile(), "rw")) {
            f.setLength(1 << 20);
            g.setLength(2L << 30); // sparse: no disk is used
        }
        try (SluiceProcess p = SluiceProcess.jar("respond", "ok", "--max-body-size", "4g", "--host", "127.0.0.1",
                "--port", "0", "--engine", engine.cliName())) {
            String url = "http://127.0.0.1:" + p.awaitStdout(LISTENING, START_WAIT).group(1) + "/";
            assertThat(curl("-sS", "-T", small.toString(), url)).as("warm-up").isEqualTo("ok");
            long start = p.rssKib();
            assertThat(curl("-sS", "--max-time", "120", "-T", big.toString(), "-w", " %{size_upload}", url))
                    .as(p::transcript).isEqualTo("ok " + (2L << 30));
            assertThat(p.rssKib()).as("RSS after the upload, KiB; %d before", start)
                    .isLessThanOrEqualTo(start + 64 * 1024);
            assertThat(curl("-sS", "-o", "/dev/null", "-w", "%{http_code}", "-H", "Content-Length: 5368709120",
                    "-X", "POST", url)).as("a body announced past the limit").isEqualTo("413");
        }
    }

    private static String curl(String... args) throws Exception {
        List<String> cmd = new java.util.ArrayList<>(List.of("curl", "--max-time", "20"));
        cmd.addAll(List.of(args));
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(30, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as("curl %s: %s", cmd, out).isZero();
        return out;
    }
}
