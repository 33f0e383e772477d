package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * bin/dist's archive, unpacked into an empty folder, serves a file with an empty environment: no
 * JDK on the PATH, no JAVA_HOME, no PATH at all.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class DistIT {
    private static final Duration WAIT = Duration.ofMinutes(2);

    @Test
    void theArchiveServesAFileWithNoJdkOnThePath(@TempDir Path tmp) throws Exception {
        Path out = Files.createDirectories(tmp.resolve("out"));
        String archive;
        try (SluiceProcess dist = SluiceProcess.command(List.of("bash",
                SluiceProcess.REPO_ROOT.resolve("bin/dist").toString(), "--no-build", "--out", out.toString()),
                Map.of(), SluiceProcess.REPO_ROOT)) {
            assertThat(dist.awaitExit(WAIT)).as(dist::transcript).isZero();
            archive = dist.stdout().get(dist.stdout().size() - 1);
        }
        assertThat(archive).as("the archive's name").matches(".*/sluice-[0-9][^/]*-linux-[a-z0-9_]+\\.tar\\.gz");
        Path unpacked = Files.createDirectories(tmp.resolve("empty"));
        Process tar = new ProcessBuilder("tar", "-xzf", archive, "-C", unpacked.toString()).inheritIO().start();
        assertThat(tar.waitFor(60, TimeUnit.SECONDS)).isTrue();
        assertThat(tar.exitValue()).isZero();
        Path home;
        try (var entries = Files.list(unpacked)) {
            home = entries.findFirst().orElseThrow();
        }
        Path site = Files.createDirectories(tmp.resolve("site"));
        Files.writeString(site.resolve("hello.txt"), "hello from the archive");

        try (SluiceProcess p = SluiceProcess.command(List.of("env", "-i", "/bin/bash",
                home.resolve("bin/sluice").toString(), "serve", "--quiet", "--host", "127.0.0.1", "--port", "0",
                site.toString()), Map.of(), unpacked)) {
            int port = Integer.parseInt(p.awaitStdout(Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)"),
                    WAIT).group(1));
            HttpResponse<String> r = HttpClient.newHttpClient().send(HttpRequest.newBuilder(
                    URI.create("http://127.0.0.1:" + port + "/hello.txt")).timeout(Duration.ofSeconds(20)).build(),
                    HttpResponse.BodyHandlers.ofString());
            assertThat(r.statusCode()).as(p::transcript).isEqualTo(200);
            assertThat(r.body()).isEqualTo("hello from the archive");
            p.sigterm();
            assertThat(p.awaitExit(WAIT)).as(p::transcript).isZero();
        }
    }
}
