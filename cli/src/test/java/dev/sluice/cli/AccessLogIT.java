package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice respond --access-log}: lines appear, parse, and are all written by shutdown. */
@Timeout(120)
class AccessLogIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String UA_AND_REFERER = "User-Agent: it/1.0 (\"quoted\")\r\nReferer: http://ref/x\r\n";
    /** Apache's combined format, as {@code %h %l %u %t "%r" %>s %b "%{Referer}i" "%{User-agent}i"}. */
    private static final Pattern COMBINED = Pattern.compile("127\\.0\\.0\\.1 - - "
            + "\\[\\d{2}/[A-Z][a-z]{2}/\\d{4}:\\d{2}:\\d{2}:\\d{2} [+-]\\d{4}] "
            + "\"GET /a\\?b=1 HTTP/1\\.1\" 200 13 \"http://ref/x\" \"it/1\\.0 \\(\\\\\"quoted\\\\\"\\)\"");

    @Test
    void writesCombinedLinesToTheFileWhileServing(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("access.log");
        try (SluiceProcess p = SluiceProcess.jar("respond", "--host", "127.0.0.1", "--port", "0",
                "--access-log", file.toString())) {
            int port = Integer.parseInt(p.awaitStdout(AdminIT.LISTENING, WAIT).group(1));
            RawHttp.get(port, "/a?b=1", UA_AND_REFERER);
            RawHttp.get(port, "/a?b=1", UA_AND_REFERER);
            RawHttp.send(port, "BAD\r\n\r\n");

            List<String> lines = awaitLines(file, 3);
            assertThat(lines.get(0)).as("line: %s", lines.get(0)).matches(COMBINED);
            assertThat(lines.get(1)).matches(COMBINED);
            assertThat(lines.get(2)).as("a malformed request").endsWith("\"-\" 400 21 \"-\" \"-\"");
            assertThat(p.stdout()).as("nothing on stdout but the startup lines")
                    .noneMatch(l -> l.contains("GET /a"));
        }
    }

    @Test
    void writesJsonToStdout() {
        try (SluiceProcess p = SluiceProcess.jar("respond", "--host", "127.0.0.1", "--port", "0",
                "--access-log", "-", "--access-log-format", "json")) {
            int port = Integer.parseInt(p.awaitStdout(AdminIT.LISTENING, WAIT).group(1));
            RawHttp.get(port, "/j%20son?x=1", UA_AND_REFERER);

            String line = p.awaitStdout(Pattern.compile("\\{\"ts\":.*"), WAIT).group();
            assertThat(line).as(line).matches("\\{\"ts\":\"\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z\","
                    + "\"remote\":\"127\\.0\\.0\\.1\",\"method\":\"GET\",\"path\":\"/j%20son\\?x=1\","
                    + "\"proto\":\"HTTP/1\\.1\",\"status\":200,\"bytes\":13,\"duration_ms\":\\d+\\.\\d{3},"
                    + "\"ua\":\"it/1\\.0 \\(\\\\\"quoted\\\\\"\\)\",\"referer\":\"http://ref/x\"}");
        }
    }

    @Test
    void writesEveryLineByTheTimeItExits(@TempDir Path dir) throws Exception {
        Path file = dir.resolve("common.log");
        try (SluiceProcess p = SluiceProcess.jar("respond", "--host", "127.0.0.1", "--port", "0",
                "--access-log", file.toString(), "--access-log-format", "common")) {
            int port = Integer.parseInt(p.awaitStdout(AdminIT.LISTENING, WAIT).group(1));
            for (int i = 0; i < 20; i++) {
                RawHttp.get(port, "/" + i);
            }
            p.sigterm();
            assertThat(p.awaitExit()).as(p::transcript).isZero();

            List<String> lines = Files.readAllLines(file);
            assertThat(lines).as(p::transcript).hasSize(20);
            assertThat(lines.get(19)).matches("127\\.0\\.0\\.1 - - \\[[^]]+] \"GET /19 HTTP/1\\.1\" 200 13");
        }
    }

    @Test
    void aFileThatCannotBeOpenedIsAUsageError(@TempDir Path dir) {
        String missing = dir.resolve("no/such/dir/access.log").toString();
        try (SluiceProcess p = SluiceProcess.jar("respond", "--port", "0", "--access-log", missing)) {
            assertThat(p.awaitExit()).as(p::transcript).isEqualTo(2);
            assertThat(p.stderr()).as(p::transcript).containsExactly("sluice: cannot open --access-log "
                    + missing + ": no such directory (see 'sluice respond --help')");
        }
    }

    /** Waits for {@code file} to hold at least {@code n} whole lines. */
    private static List<String> awaitLines(Path file, int n) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + WAIT.toNanos();
        while (true) {
            if (Files.exists(file)) {
                String text = Files.readString(file);
                List<String> lines = text.lines().toList();
                if (lines.size() >= n && text.endsWith("\n")) {
                    return lines;
                }
            }
            if (System.nanoTime() - deadline > 0) {
                return fail("fewer than %d lines in %s within %s", n, file, WAIT);
            }
            Thread.sleep(20);
        }
    }
}
