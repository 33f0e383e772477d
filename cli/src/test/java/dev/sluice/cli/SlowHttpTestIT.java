package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import dev.sluice.core.Engine;
import dev.sluice.core.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.IntStream;
import java.util.stream.Stream;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * slowhttptest (the Debian package, 1.8.2) in its four modes against {@code sluice serve}: the
 * packaged jar that {@code bin/sluice} runs, started with the default flags except
 * {@code --host 127.0.0.1 --port 0} and {@code --engine}, serving a folder that holds an 8 MiB
 * {@code big.bin}. slowhttptest keeps its defaults (50 connections at up to 50 a second, follow-up
 * data every 10 s, its probe every 5 s with a 5 s timeout, {@code -p 5}) except the target
 * ({@code -u}), the length ({@code -l}, kept short) and the statistics ({@code -g -o}).
 *
 * <p>Pass, for each run:
 * <ul>
 *   <li>service available every second: the last column of every row of slowhttptest's CSV
 *       ({@code Seconds,Closed,Pending,Connected,Service Available}) is non-zero. slowhttptest writes
 *       there the connection count while its last probe was answered within {@code -p}, 0 once one
 *       was not;</li>
 *   <li>every attack connection closed by the server within a bound: the attack's timeout in the
 *       server's defaults ({@link ServerConfig}) plus {@value #SLACK_SECONDS} s, for the attack's
 *       connections opening over about a second, the server's timer ticks and the one-second rows:
 *       <ul>
 *         <li>{@code -H} slow headers: {@code --header-timeout}, {@value
 *             ServerConfig#DEFAULT_HEADER_TIMEOUT_SECONDS} s from a head's first byte; bound
 *             {@value ServerConfig#DEFAULT_HEADER_TIMEOUT_SECONDS} + {@value #SLACK_SECONDS} s;</li>
 *         <li>{@code -B} slow body: {@code --min-body-rate 240/s,5s}; the client sends some 70 bytes
 *             every 10 s, far below 240 a second at the end of the {@value
 *             ServerConfig#DEFAULT_MIN_RATE_GRACE_SECONDS} s grace; bound {@value
 *             ServerConfig#DEFAULT_MIN_RATE_GRACE_SECONDS} + {@value #SLACK_SECONDS} s;</li>
 *         <li>{@code -R} range: a {@code HEAD} of {@code big.bin} with some 2,000 ranges and
 *             {@code Connection: close}, answered at once: no timeout involved; bound {@value
 *             #SLACK_SECONDS} s;</li>
 *         <li>{@code -X} slow read of {@code big.bin}: {@code --min-response-rate 240/s,5s}. The
 *             client's receive window, which slowhttptest shrinks to the kernel's minimum (some
 *             1,152 bytes), is less than 240 bytes a second over the {@value
 *             ServerConfig#DEFAULT_MIN_RATE_GRACE_SECONDS} s grace, and it then reads 5 bytes a
 *             second; bound {@value ServerConfig#DEFAULT_MIN_RATE_GRACE_SECONDS} + {@value
 *             #SLACK_SECONDS} s. This holds only where the server judges a reader by what it
 *             acknowledged; judged by the bytes written into the kernel's send queue, with 64 KiB
 *             credited, a slow reader lasts until {@code --write-timeout} (30 s).</li>
 *       </ul>
 *       None of these waits for {@code --idle-timeout} (1 min), longer than every run.</li>
 * </ul>
 * For {@code -H}, {@code -B} and {@code -R} the CSV shows when slowhttptest saw each connection
 * closed. For {@code -X} it cannot: a slow reader sees the server's FIN, or its reset, only after
 * it has read what its receive buffer holds, 5 bytes a second, which takes minutes. So for
 * {@code -X} the bound is checked on the server's side: every second, the connections on the
 * port that a process still holds ({@code ss -tnp}), the smaller of two looks 250 ms apart so
 * that slowhttptest's probe, open for milliseconds, is not counted.
 *
 * <p>Last, a slow read with more connections than {@code --max-connections} must leave the
 * service available too: the server has to cut slow readers to make room for the probe.
 */
@Timeout(120)
class SlowHttpTestIT {
    /** Connections opening over a second, the server's timer ticks, slowhttptest's whole seconds. */
    static final int SLACK_SECONDS = 3;
    private static final Duration START_WAIT = Duration.ofSeconds(30);
    private static final int CONNECTIONS = 50;
    private static final Pattern ANSI = Pattern.compile("\u001B\\[[0-9;]*[A-Za-z]");
    private static final String ALL_CLOSED = "No open connections left";

    @TempDir
    Path dir;

    /** slowhttptest's modes: its flag, the path attacked, the run's length, the bound. */
    enum Attack {
        SLOW_HEADERS("-H", "/", 20, ServerConfig.DEFAULT_HEADER_TIMEOUT_SECONDS),
        SLOW_BODY("-B", "/", 15, ServerConfig.DEFAULT_MIN_RATE_GRACE_SECONDS),
        RANGE("-R", "/big.bin", 10, 0),
        SLOW_READ("-X", "/big.bin", 15, ServerConfig.DEFAULT_MIN_RATE_GRACE_SECONDS);

        final String flag;
        final String path;
        final int seconds;
        final long boundSeconds;

        Attack(String flag, String path, int seconds, long timeoutSeconds) {
            this.flag = flag;
            this.path = path;
            this.seconds = seconds;
            this.boundSeconds = timeoutSeconds + SLACK_SECONDS;
        }
    }

    static Stream<Arguments> enginesAndAttacks() {
        return Stream.of(Engine.EVENT_LOOP, Engine.VIRTUAL)
                .flatMap(e -> Arrays.stream(Attack.values()).map(a -> Arguments.of(e, a)));
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("enginesAndAttacks")
    void closesEveryAttackConnectionWithinItsBoundAndStaysAvailable(Engine engine, Attack attack)
            throws Exception {
        try (SluiceProcess server = serve("--engine", engine.cliName())) {
            Run run = attack(server, attack.flag, attack.path, CONNECTIONS, attack.seconds);
            assertAvailable(run, server);
            if (attack == Attack.SLOW_READ) {
                List<String> late = run.heldAfter(attack.boundSeconds);
                assertThat(late).as(() -> "got slow readers held by the server " + late + "; want none from second "
                        + attack.boundSeconds + " on\n" + run.report(server)).isEmpty();
            } else {
                int closed = run.allClosedAt();
                assertThat(closed >= 0 && closed <= attack.boundSeconds).as(() -> "got " + (closed < 0
                        ? run.heldAtEnd() + " of " + CONNECTIONS + " open at the end (second " + run.lastSecond() + ")"
                        : "all closed by second " + closed) + "; want all " + CONNECTIONS + " closed by second "
                        + attack.boundSeconds + "\n" + run.report(server)).isTrue();
            }
        }
    }

    @ParameterizedTest
    @EnumSource(value = Engine.class, names = {"EVENT_LOOP", "VIRTUAL"})
    void staysAvailableToMoreSlowReadersThanMaxConnections(Engine engine) throws Exception {
        try (SluiceProcess server = serve("--engine", engine.cliName(), "--max-connections", "200")) {
            Run run = attack(server, "-X", "/big.bin", 300, 20);
            assertAvailable(run, server);
        }
    }

    /**
     * The run reached the server (slowhttptest ends "Cannot establish connection" or "Connection
     * refused" when none of its connections got through) and the service stayed available.
     */
    private void assertAvailable(Run run, SluiceProcess server) {
        assertThat(run.end()).as(() -> "got the end \"" + run.end() + "\"; want the time limit or all closed\n"
                + run.report(server)).containsAnyOf("Hit test time limit", ALL_CLOSED);
        assertThat(run.rows()).as(() -> "got no CSV rows; want one a second\n" + run.report(server)).isNotEmpty();
        List<Integer> down = run.unavailableSeconds();
        assertThat(down).as(() -> "got service unavailable at seconds " + down + "; want available every second\n"
                + run.report(server)).isEmpty();
    }

    private SluiceProcess serve(String... flags) throws IOException {
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("small.txt"), "small\n");
        byte[] big = new byte[8 << 20]; // incompressible, far more than a slow reader takes in a run
        new Random(1).nextBytes(big);
        Files.write(site.resolve("big.bin"), big);
        List<String> args = new ArrayList<>(List.of("serve", "--host", "127.0.0.1", "--port", "0"));
        args.addAll(List.of(flags));
        args.add(site.toString());
        return SluiceProcess.jar(args.toArray(String[]::new));
    }

    /**
     * Runs {@code slowhttptest MODE -c CONNECTIONS -l SECONDS -g -o PREFIX -u URL} to its end while
     * counting, every second, the connections the server holds on its port.
     */
    private Run attack(SluiceProcess server, String mode, String path, int connections, int seconds)
            throws Exception {
        int port = Integer.parseInt(server.awaitStdout(AdminIT.LISTENING, START_WAIT).group(1));
        Path prefix = dir.resolve(mode.substring(1) + "-" + connections);
        List<String> command = List.of("slowhttptest", mode, "-c", Integer.toString(connections),
                "-l", Integer.toString(seconds), "-g", "-o", prefix.toString(),
                "-u", "http://127.0.0.1:" + port + path);
        Path out = dir.resolve(prefix.getFileName() + ".out");
        Process p;
        try {
            p = new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(out.toFile()).start();
        } catch (IOException e) {
            return fail("cannot run slowhttptest (bin/test installs it: apt-get install slowhttptest): " + e);
        }
        List<Integer> held = new ArrayList<>();
        try {
            p.getOutputStream().close();
            long start = System.nanoTime();
            for (int s = 0; p.isAlive() && s <= seconds + 10; s++) {
                Thread.sleep(Math.max(0, (start + TimeUnit.SECONDS.toNanos(s) - System.nanoTime()) / 1_000_000));
                held.add(held(port));
            }
            if (!p.waitFor(30, TimeUnit.SECONDS)) {
                fail("slowhttptest still running 30 s after its length%n%s", Files.readString(out));
            }
        } finally {
            p.destroyForcibly();
        }
        Path csv = Path.of(prefix + ".csv");
        String csvText = Files.exists(csv) ? Files.readString(csv) : "";
        Run run = new Run(command, connections, ANSI.matcher(Files.readString(out)).replaceAll(""), csvText, held);
        System.out.println("SlowHttpTestIT " + server.stdout().getFirst() + ": " + run.summary());
        return run;
    }

    /**
     * The connections on {@code port} a process still holds (the listener aside): the fewer of two
     * looks 250 ms apart, so that slowhttptest's probe, open for milliseconds, does not count.
     */
    private static int held(int port) throws Exception {
        int first = heldNow(port);
        if (first == 0) {
            return 0;
        }
        Thread.sleep(250);
        return Math.min(first, heldNow(port));
    }

    private static int heldNow(int port) throws Exception {
        Tools.Result ss = Tools.run("ss", "-Htnp", "state", "connected", "( sport = :" + port + " )");
        if (ss.exit() != 0) {
            fail("ss -Htnp failed: %s", ss.out());
        }
        return (int) ss.out().lines().filter(l -> l.contains("users:(")).count();
    }

    /** One line of slowhttptest's CSV. {@code service}: the connection count, 0 when its probe went unanswered. */
    record Row(int second, int closed, int pending, int connected, int service) {
        static Row parse(String line) {
            int[] f = Arrays.stream(line.split(",")).map(String::strip).mapToInt(Integer::parseInt).toArray();
            return new Row(f[0], f[1], f[2], f[3], f[4]);
        }
    }

    /**
     * A finished slowhttptest run: its command and output (colours removed), its CSV, and the
     * connections the server held at each second from its start.
     */
    record Run(List<String> command, int connections, String out, String csv, List<Integer> held) {
        List<Row> rows() {
            return csv.lines().skip(1).filter(l -> !l.isBlank()).map(Row::parse).toList();
        }

        List<Integer> unavailableSeconds() {
            return rows().stream().filter(r -> r.service() == 0).map(Row::second).toList();
        }

        /** slowhttptest's last words: "ended on second N: STATUS". */
        String end() {
            Matcher m = Pattern.compile("Test ended on (\\d+)\\S* second\\s+Exit status: *(.*)").matcher(out);
            return m.find() ? "ended on second " + m.group(1) + ": " + m.group(2).strip() : "no end";
        }

        /** One line for the build's output: what ran, when it ended, what the server held. */
        String summary() {
            int closed = allClosedAt();
            return String.join(" ", command) + ": " + end()
                    + (closed >= 0 ? "; all closed by second " + closed : "; " + heldAtEnd() + " open at the end")
                    + "; unavailable at seconds " + unavailableSeconds() + "; held by the server, second by second: "
                    + held;
        }

        /**
         * The second by which slowhttptest saw every connection closed, or -1 if some were open at
         * its end. When the last closes, slowhttptest stops before it writes another row: its
         * "No open connections left" then dates them to the second of the last row.
         */
        int allClosedAt() {
            List<Row> rows = rows();
            for (Row r : rows) {
                if (r.closed() == connections) {
                    return r.second();
                }
            }
            return out.contains(ALL_CLOSED) && !rows.isEmpty() ? rows.getLast().second() : -1;
        }

        int heldAtEnd() {
            List<Row> rows = rows();
            return rows.isEmpty() ? connections : rows.getLast().connected() + rows.getLast().pending();
        }

        int lastSecond() {
            List<Row> rows = rows();
            return rows.isEmpty() ? -1 : rows.getLast().second();
        }

        /** "second N: M held" for each second from {@code bound} on at which the server held any. */
        List<String> heldAfter(long bound) {
            return IntStream.range(0, held.size()).filter(s -> s >= bound && held.get(s) > 0)
                    .mapToObj(s -> "second " + s + ": " + held.get(s)).toList();
        }

        String report(SluiceProcess server) {
            return "$ " + String.join(" ", command) + "\n" + end()
                    + "\nconnections the server held, second by second from the start: " + held
                    + "\n--- CSV ---\n" + csv + "--- server ---\n" + server.transcript()
                    + "\n--- slowhttptest's output (last 2,000 characters) ---\n"
                    + out.substring(Math.max(0, out.length() - 2_000));
        }
    }
}
