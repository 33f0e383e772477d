package dev.sluice.bench;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Whether a soak stayed flat: the start and end samples, both taken with the load stopped, the
 * connections drained and right after a full GC, compared with these tolerances:
 *
 * <table>
 *   <tr><th>measure</th><th>flat when end - start is</th></tr>
 *   <tr><td>heap after GC</td><td>under {@value #HEAP_MAX_GROWTH_MIB} MiB, and under
 *       {@value #HEAP_MAX_GROWTH_PERCENT}% of the start unless under
 *       {@value #HEAP_NOISE_MIB} MiB</td></tr>
 *   <tr><td>RSS</td><td>under {@value #RSS_MAX_GROWTH_MIB} MiB and under
 *       {@value #RSS_MAX_GROWTH_PERCENT}% of the start</td></tr>
 *   <tr><td>descriptors</td><td>at most {@value #FD_SLACK}</td></tr>
 *   <tr><td>threads</td><td>at most {@value #THREAD_SLACK}</td></tr>
 * </table>
 *
 * <p>and the soak passes only if, besides, no ordinary request failed and every slow client was
 * cut in time. The slack is for what the JVM does on its own: compiler and GC worker threads
 * come and go, and a descriptor or two (a jar, an epoll instance) may open late.
 */
final class SoakVerdict {
    static final int HEAP_MAX_GROWTH_MIB = 10;
    static final int HEAP_MAX_GROWTH_PERCENT = 20;
    static final int HEAP_NOISE_MIB = 2;
    static final int RSS_MAX_GROWTH_MIB = 64;
    static final int RSS_MAX_GROWTH_PERCENT = 25;
    static final int FD_SLACK = 2;
    static final int THREAD_SLACK = 4;
    /** Drained: descriptors and threads unchanged this long. */
    private static final Duration STEADY = Duration.ofSeconds(3);

    private final ServerSample start;
    private final ServerSample end;
    private final SoakCounters counters;
    private final List<String> problems = new ArrayList<>();

    SoakVerdict(ServerSample start, ServerSample end, SoakCounters counters) {
        this.start = start;
        this.end = end;
        this.counters = counters;
        long heapGrowth = end.heapAfterGcKiB() - start.heapAfterGcKiB();
        if (heapGrowth >= HEAP_MAX_GROWTH_MIB * 1024L
                || heapGrowth >= HEAP_NOISE_MIB * 1024L
                        && heapGrowth * 100 >= start.heapAfterGcKiB() * HEAP_MAX_GROWTH_PERCENT) {
            problems.add("heap after GC grew by " + kib(heapGrowth));
        }
        long rssGrowth = end.rssKiB() - start.rssKiB();
        if (rssGrowth >= RSS_MAX_GROWTH_MIB * 1024L || rssGrowth * 100 >= start.rssKiB() * RSS_MAX_GROWTH_PERCENT) {
            problems.add("RSS grew by " + kib(rssGrowth));
        }
        if (end.fds() - start.fds() > FD_SLACK) {
            problems.add("descriptors: got " + end.fds() + "; want at most " + (start.fds() + FD_SLACK));
        }
        if (end.threads() - start.threads() > THREAD_SLACK) {
            problems.add("threads: got " + end.threads() + "; want at most " + (start.threads() + THREAD_SLACK));
        }
        if (counters.failures() > 0) {
            problems.add(counters.failures() + " ordinary requests failed");
        }
        if (counters.uncut() > 0) {
            problems.add(counters.uncut() + " slow clients were not cut in time");
        }
        if (counters.get("keep_alive", "ok") + counters.get("per_request", "ok") == 0) {
            problems.add("no ordinary request succeeded: the load did not run");
        }
    }

    boolean passed() {
        return problems.isEmpty();
    }

    List<String> problems() {
        return List.copyOf(problems);
    }

    ServerSample start() {
        return start;
    }

    ServerSample end() {
        return end;
    }

    /**
     * Waits until the server has let go of the load: descriptors and threads unchanged for
     * {@link #STEADY} and, given a {@code reference}, within the slack of it; at most {@code max}.
     * Then forces a full GC and returns the sample.
     */
    static ServerSample drain(long pid, Path jcmd, ServerSample reference, Duration max)
            throws IOException, InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        ServerSample last = ServerSample.take(pid, jcmd, false);
        long steadySince = System.nanoTime();
        while (System.nanoTime() < deadline) {
            Thread.sleep(250);
            ServerSample now = ServerSample.take(pid, jcmd, false);
            if (now.fds() != last.fds() || now.threads() != last.threads()) {
                steadySince = System.nanoTime();
                last = now;
                continue;
            }
            boolean within = reference == null || now.fds() - reference.fds() <= FD_SLACK
                    && now.threads() - reference.threads() <= THREAD_SLACK;
            if (within && System.nanoTime() - steadySince >= STEADY.toNanos()) {
                break;
            }
        }
        return ServerSample.take(pid, jcmd, true);
    }

    static String describe(ServerSample s) {
        return String.format(Locale.ROOT, "rss=%s heap_after_gc=%s fds=%d threads=%d",
                kib(s.rssKiB()), s.heapAfterGcKiB() < 0 ? "-" : kib(s.heapAfterGcKiB()), s.fds(), s.threads());
    }

    /** The counts, the start/end table and the verdict. */
    void print(PrintStream out) {
        out.println();
        out.println("clients (kind.outcome: count; *.max_cut_ms: the slowest cut)");
        counters.snapshot().forEach((k, v) -> out.printf(Locale.ROOT, "  %-36s %,d%n", k, v));
        for (String line : counters.failureLines()) {
            out.println("  ! " + line);
        }
        out.println();
        out.println("server, load stopped and drained, after a full GC");
        out.printf(Locale.ROOT, "  %-16s %12s %12s %12s   %s%n", "measure", "start", "end", "change", "flat when");
        row(out, "RSS", start.rssKiB(), end.rssKiB(), true,
                "< " + RSS_MAX_GROWTH_MIB + " MiB and < " + RSS_MAX_GROWTH_PERCENT + "%");
        row(out, "heap after GC", start.heapAfterGcKiB(), end.heapAfterGcKiB(), true,
                "< " + HEAP_MAX_GROWTH_MIB + " MiB, and < " + HEAP_MAX_GROWTH_PERCENT + "% unless < "
                        + HEAP_NOISE_MIB + " MiB");
        row(out, "descriptors", start.fds(), end.fds(), false, "<= +" + FD_SLACK);
        row(out, "threads", start.threads(), end.threads(), false, "<= +" + THREAD_SLACK);
        out.println();
        out.printf(Locale.ROOT, "ordinary requests: %,d ok, %,d failed; slow clients not cut: %d%n",
                counters.get("keep_alive", "ok") + counters.get("per_request", "ok"), counters.failures(),
                counters.uncut());
        if (passed()) {
            out.println("soak: PASS (flat, no failures)");
        } else {
            out.println("soak: FAIL: " + String.join("; ", problems));
        }
    }

    private static void row(PrintStream out, String name, long a, long b, boolean kib, String rule) {
        String change = (b - a >= 0 ? "+" : "") + (kib ? kib(b - a) : Long.toString(b - a));
        out.printf(Locale.ROOT, "  %-16s %12s %12s %12s   %s%n", name, kib ? kib(a) : Long.toString(a),
                kib ? kib(b) : Long.toString(b), change, rule);
    }

    private static String kib(long kib) {
        return String.format(Locale.ROOT, "%.1f MiB", kib / 1024.0);
    }
}
