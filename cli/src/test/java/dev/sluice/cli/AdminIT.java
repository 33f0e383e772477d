package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.sluice.core.Engine;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** {@code sluice respond --admin-port}: the admin server end to end, beside the public port. */
@Timeout(120)
class AdminIT {
    static final Pattern LISTENING = Pattern.compile("listening on http://127\\.0\\.0\\.1:(\\d+)");
    static final Pattern ADMIN = Pattern.compile("admin on http://127\\.0\\.0\\.1:(\\d+)");
    static final Duration START_WAIT = Duration.ofSeconds(30);

    /** A running {@code respond} with an admin port, and both ports. */
    record Running(SluiceProcess process, int port, int admin) implements AutoCloseable {
        static Running start(String... extra) {
            String[] args = new String[extra.length + 7];
            System.arraycopy(new String[] {"respond", "--host", "127.0.0.1", "--port", "0",
                    "--admin-port", "0"}, 0, args, 0, 7);
            System.arraycopy(extra, 0, args, 7, extra.length);
            SluiceProcess p = SluiceProcess.jar(args);
            int admin = Integer.parseInt(p.awaitStdout(ADMIN, START_WAIT).group(1));
            int port = Integer.parseInt(p.awaitStdout(LISTENING, START_WAIT).group(1));
            return new Running(p, port, admin);
        }

