package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The same-host restart proof, with no balancer (docs/operations.md, "One host, a restart with
 * --reuse-port"): a server listens with {@code --reuse-port}; under the {@link RestartLoad} for the
 * whole run, a new server starts on the same port and, once it listens, the old one gets SIGTERM
 * and exits; four times. Pass: every request answered 200 and no socket error.
 *
 * <p>Needs {@code net.ipv4.tcp_migrate_req=1}, which moves the connections queued on the closing
 * listener to the other one; the test sets it where it may (root, as in CI) and puts the old value
 * back, and is skipped where it can do neither.
 */
@Timeout(300)
class ReusePortRollingIT {
    private static final Path MIGRATE_REQ = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");
    private static final String BODY = "hello on one host\n";
    private static final Duration START_WAIT = Duration.ofSeconds(30);
    /** The drain delay below and a drain of requests in flight. */
    private static final Duration EXIT_WAIT = Duration.ofSeconds(60);
    /** Load before the first takeover and after the last. */
    private static final Duration STEADY = Duration.ofSeconds(3);
    private static final int TAKEOVERS = 4;

    @TempDir
    Path dir;
    private final List<String> events = new ArrayList<>();
    private final List<SluiceProcess> starts = new ArrayList<>();

    @Test
    void aNewServerTakesThePortOverFourTimesUnderLoadAndNoRequestFails() throws Exception {
        String before = migrateReq();
        assumeTrue(before != null, "no " + MIGRATE_REQ + " (not Linux 5.14+)");
        assumeTrue(setMigrateReq("1"), "cannot set " + MIGRATE_REQ + " (not root)");
        try {
            takeOverUnderLoad();
        } finally {
            setMigrateReq(before);
        }
    }

    private void takeOverUnderLoad() throws Exception {
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("hello.txt"), BODY);
        RestartLoad load = new RestartLoad(dir);
        int port = load.freePort();
        try {
            SluiceProcess current = start(port, site);
            load.start(port, "/hello.txt", BODY);
            long loadStart = System.nanoTime();
            Thread.sleep(STEADY.toMillis());
            for (int i = 1; i <= TAKEOVERS; i++) {
                long begin = System.nanoTime();
                SluiceProcess next = start(port, site);
                double listening = seconds(begin);
                long term = System.nanoTime();
                current.sigterm();
                assertThat(current.awaitExit(EXIT_WAIT)).as(current::transcript).isZero();
                events.add(String.format("at %.1f s, takeover %d: the new server listened in %.1f s; "
                        + "the old one exited %.1f s after SIGTERM", (begin - loadStart) / 1e9, i, listening,
                        seconds(term)));
                assertThat(current.stderr()).as("no warning with the setting on%n%s", current.transcript())
                        .noneMatch(l -> l.contains("reuse_port_restart_unsafe"));
                current = next;
            }
            Thread.sleep(STEADY.toMillis());
            List<RestartLoad.Result> results = load.stop();
            current.sigterm();
            assertThat(current.awaitExit(EXIT_WAIT)).as(current::transcript).isZero();
            load.report("reuse-port-restart", events, results);
            load.assertNothingFailed(results, diagnostics());
        } finally {
            load.kill();
            starts.forEach(SluiceProcess::close);
        }
    }

    /** The command docs/operations.md gives, on this machine's port and folder. */
    private SluiceProcess start(int port, Path site) {
        SluiceProcess p = SluiceProcess.jar("serve", "--host", RestartLoad.CLIENT, "--port", String.valueOf(port),
                "--reuse-port", "--drain-delay", "2s", "--shutdown-timeout", "30s", site.toString());
        starts.add(p);
        p.awaitStdout(AdminIT.LISTENING, START_WAIT);
        return p;
    }

    private String diagnostics() {
        StringBuilder sb = new StringBuilder(String.join("\n", events)).append('\n');
        starts.forEach(p -> sb.append(p.transcript()).append('\n'));
        return sb.toString();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static String migrateReq() {
        try {
            return Files.readString(MIGRATE_REQ).strip();
        } catch (IOException e) {
            return null;
        }
    }

    private static boolean setMigrateReq(String value) {
        try {
            Files.writeString(MIGRATE_REQ, value + "\n");
            return value.equals(migrateReq());
        } catch (IOException | SecurityException e) {
            return false;
        }
    }
}
