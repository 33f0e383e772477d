package dev.sluice.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.net.InetSocketAddress;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The soak driver: mixed load against one running {@code sluice serve} for a set time, then a
 * verdict on whether the server stayed flat. {@code bench/soak.sh} starts the server and runs
 * this; {@code SoakIT} runs {@link #run} for a minute in {@code mvn verify}.
 *
 * <pre>
 * --generate DIR        only write the served files into DIR, then exit
 * --port N --server-pid PID --dir DIR    the server, its process, the folder it serves (required)
 * --host 127.0.0.1      --jcmd PATH (default: this JDK's; must be the server's JDK)
 * --warmup 30s          load before the start sample (JIT, class loading, pools), not judged
 * --duration 10m        the judged load
 * --sample-every 60s    a trend line (full GC included) every so often during the load
 * --header-timeout 2s --idle-timeout 3s --write-timeout 3s   the server's, so the clients know
 *                       when a cut is due
 * --grace 10s           how late past its timeout a cut may come (this VM stalls)
 * --keep-alive 6 --per-request 3 --slow-head 4 --slow-body 2 --resets 2 --never-read 2
 *                       clients of each kind (resets: that many mid-request and mid-response)
 * --expect-body-cut false   true: a body dribbled at 4 bytes/s must be cut (a server with a
 *                       minimum body rate); false: counted as still_open, not judged
 * --think 2             ms an ordinary client waits between requests, so the soak does not
 *                       take both cores from whoever shares the machine
 * </pre>
 *
 * <p>Phases: warm-up load; stop it and drain ({@link SoakVerdict#drain}); the <b>start</b> sample;
 * the judged load with trend samples; stop and drain again; the <b>end</b> sample. Both judged
 * samples are thus taken with no client connected, after a full GC. Exit code 0 when flat with
 * no failure, 1 when not, 2 on bad flags.
 */
public final class Soak {
    private Soak() {
    }

    /** The settings of one run; see the class Javadoc for each. */
    record Options(InetSocketAddress address, long serverPid, Path dir, Path jcmd, Duration warmup,
                   Duration duration, Duration sampleEvery, Duration headerTimeout, Duration idleTimeout,
                   Duration writeTimeout, Duration grace, int keepAlive, int perRequest, int slowHead,
                   int slowBody, int resets, int neverRead, int thinkMs, boolean expectBodyCut) {
    }

    public static void main(String[] args) throws Exception {
        Options o;
        try {
            Flags f = Flags.parse(args, "generate", "host", "port", "server-pid", "dir", "jcmd", "warmup",
                    "duration", "sample-every", "header-timeout", "idle-timeout", "write-timeout", "grace",
                    "keep-alive", "per-request", "slow-head", "slow-body", "resets", "never-read", "think",
                    "expect-body-cut");
            if (f.has("generate")) {
                SoakFiles.generate(Path.of(f.string("generate", ".")));
                return;
            }
            if (!f.has("port") || !f.has("server-pid") || !f.has("dir")) {
                throw new IllegalArgumentException("--port, --server-pid and --dir are required");
            }
            o = new Options(new InetSocketAddress(f.string("host", "127.0.0.1"), f.integer("port", 0)),
                    f.integer("server-pid", -1), Path.of(f.string("dir", ".")),
                    Path.of(f.string("jcmd", Path.of(System.getProperty("java.home"), "bin", "jcmd").toString())),
                    f.duration("warmup", Duration.ofSeconds(30)), f.duration("duration", Duration.ofMinutes(10)),
                    f.duration("sample-every", Duration.ofSeconds(60)),
                    f.duration("header-timeout", Duration.ofSeconds(2)),
                    f.duration("idle-timeout", Duration.ofSeconds(3)),
                    f.duration("write-timeout", Duration.ofSeconds(3)), f.duration("grace", Duration.ofSeconds(10)),
                    f.integer("keep-alive", 6), f.integer("per-request", 3), f.integer("slow-head", 4),
                    f.integer("slow-body", 2), f.integer("resets", 2), f.integer("never-read", 2),
                    f.integer("think", 2), Boolean.parseBoolean(f.string("expect-body-cut", "false")));
        } catch (IllegalArgumentException e) {
            System.err.println("soak: " + e.getMessage());
            System.exit(2);
            return;
        }
        SoakVerdict verdict = run(o, System.out);
        System.exit(verdict.passed() ? 0 : 1);
    }

    /** Runs the phases, printing progress and the verdict's table to {@code out}. */
    static SoakVerdict run(Options o, PrintStream out) throws IOException, InterruptedException {
        SoakFiles files = SoakFiles.load(o.dir());
        SoakCounters counters = new SoakCounters();
        Duration maxDrain = max(o.headerTimeout(), o.idleTimeout(), o.writeTimeout()).plus(o.grace())
                .plusSeconds(30);
        out.printf(Locale.ROOT, "soak: warm-up %s against %s, server pid %d%n", o.warmup(), o.address(), o.serverPid());
        load(o, files, counters, o.warmup(), null, out);
        ServerSample start = SoakVerdict.drain(o.serverPid(), o.jcmd(), null, maxDrain);
        out.println("soak: start (load stopped, drained, after a full GC): " + SoakVerdict.describe(start));
        out.printf(Locale.ROOT, "soak: load for %s%n", o.duration());
        List<ServerSample> trend = new ArrayList<>();
        load(o, files, counters, o.duration(), trend, out);
        ServerSample end = SoakVerdict.drain(o.serverPid(), o.jcmd(), start, maxDrain);
        out.println("soak: end (load stopped, drained, after a full GC): " + SoakVerdict.describe(end));
        SoakVerdict verdict = new SoakVerdict(start, end, counters);
        verdict.print(out);
        return verdict;
    }

    /** Runs every client for {@code length}; with {@code trend}, samples the server meanwhile. */
    private static void load(Options o, SoakFiles files, SoakCounters counters, Duration length,
                             List<ServerSample> trend, PrintStream out) throws IOException, InterruptedException {
        SoakClients clients = new SoakClients(o.address(), files, counters, o.headerTimeout(), o.idleTimeout(),
                o.writeTimeout(), o.grace(), o.thinkMs(), o.expectBodyCut());
        List<Thread> threads = startClients(o, clients);
        sample(o, counters, length, trend, out);
        clients.stop();
        // A client in a read or a dribble notices the stop within its read timeout.
        long joinUntil = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        for (Thread t : threads) {
            t.join(Math.max(1, (joinUntil - System.nanoTime()) / 1_000_000));
            if (t.isAlive()) {
                counters.fail("driver", t.getName() + " did not stop within 60 s");
                t.interrupt();
            }
        }
    }

    /** One thread per client the options ask for, each started. */
    private static List<Thread> startClients(Options o, SoakClients clients) {
        List<Thread> threads = new ArrayList<>();
        long seed = System.nanoTime();
        for (int i = 0; i < o.keepAlive(); i++) {
            long s = seed + i;
            threads.add(start("keep-alive-" + i, () -> clients.keepAlive(s)));
        }
        for (int i = 0; i < o.perRequest(); i++) {
            long s = seed + 100 + i;
            threads.add(start("per-request-" + i, () -> clients.perRequest(s)));
        }
        for (int i = 0; i < o.slowHead(); i++) {
            threads.add(start("slow-head-" + i, clients::slowHead));
        }
        for (int i = 0; i < o.slowBody(); i++) {
            threads.add(start("slow-body-" + i, clients::slowBody));
        }
        for (int i = 0; i < o.resets(); i++) {
            long s = seed + 200 + i;
            threads.add(start("reset-request-" + i, () -> clients.resetMidRequest(s)));
            threads.add(start("reset-response-" + i, () -> clients.resetMidResponse(s)));
        }
        for (int i = 0; i < o.neverRead(); i++) {
            threads.add(start("never-read-" + i, clients::neverRead));
        }
        return threads;
    }

    /** Waits out {@code length}; with {@code trend}, samples the server every so often meanwhile. */
    private static void sample(Options o, SoakCounters counters, Duration length, List<ServerSample> trend,
                               PrintStream out) throws IOException, InterruptedException {
        long t0 = System.nanoTime();
        long endAt = t0 + length.toNanos();
        long nextSample = t0 + o.sampleEvery().toNanos();
        while (System.nanoTime() < endAt) {
            Thread.sleep(Math.max(1, Math.min(endAt, nextSample) - System.nanoTime()) / 1_000_000 + 1);
            if (trend != null && System.nanoTime() >= nextSample && System.nanoTime() < endAt) {
                ServerSample s = ServerSample.take(o.serverPid(), o.jcmd(), true);
                trend.add(s);
                long okCount = counters.get("keep_alive", "ok") + counters.get("per_request", "ok");
                out.printf(Locale.ROOT, "soak: t=%4ds  %s  ok=%d failures=%d uncut=%d%n",
                        (System.nanoTime() - t0) / 1_000_000_000, SoakVerdict.describe(s), okCount,
                        counters.failures(), counters.uncut());
                nextSample += o.sampleEvery().toNanos();
            }
        }
    }

    private static Thread start(String name, Runnable r) {
        return Thread.ofPlatform().name("soak-" + name).daemon().start(r);
    }

    private static Duration max(Duration... ds) {
        Duration m = Duration.ZERO;
        for (Duration d : ds) {
            m = d.compareTo(m) > 0 ? d : m;
        }
        return m;
    }
}
