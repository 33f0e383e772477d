package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
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
import org.junit.jupiter.api.Disabled;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * The rolling-restart proof (docs/operations.md, "Behind HAProxy"): HAProxy, configured from the
 * shipped deploy/haproxy/haproxy.cfg, in front of two {@code sluice serve} instances started with
 * the command that file documents. wrk loads HAProxy for the whole run, keep-alive and a connection
 * per request, and a sequential client times each request (the longest pause a client saw), while
 * each instance is stopped with SIGTERM and started again on the same ports, in turn, twice.
 *
 * <p>Pass: every request answered 200, no socket error, and every access log line names the client
 * (127.0.0.1), not HAProxy, which connects to the servers from 127.0.0.2, the only trusted proxy.
 * The figures go to stdout and to {@code target/rolling-restart.txt}.
 */
@Timeout(300)
@Disabled("fails today on two defects it found (docs/operations.md, Behind HAProxy): keep-alive requests lost when"
        + " the drain delay ends, and 1 s stalls of new connections on event-loop with 2 selector threads; run it"
        + " with -Dit.test=RollingRestartIT once they are fixed (issue 16)")
class RollingRestartIT {
    private static final String CLIENT = "127.0.0.1";
    /** HAProxy's source address towards the servers: a peer other than the client. */
    private static final String PROXY = "127.0.0.2";
    private static final String BODY = "hello through haproxy\n";
    private static final Duration START_WAIT = Duration.ofSeconds(30);
    /** HAProxy takes a server out within inter x fall (4 s) and in within inter x rise (4 s); slack for 2 cores. */
    private static final Duration CHECK_WAIT = Duration.ofSeconds(20);
    /** The shipped --drain-delay (10 s) and a drain of requests in flight. */
    private static final Duration EXIT_WAIT = Duration.ofSeconds(60);
    /** Load before the first restart and after the last. */
    private static final Duration STEADY = Duration.ofSeconds(3);
    /** HAProxy needs about two descriptors per connection, and this machine allows a process 20,000. */
    private static final int MAXCONN = 4000;
    /** A probe exchange slower than this is listed with the time it began. */
    private static final Duration SLOW = Duration.ofMillis(500);
    private static final Pattern RESULT = Pattern.compile("RESULT requests=(\\d+) connect=(\\d+) read=(\\d+) "
            + "write=(\\d+) status=(\\d+) timeout=(\\d+) max_latency_us=(\\d+)");
    private static final Pattern ACCESS_LINE = Pattern.compile("(\\S+) \\S+ \\S+ \\[[^]]*] \"[^\"]*\" (\\d{3}) .*");

    @TempDir
    Path dir;
    private final Set<Integer> ports = new HashSet<>();
    private final List<String> events = new ArrayList<>();
    private Path haproxyLog;
    private long loadStart;
    private final List<Instance> instances = new ArrayList<>();

    /** One Sluice server behind HAProxy: its name there, its ports (the same across restarts), each start. */
    private final class Instance {
        final String name;
        final int port = freePort();
        final int admin = freePort();
        final List<SluiceProcess> starts = new ArrayList<>();
        final List<Path> accessLogs = new ArrayList<>();

        Instance(String name) {
            this.name = name;
        }

        SluiceProcess current() {
            return starts.getLast();
        }

        void start() {
            Path log = dir.resolve(name + "-" + starts.size() + ".log");
            accessLogs.add(log);
            SluiceProcess p = SluiceProcess.jar(serveArgs(this, log));
            starts.add(p);
            p.awaitStdout(AdminIT.LISTENING, START_WAIT);
            p.awaitStdout(AdminIT.ADMIN, START_WAIT);
        }
    }