        @Override
        public void close() {
            process.close();
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void metricsCountWhatThePublicPortServed(Engine engine) {
        try (Running r = Running.start("--engine", engine.cliName())) {
            for (int i = 0; i < 5; i++) {
                assertThat(RawHttp.get(r.port(), "/hello/" + i).status()).isEqualTo(200);
            }
            assertThat(RawHttp.send(r.port(), "BAD\r\n\r\n").status()).as("malformed").isEqualTo(400);

            RawHttp.Reply metrics = RawHttp.get(r.admin(), "/metrics");
            assertThat(metrics.status()).as(r.process()::transcript).isEqualTo(200);
            assertThat(metrics.header("Content-Type")).isEqualTo("text/plain; version=0.0.4; charset=utf-8");
            String text = metrics.body();
            assertThat(value(text, "sluice_requests_total{class=\"2xx\"}")).as(text).isEqualTo(5);
            assertThat(value(text, "sluice_requests_total{class=\"4xx\"}")).as(text).isEqualTo(1);
            assertThat(value(text, "sluice_requests_total{class=\"5xx\"}")).as(text).isZero();
            assertThat(value(text, "sluice_request_duration_seconds_count")).as(text).isEqualTo(6);
            assertThat(value(text, "sluice_request_duration_seconds_bucket{le=\"+Inf\"}")).isEqualTo(6);
            assertThat(value(text, "sluice_connections_accepted_total")).as(text).isEqualTo(6);
            assertThat(value(text, "sluice_received_bytes_total")).as(text).isPositive();
            assertThat(value(text, "sluice_sent_bytes_total")).as(text).isPositive();
            assertThat(text).contains("sluice_connections_open ", "sluice_connections_idle ",
                    "sluice_threads_busy ", "sluice_queue_depth ",
                    "sluice_connections_closed_total{reason=\"normal\"} ");
        }
    }

    @Test
    void answersHealthReadinessAndTheStatusPage() {
        try (Running r = Running.start()) {
            for (int i = 0; i < 3; i++) {
                RawHttp.get(r.port(), "/");
            }
            RawHttp.Reply health = RawHttp.get(r.admin(), "/health");
            assertThat(health.status()).isEqualTo(200);
            assertThat(health.body()).isEqualTo("ok\n");
            assertThat(RawHttp.get(r.admin(), "/ready").status()).isEqualTo(200);

            RawHttp.Reply page = RawHttp.get(r.admin(), "/status");
            assertThat(page.status()).isEqualTo(200);
            assertThat(page.header("Content-Type")).isEqualTo("text/html; charset=utf-8");
            assertThat(page.body()).as(page.body())
                    .contains("<meta http-equiv=\"refresh\" content=\"2\">")
                    .contains("engine <b>virtual</b>", "http://127.0.0.1:" + r.port())
                    .contains("<th>2xx</th><td>3</td>", "<th>accepted</th><td>3</td>")
                    .contains("requests/s", "p50", "p90", "p99", "busy threads", "Closes by reason");
            RawHttp.Reply json = RawHttp.get(r.admin(), "/status.json");
            assertThat(json.header("Content-Type")).isEqualTo("application/json");
            assertThat(json.body()).contains("\"ready\":true", "\"2xx\":3", "\"engine\":\"virtual\"");
            assertThat(RawHttp.get(r.admin(), "/nope").status()).isEqualTo(404);
        }
    }

    @Test
    void nothingOfTheAdminPortIsOnThePublicOne() {
        try (Running r = Running.start()) {
            for (String path : new String[] {"/metrics", "/health", "/ready", "/status"}) {
                RawHttp.Reply reply = RawHttp.get(r.port(), path);
                assertThat(reply.body()).as("public %s", path).isEqualTo("Hello, World!");
            }
        }
    }

    @Test
    void readyTurns503WhileTheMainServerDrains() throws Exception {
        try (Running r = Running.start("--shutdown-timeout", "1m", "--header-timeout", "1m");
             Socket inFlight = RawHttp.open(r.port())) {
            OutputStream out = inFlight.getOutputStream();
            out.write("GET /slow HTTP/1.1\r\nHost: a\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            assertThat(RawHttp.get(r.admin(), "/ready").status()).isEqualTo(200);

            r.process().sigterm();
            r.process().awaitStderr(Pattern.compile(".*shutdown_started.*"), START_WAIT);
            RawHttp.Reply ready = awaitStatus(r.admin(), "/ready", 503);
            assertThat(ready.body()).isEqualTo("draining\n");
            assertThat(RawHttp.get(r.admin(), "/health").status()).as("alive while draining").isEqualTo(200);

            out.write("\r\n".getBytes(StandardCharsets.US_ASCII)); // the exchange in flight completes
            RawHttp.Reply last = RawHttp.read(inFlight.getInputStream());
            assertThat(last.status()).isEqualTo(200);
            assertThat(last.header("Connection")).isEqualTo("close");
            assertThat(r.process().awaitExit()).as(r.process()::transcript).isZero();
        }
    }

    /**
     * --drain-delay: /ready says 503 at once, and the main port goes on serving newcomers, each
     * answer with {@code Connection: close}.
     */
    @Test
    void readyTurns503AtOnceWhileTheDrainDelayStillServes() throws Exception {
        // Ten minutes: the checks never race the delay's end; the second signal ends it.
        try (Running r = Running.start("--drain-delay", "10m")) {
            r.process().sigterm();
            r.process().awaitStderr(Pattern.compile(".*shutdown_started signal=SIGTERM timeout=30s drain_delay=10m"),
                    START_WAIT);
            assertThat(awaitStatus(r.admin(), "/ready", 503).body()).isEqualTo("draining\n");
            RawHttp.Reply served = RawHttp.get(r.port(), "/");
            assertThat(served.status()).as("a new connection during the delay").isEqualTo(200);
            assertThat(served.body()).isEqualTo("Hello, World!");
            assertThat(served.header("Connection")).as("keep-alive clients move on during the delay")
                    .isEqualTo("close");
            r.process().sigterm(); // the second signal: stop now
            assertThat(r.process().awaitExit()).as(r.process()::transcript).isZero();
            assertThat(r.process().stderr()).as(r.process()::transcript)
                    .anyMatch(l -> l.contains("shutdown_forced signal=SIGTERM"));
        }
    }

    @Test
    void isOffUnlessAsked() {
        try (SluiceProcess p = SluiceProcess.jar("respond", "--host", "127.0.0.1", "--port", "0")) {
            p.awaitStdout(LISTENING, START_WAIT);
            assertThat(p.stdout()).as(p::transcript).noneMatch(l -> l.startsWith("admin on"));
        }
    }

    @Test
    void anAdminPortInUseIsAUsageError() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"));
             SluiceProcess p = SluiceProcess.jar("respond", "--host", "127.0.0.1", "--port", "0",
                     "--admin-port", Integer.toString(taken.getLocalPort()))) {
            assertThat(p.awaitExit()).as(p::transcript).isEqualTo(2);
            assertThat(p.stderr()).as(p::transcript).hasSize(1);
            assertThat(p.stderr().get(0)).as(p::transcript).isEqualTo("sluice: port " + taken.getLocalPort()
                    + " is in use on 127.0.0.1 (another process?); choose another with --admin-port");
        }
    }

    /** The value of the sample named exactly {@code series} in a Prometheus text exposition. */
    static long value(String exposition, String series) {
        for (String line : exposition.split("\n")) {
            if (line.startsWith(series + " ")) {
                return (long) Double.parseDouble(line.substring(series.length() + 1).strip());
            }
        }
        return fail("no sample %s in%n%s", series, exposition);
    }

    /** Polls {@code path} until it answers {@code status}; fails after {@link #START_WAIT}. */
    static RawHttp.Reply awaitStatus(int port, String path, int status) throws InterruptedException {
        long deadline = System.nanoTime() + START_WAIT.toNanos();
        RawHttp.Reply last;
        do {
            last = RawHttp.get(port, path);
            if (last.status() == status) {
                return last;
            }
            Thread.sleep(20);
        } while (System.nanoTime() - deadline < 0);
        return fail("%s never answered %d; last: %s", path, status, last);
    }
}
