package dev.sluice.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The one-minute soak of {@code mvn verify}: {@code sluice serve} from the cli's runnable jar
 * (the bench module depends on the cli, so the reactor packages it first) as a child process on
 * 127.0.0.1 with a free port, the {@link Soak} driver against it for 15 s of warm-up and 60 s of
 * load, and the same verdict as {@code bench/soak.sh}: flat, no ordinary request failed, every
 * slow client cut. Nothing here depends on speed: a slow machine only sends fewer requests.
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class SoakIT {
    private static final Path JAR = Path.of(System.getProperty("sluice.jar", "../cli/target/sluice.jar"))
            .toAbsolutePath().normalize();
    private static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
    private static final Duration HEADER_TIMEOUT = Duration.ofSeconds(2);
    private static final Duration IDLE_TIMEOUT = Duration.ofSeconds(3);
    private static final Duration WRITE_TIMEOUT = Duration.ofSeconds(3);

    @Test
    void serverStaysFlatUnderAMinuteOfMixedLoad(@TempDir Path dir) throws Exception {
        assertThat(JAR).as("the cli's runnable jar (mvn package builds it)").isRegularFile();
        Path files = Files.createDirectory(dir.resolve("files"));
        SoakFiles.generate(files);
        boolean bodyRate = serveHelp(dir).contains("--min-body-rate");
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        List<String> command = new ArrayList<>(List.of(java.toString(),
                "-Xms128m", "-Xmx128m", "-XX:+AlwaysPreTouch", "-XX:+UseG1GC", "-jar", JAR.toString(),
                "serve", "--host", "127.0.0.1", "--port", "0",
                "--header-timeout", HEADER_TIMEOUT.toSeconds() + "s",
                "--idle-timeout", IDLE_TIMEOUT.toSeconds() + "s",
                "--write-timeout", WRITE_TIMEOUT.toSeconds() + "s", files.toString()));
        Path out = dir.resolve("server.out");
        Path err = dir.resolve("server.err");
        Process server = new ProcessBuilder(command).redirectOutput(out.toFile()).redirectError(err.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
        ByteArrayOutputStream report = new ByteArrayOutputStream();
        try {
            int port = awaitPort(server, out, err);
            var options = new Soak.Options(new InetSocketAddress("127.0.0.1", port), server.pid(), files,
                    Path.of(System.getProperty("java.home"), "bin", "jcmd"), Duration.ofSeconds(15),
                    Duration.ofSeconds(60), Duration.ofSeconds(20), HEADER_TIMEOUT, IDLE_TIMEOUT, WRITE_TIMEOUT,
                    Duration.ofSeconds(10), 6, 3, 4, 2, 2, 2, 2, bodyRate);
            PrintStream both = new PrintStream(new Tee(report), true, StandardCharsets.UTF_8);
            SoakVerdict verdict = Soak.run(options, both);
            assertThat(server.isAlive()).as("server alive after the soak%n%s", transcript(out, err)).isTrue();
            assertThat(verdict.problems())
                    .as("soak verdict%n%s%n%s", report.toString(StandardCharsets.UTF_8), transcript(out, err))
                    .isEmpty();
        } finally {
            server.destroy();
            if (!server.waitFor(30, TimeUnit.SECONDS)) {
                server.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
            }
        }
    }

    /** {@code sluice serve --help}: tells whether this build has a minimum body rate. */
    private static String serveHelp(Path dir) throws IOException, InterruptedException {
        Path help = dir.resolve("help.out");
        Process p = new ProcessBuilder(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-jar", JAR.toString(), "serve", "--help").redirectErrorStream(true).redirectOutput(help.toFile())
                .start();
        assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("serve --help exits").isTrue();
        return Files.readString(help);
    }

    private static int awaitPort(Process server, Path out, Path err) throws IOException, InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(out)) {
                Matcher m = LISTENING.matcher(line);
                if (m.matches()) {
                    return Integer.parseInt(m.group(1));
                }
            }
            if (!server.isAlive()) {
                break;
            }
            Thread.sleep(50);
        }
        throw new AssertionError("the server printed no listening line\n" + transcript(out, err));
    }

    private static String transcript(Path out, Path err) {
        try {
            List<String> errLines = Files.readAllLines(err);
            return "--- server stdout ---\n" + Files.readString(out) + "--- server stderr (last 40 lines) ---\n"
                    + String.join("\n", errLines.subList(Math.max(0, errLines.size() - 40), errLines.size()));
        } catch (IOException e) {
            return "(server output unreadable: " + e + ")";
        }
    }

    /** Writes to a buffer and to stdout, so the Failsafe report shows the trend as it comes. */
    private static final class Tee extends java.io.OutputStream {
        private final ByteArrayOutputStream buffer;

        Tee(ByteArrayOutputStream buffer) {
            this.buffer = buffer;
        }

        @Override
        public synchronized void write(int b) {
            buffer.write(b);
            System.out.write(b);
        }

        @Override
        public synchronized void write(byte[] b, int off, int len) {
            buffer.write(b, off, len);
            System.out.write(b, off, len);
        }
    }
}