    @Test
    void restartingEachServerInTurnTwiceFailsNoRequestAndTheLogsNameTheClient() throws Exception {
        Path site = Files.createDirectories(dir.resolve("site"));
        Files.writeString(site.resolve("hello.txt"), BODY);
        Path script = dir.resolve("wrk-result.lua");
        try (var in = RollingRestartIT.class.getResourceAsStream("/wrk-result.lua")) {
            Files.copy(in, script);
        }
        List<Instance> servers = instances;
        servers.addAll(List.of(new Instance("s1"), new Instance("s2")));
        int front = freePort();
        int stats = freePort();
        Path cfg = Files.writeString(dir.resolve("haproxy.cfg"), haproxyConfig(front, stats, servers));
        haproxyLog = dir.resolve("haproxy.out");
        Process haproxy = null;
        List<Load> load = new ArrayList<>();
        SequentialProbe probe = new SequentialProbe(front, "/hello.txt", BODY, SLOW);
        Thread prober = null;
        try {
            for (Instance s : servers) {
                s.start();
            }
            haproxy = new ProcessBuilder("haproxy", "-db", "-f", cfg.toString()).redirectErrorStream(true)
                    .redirectOutput(haproxyLog.toFile()).start();
            for (Instance s : servers) {
                awaitStatus(stats, s, "UP", START_WAIT);
            }
            assertThat(RawHttp.get(front, "/hello.txt").body()).as(this::diagnostics).isEqualTo(BODY);

            String url = "http://" + CLIENT + ":" + front + "/hello.txt";
            load.add(wrk(script, url, false));
            load.add(wrk(script, url, true));
            loadStart = System.nanoTime();
            prober = Thread.ofPlatform().daemon().name("rolling-restart-probe").start(probe);
            Thread.sleep(STEADY.toMillis()); // load in steady state before the first restart
            for (int round = 1; round <= 2; round++) {
                for (Instance s : servers) {
                    restart(s, stats, round);
                }
            }
            Thread.sleep(STEADY.toMillis()); // and after the last

            probe.stop = true;
            List<Result> results = new ArrayList<>();
            for (Load wrk : load) {
                results.add(stop(wrk));
            }
            prober.join(Duration.ofSeconds(20));
            assertThat(prober.isAlive()).as("the probe ended").isFalse();
            for (Instance s : servers) {
                s.current().sigterm(); // both at once: each serves its drain delay
            }
            for (Instance s : servers) {
                assertThat(s.current().awaitExit(EXIT_WAIT)).as(s.current()::transcript).isZero();
            }
            events.add("HAProxy's backend: connection errors " + stat(stats, "BACKEND", "econ") + ", retries "
                    + stat(stats, "BACKEND", "wretr") + ", redispatches " + stat(stats, "BACKEND", "wredis"));
            report(results.get(0), results.get(1), probe);
            for (Instance s : servers) {
                assertAccessLogsNameTheClient(s);
            }
            for (Result r : results) {
                assertThat(r.failed()).as("%s: got %d failed of %d (connect, read, write, status, timeout: %s); "
                        + "want 0%n%s", r.mode, r.failed(), r.requests, r.errors, diagnostics()).isZero();
                assertThat(r.requests).as(r.mode).isPositive();
            }
            assertThat(probe.failures).as("probe: got %d failed of %d; want 0%n%s", probe.failed,
                    probe.ok + probe.failed, diagnostics()).isEmpty();
        } finally {
            probe.stop = true;
            load.forEach(l -> l.process.destroyForcibly());
            if (haproxy != null) {
                haproxy.destroy();
                if (!haproxy.waitFor(10, TimeUnit.SECONDS)) {
                    haproxy.destroyForcibly();
                }
            }
            servers.forEach(s -> s.starts.forEach(SluiceProcess::close));
        }
    }

    /** SIGTERM, out of HAProxy, exit 0, started again on the same ports, back in HAProxy. */
    private void restart(Instance s, int stats, int round) {
        long start = System.nanoTime();
        s.current().sigterm();
        awaitStatus(stats, s, "DOWN", CHECK_WAIT);
        double down = seconds(start);
        assertThat(s.current().awaitExit(EXIT_WAIT)).as(s.current()::transcript).isZero();
        double exited = seconds(start);
        long restarted = System.nanoTime();
        s.start();
        awaitStatus(stats, s, "UP", CHECK_WAIT);
        events.add(String.format("at %.1f s, %s restart %d: marked down %.1f s after SIGTERM, exited at %.1f s; "
                + "started again and marked up in %.1f s", (start - loadStart) / 1e9, s.name, round, down, exited,
                seconds(restarted)));
    }

    /** Every line of every start's access log names 127.0.0.1 and status 200; none is empty. */
    private void assertAccessLogsNameTheClient(Instance s) throws IOException {
        for (int i = 0; i < s.accessLogs.size(); i++) {
            List<String> lines = Files.readAllLines(s.accessLogs.get(i));
            String where = s.name + " start " + i + " (" + s.accessLogs.get(i).getFileName() + ")";
            assertThat(lines).as("%s: got no line; want the requests it served", where).isNotEmpty();
            List<String> wrong = lines.stream().filter(l -> {
                Matcher m = ACCESS_LINE.matcher(l);
                return !m.matches() || !m.group(1).equals(CLIENT) || !m.group(2).equals("200");
            }).limit(5).toList();
            assertThat(wrong).as("%s: got %s; want %s as the client and 200 on every line", where, wrong, CLIENT)
                    .isEmpty();
            assertThat(s.starts.get(i).stderr()).as(s.starts.get(i)::transcript)
                    .noneMatch(l -> l.contains(" proxy_refused ")); // the event, not closed_proxy_refused=0
        }
    }

