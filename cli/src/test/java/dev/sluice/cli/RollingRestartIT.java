package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
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
class RollingRestartIT {
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
    private static final Pattern ACCESS_LINE = Pattern.compile("(\\S+) \\S+ \\S+ \\[[^]]*] \"[^\"]*\" (\\d{3}) .*");

    private static final String CLIENT = RestartLoad.CLIENT;

    @TempDir
    Path dir;
    private RestartLoad load;
    private final List<String> events = new ArrayList<>();
    private Path haproxyLog;
    private long loadStart;
    private final List<Instance> instances = new ArrayList<>();

    /** One Sluice server behind HAProxy: its name there, its ports (the same across restarts), each start. */
    private final class Instance {
        final String name;
        final int port = load.freePort();
        final int admin = load.freePort();
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
        load = new RestartLoad(dir);
        List<Instance> servers = instances;
        servers.addAll(List.of(new Instance("s1"), new Instance("s2")));
        int front = load.freePort();
        int stats = load.freePort();
        Path cfg = Files.writeString(dir.resolve("haproxy.cfg"), haproxyConfig(front, stats, servers));
        haproxyLog = dir.resolve("haproxy.out");
        Process haproxy = null;
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

            load.start(front, "/hello.txt", BODY);
            loadStart = System.nanoTime();
            Thread.sleep(STEADY.toMillis()); // load in steady state before the first restart
            for (int round = 1; round <= 2; round++) {
                for (Instance s : servers) {
                    restart(s, stats, round);
                }
            }
            Thread.sleep(STEADY.toMillis()); // and after the last

            List<RestartLoad.Result> results = load.stop();
            for (Instance s : servers) {
                s.current().sigterm(); // both at once: each serves its drain delay
            }
            for (Instance s : servers) {
                assertThat(s.current().awaitExit(EXIT_WAIT)).as(s.current()::transcript).isZero();
            }
            events.add("HAProxy's backend: connection errors " + stat(stats, "BACKEND", "econ") + ", retries "
                    + stat(stats, "BACKEND", "wretr") + ", redispatches " + stat(stats, "BACKEND", "wredis"));
            load.report("rolling-restart", events, results);
            for (Instance s : servers) {
                assertAccessLogsNameTheClient(s);
            }
            load.assertNothingFailed(results, diagnostics());
        } finally {
            load.kill();
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
        List<String> shipped = DeployManifestsTest.documentedCommand(RestartLoad.read(DeployManifestsTest.HAPROXY));
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

    /** Every Sluice start's output, and the end of HAProxy's. */
    private String diagnostics() {
        StringBuilder sb = new StringBuilder(String.join("\n", events)).append('\n');
        instances.forEach(s -> s.starts.forEach(p -> sb.append(p.transcript()).append('\n')));
        if (haproxyLog != null && Files.exists(haproxyLog)) {
            List<String> out = RestartLoad.read(haproxyLog).lines().toList();
            sb.append("--- haproxy (last 40 lines) ---\n");
            out.subList(Math.max(0, out.size() - 40), out.size()).forEach(l -> sb.append(l).append('\n'));
        }
        return sb.toString();
    }

    private static double seconds(long since) {
        return (System.nanoTime() - since) / 1e9;
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
