package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The load of a restart proof ({@link RollingRestartIT}, {@link ReusePortRollingIT}): two wrk runs,
 * 8 keep-alive connections and 8 connections of one request each, and a {@link SequentialProbe},
 * for the whole run; their totals when it ends; ports that stay free while servers restart.
 */
final class RestartLoad {
    static final String CLIENT = "127.0.0.1";
    private static final Pattern RESULT = Pattern.compile("RESULT requests=(\\d+) connect=(\\d+) read=(\\d+) "
            + "write=(\\d+) status=(\\d+) timeout=(\\d+) max_latency_us=(\\d+)");
    /** A probe exchange slower than this is listed with the time it began. */
    private static final Duration SLOW = Duration.ofMillis(500);

    private final Path dir;
    private final List<Wrk> runs = new ArrayList<>();
    private final Set<Integer> ports = new HashSet<>();
    private SequentialProbe probe;
    private Thread prober;

    /** Its files (the wrk script, wrk's output) go to {@code dir}. */
    RestartLoad(Path dir) {
        this.dir = dir;
    }

    /** One wrk process: its mode, the process, the file its output goes to. */
    private record Wrk(String mode, Process process, Path out) {
    }

    /** wrk's totals: requests, errors by kind (connect, read, write, status, timeout), the longest request. */
    record Result(String mode, long requests, List<Long> errors, long maxLatencyMicros) {
        long failed() {
            return errors.stream().mapToLong(Long::longValue).sum();
        }
    }

    /** Starts both wrk runs and the probe: {@code GET path} on 127.0.0.1:{@code port}, answered 200 {@code body}. */
    void start(int port, String path, String body) throws IOException {
        String url = "http://" + CLIENT + ":" + port + path;
        Path script = dir.resolve("wrk-result.lua");
        try (InputStream in = RestartLoad.class.getResourceAsStream("/wrk-result.lua")) {
            Files.copy(in, script);
        }
        for (boolean close : new boolean[] {false, true}) {
            String mode = close ? "connection-per-request" : "keep-alive";
            Path out = dir.resolve("wrk-" + mode + ".out");
            // Ended by SIGINT when the restarts are done; the duration only bounds it.
            ProcessBuilder pb = new ProcessBuilder("wrk", "-t1", "-c8", "-d240s", "--timeout", "10s", "-s",
                    script.toString(), url).redirectErrorStream(true).redirectOutput(out.toFile());
            pb.environment().put("WRK_CLOSE", close ? "1" : "0");
            runs.add(new Wrk(mode, pb.start(), out));
        }
        probe = new SequentialProbe(port, path, body, SLOW);
        prober = Thread.ofPlatform().daemon().name("restart-probe").start(probe);
    }

    /** Stops the load (wrk on SIGINT, which prints its totals) and returns wrk's totals, keep-alive first. */
    List<Result> stop() throws Exception {
        probe.stop = true;
        List<Result> results = new ArrayList<>();
        for (Wrk wrk : runs) {
            Tools.Result kill = Tools.run("kill", "-INT", Long.toString(wrk.process.pid()));
            assertThat(kill.exit()).as(kill.out()).isZero();
            assertThat(wrk.process.waitFor(30, TimeUnit.SECONDS)).as("wrk %s ended after SIGINT", wrk.mode).isTrue();
            String out = read(wrk.out);
            Matcher m = RESULT.matcher(out);
            assertThat(m.find()).as("wrk %s's totals: got%n%s", wrk.mode, out).isTrue();
            List<Long> errors = new ArrayList<>();
            for (int g = 2; g <= 6; g++) {
                errors.add(Long.parseLong(m.group(g)));
            }
            results.add(new Result(wrk.mode, Long.parseLong(m.group(1)), errors, Long.parseLong(m.group(7))));
        }
        prober.join(Duration.ofSeconds(20));
        assertThat(prober.isAlive()).as("the probe ended").isFalse();
        return results;
    }

    /** Ends whatever still runs, on a failure. */
    void kill() {
        if (probe != null) {
            probe.stop = true;
        }
        runs.forEach(w -> w.process.destroyForcibly());
    }

    /** The figures, one line each, after {@code events}; written to {@code target/NAME.txt} and printed. */
    List<String> report(String name, List<String> events, List<Result> results) throws IOException {
        List<String> lines = new ArrayList<>(events);
        long requests = probe.ok + probe.failed;
        long failed = probe.failed;
        for (Result r : results) {
            lines.add(String.format("wrk %s: %d requests, %d failed, longest %.3f s", r.mode, r.requests,
                    r.failed(), r.maxLatencyMicros / 1e6));
            requests += r.requests;
            failed += r.failed();
        }
        lines.add(String.format("probe (sequential, connection per request): %d requests, %d failed, longest %.3f s",
                probe.ok + probe.failed, probe.failed, probe.maxNanos / 1e9));
        lines.add("probe exchanges over " + SLOW.toMillis() + " ms: " + probe.slow.size() + ", the first: "
                + probe.slow.subList(0, Math.min(10, probe.slow.size())));
        lines.add(String.format("total: %d requests, %d failed", requests, failed));
        lines.forEach(l -> System.out.println(name + ": " + l));
        Files.write(SluiceProcess.MODULE_DIR.resolve("target/" + name + ".txt"), lines);
        return lines;
    }

    /** Passes on no failed request, from wrk or the probe; {@code diagnostics} says what happened around. */
    void assertNothingFailed(List<Result> results, String diagnostics) {
        for (Result r : results) {
            assertThat(r.failed()).as("%s: got %d failed of %d (connect, read, write, status, timeout: %s); "
                    + "want 0%n%s", r.mode, r.failed(), r.requests, r.errors, diagnostics).isZero();
            assertThat(r.requests).as(r.mode).isPositive();
        }
        assertThat(probe.failures).as("probe: got %d failed of %d; want 0%n%s", probe.failed,
                probe.ok + probe.failed, diagnostics).isEmpty();
    }

    /**
     * A port that 127.0.0.1 can bind now, below Linux's ephemeral range (32768-60999), so that no outgoing
     * connection takes it as its source port while a server restarts; distinct from the others chosen.
     */
    int freePort() {
        for (int tries = 0; tries < 100; tries++) {
            int port = ThreadLocalRandom.current().nextInt(20_000, 32_000);
            if (!ports.contains(port)) {
                try (ServerSocket s = new ServerSocket()) {
                    s.bind(new InetSocketAddress(CLIENT, port));
                    ports.add(port);
                    return port;
                } catch (IOException e) {
                    // taken: try another
                }
            }
        }
        throw new AssertionError("no free port in 20000-31999 after 100 tries");
    }

    static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