    /** The shipped HAProxy file with this machine's addresses, HAProxy's source 127.0.0.2, and a stats page. */
    private String haproxyConfig(int front, int stats, List<Instance> servers) throws IOException {
        String cfg = Files.readString(DeployManifestsTest.HAPROXY);
        cfg = replaceOne(cfg, "(?m)^(\\s+maxconn )\\d+$", "$1" + MAXCONN);
        cfg = replaceOne(cfg, "(?m)^(\\s+bind ):80$", "$1" + CLIENT + ":" + front);
        for (Instance s : servers) {
            cfg = replaceOne(cfg, "(?m)^(\\s+server " + s.name + " )\\S+( .* port )\\d+(.*)$",
                    "$1" + CLIENT + ":" + s.port + "$2" + s.admin + "$3 source " + PROXY);
        }
        return cfg + "\nlisten stats\n    bind " + CLIENT + ":" + stats + "\n    mode http\n    stats enable\n"
                + "    stats uri /stats\n";
    }

    private static String replaceOne(String text, String regex, String replacement) {
        Matcher m = Pattern.compile(regex).matcher(text);
        assertThat(m.results().count()).as("lines of haproxy.cfg matching %s", regex).isOne();
        return m.reset().replaceFirst(replacement);
    }

    /** {@code serve}, then the shipped command's arguments with this machine's ports, hosts and folder. */
    private String[] serveArgs(Instance s, Path accessLog) {
        List<String> shipped = DeployManifestsTest.documentedCommand(read(DeployManifestsTest.HAPROXY));
        assertThat(shipped).as("the sluice command in haproxy.cfg's comments").isNotNull();
        List<String> args = new ArrayList<>(shipped);
        set(args, "--port", String.valueOf(s.port));
        set(args, "--trusted-proxies", PROXY + "/32");
        set(args, "--admin-port", String.valueOf(s.admin));
        set(args, "--admin-host", CLIENT); // loopback only
        assertThat(args.getLast()).as("the folder, last").startsWith("/");
        args.set(args.size() - 1, dir.resolve("site").toString());
        args.addAll(0, List.of("serve", "--host", CLIENT, "--access-log", accessLog.toString()));
        return args.toArray(String[]::new);
    }

    private static void set(List<String> args, String flag, String value) {
        int i = args.indexOf(flag);
        assertThat(i).as("%s in the shipped command %s", flag, args).isNotNegative();
        args.set(i + 1, value);
    }

    /** Polls HAProxy's stats every 100 ms until {@code s} has {@code status} (UP, DOWN), at most {@code wait}. */
    private void awaitStatus(int stats, Instance s, String status, Duration wait) {
        long end = System.nanoTime() + wait.toNanos();
        String seen = null;
        while (System.nanoTime() - end < 0) {
            try {
                seen = status(stats, s.name);
            } catch (UncheckedIOException e) { // HAProxy not listening yet
                seen = e.getCause().toString();
            }
            if (status.equals(seen)) {
                return;
            }
            sleep(100);
        }
        throw new AssertionError(String.format("HAProxy's status of %s: got %s; want %s within %s%n%s",
                s.name, seen, status, wait, diagnostics()));
    }

    /** The {@code status} column of backend {@code sluice}, server {@code name}, in HAProxy's CSV stats. */
    private static String status(int stats, String name) {
        return stat(stats, name, "status");
    }

    /** Column {@code field} of backend {@code sluice}, row {@code name} (a server, BACKEND), in HAProxy's stats. */
    private static String stat(int stats, String name, String field) {
        RawHttp.Reply reply = RawHttp.get(stats, "/stats;csv");
        String body = "chunked".equals(reply.header("Transfer-Encoding")) ? unchunk(reply.body()) : reply.body();
        List<String> csv = body.lines().toList();
        int column = List.of(csv.getFirst().substring(2).split(",")).indexOf(field);
        assertThat(column).as("HAProxy's stats: got %s; want a %s column", csv.getFirst(), field).isNotNegative();
        return csv.stream().filter(l -> l.startsWith("sluice," + name + ",")).findFirst()
                .map(l -> l.split(",", -1)[column]).orElse(null);
    }

    /** The data of a chunked body (RFC 9112 7.1), ASCII. */
    private static String unchunk(String chunked) {
        StringBuilder data = new StringBuilder();
        int at = 0;
        while (true) {
            int eol = chunked.indexOf("\r\n", at);
            int size = Integer.parseInt(chunked.substring(at, eol).replaceFirst(";.*", "").strip(), 16);
            if (size == 0) {
                return data.toString();
            }
            data.append(chunked, eol + 2, eol + 2 + size);
            at = eol + 2 + size + 2;
        }
    }

    /** A wrk run: its mode, its process, the file its output goes to. */
    private record Load(String mode, Process process, Path out) {
    }

    private Load wrk(Path script, String url, boolean close) throws IOException {
        String mode = close ? "connection-per-request" : "keep-alive";
        Path out = dir.resolve("wrk-" + mode + ".out");
        // Ended by SIGINT when the restarts are done; the duration only bounds it.
        ProcessBuilder pb = new ProcessBuilder("wrk", "-t1", "-c8", "-d240s", "--timeout", "10s", "-s",
                script.toString(), url).redirectErrorStream(true).redirectOutput(out.toFile());
        pb.environment().put("WRK_CLOSE", close ? "1" : "0");
        return new Load(mode, pb.start(), out);
    }

    /** wrk's totals: requests, errors by kind (connect, read, write, status, timeout), the longest request. */
    private record Result(String mode, long requests, List<Long> errors, long maxLatencyMicros) {
        long failed() {
            return errors.stream().mapToLong(Long::longValue).sum();
        }
    }

    /** SIGINT, on which wrk stops and prints its totals, within 30 s. */
    private static Result stop(Load load) throws Exception {
        Tools.Result kill = Tools.run("kill", "-INT", Long.toString(load.process.pid()));
        assertThat(kill.exit()).as(kill.out()).isZero();
        assertThat(load.process.waitFor(30, TimeUnit.SECONDS)).as("wrk %s ended after SIGINT", load.mode).isTrue();
        String out = read(load.out);
        Matcher m = RESULT.matcher(out);
        assertThat(m.find()).as("wrk %s's totals: got%n%s", load.mode, out).isTrue();
        List<Long> errors = new ArrayList<>();
        for (int g = 2; g <= 6; g++) {
            errors.add(Long.parseLong(m.group(g)));
        }
        return new Result(load.mode, Long.parseLong(m.group(1)), errors, Long.parseLong(m.group(7)));
    }

    /** Prints the figures and writes them to target/rolling-restart.txt, for docs/operations.md. */
    private void report(Result keepAlive, Result perRequest, SequentialProbe probe) throws IOException {
        List<String> lines = new ArrayList<>(events);
        for (Result r : List.of(keepAlive, perRequest)) {
            lines.add(String.format("wrk %s: %d requests, %d failed, longest %.3f s", r.mode, r.requests,
                    r.failed(), r.maxLatencyMicros / 1e6));
        }
        lines.add(String.format("probe (sequential, connection per request): %d requests, %d failed, longest %.3f s",
                probe.ok + probe.failed, probe.failed, probe.maxNanos / 1e9));
        lines.add("probe exchanges over " + SLOW.toMillis() + " ms: " + probe.slow.size() + ", the first: "
                + probe.slow.subList(0, Math.min(10, probe.slow.size())));
        lines.add(String.format("total: %d requests, %d failed", keepAlive.requests + perRequest.requests + probe.ok
                + probe.failed, keepAlive.failed() + perRequest.failed() + probe.failed));
        lines.forEach(l -> System.out.println("rolling-restart: " + l));
        Files.write(SluiceProcess.MODULE_DIR.resolve("target/rolling-restart.txt"), lines);
    }

    /** Every Sluice start's output, and the end of HAProxy's. */
    private String diagnostics() {
        StringBuilder sb = new StringBuilder(String.join("\n", events)).append('\n');
        instances.forEach(s -> s.starts.forEach(p -> sb.append(p.transcript()).append('\n')));
        if (haproxyLog != null && Files.exists(haproxyLog)) {
            List<String> out = read(haproxyLog).lines().toList();
            sb.append("--- haproxy (last 40 lines) ---\n");
            out.subList(Math.max(0, out.size() - 40), out.size()).forEach(l -> sb.append(l).append('\n'));
        }
        return sb.toString();
    }

    /**
     * A port that 127.0.0.1 can bind now, below Linux's ephemeral range (32768-60999), so that no outgoing
     * connection takes it as its source port while an instance restarts; distinct from the others chosen.
     */
    private int freePort() {
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

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
    }

    private static String read(Path file) {
        try {
            return Files.readString(file);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted", e);
        }
    }
}
