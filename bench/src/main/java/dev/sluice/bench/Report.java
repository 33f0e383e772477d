package dev.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Turns the raw lines {@code engines.sh} collects ({@code round<TAB>engine<TAB>workload<TAB>k=v ...})
 * into the markdown tables of a results file: one row per engine and workload, each number the
 * median over the rounds (with two rounds, the mean of the two), each round's req/s beside it.
 *
 * <p>Usage: {@code Report RAW_TSV} prints markdown on stdout.
 */
public final class Report {
    /** A server core at least this busy was the bottleneck. */
    private static final double SERVER_SATURATED = 0.85;
    /** A load generator core at least this busy (with the server's below its mark) was the bottleneck. */
    private static final double CLIENT_SATURATED = 0.90;

    private record Run(int round, String engine, String workload, Map<String, String> values) {
        double num(String key) {
            String v = values.get(key);
            return v == null ? Double.NaN : Double.parseDouble(v);
        }
    }

    private final Map<String, Map<String, List<Run>>> byWorkload = new LinkedHashMap<>();

    private Report(List<String> lines) {
        for (String line : lines) {
            if (line.isBlank()) {
                continue;
            }
            String[] f = line.split("\t");
            Map<String, String> values = new HashMap<>();
            for (String kv : f[3].trim().split("\\s+")) {
                int eq = kv.indexOf('=');
                if (eq > 0) {
                    values.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            Run run = new Run(Integer.parseInt(f[0]), f[1], f[2], values);
            byWorkload.computeIfAbsent(run.workload, w -> new LinkedHashMap<>())
                    .computeIfAbsent(run.engine, e -> new ArrayList<>()).add(run);
        }
    }

    public static void main(String[] args) throws IOException {
        Report r = new Report(Files.readAllLines(Path.of(args[0])));
        StringBuilder out = new StringBuilder();
        r.throughput(out, "echo64", "Echo, 64-byte ping-pong, 64 connections");
        r.throughput(out, "echo1000", "Echo, 64-byte ping-pong, 1,000 connections");
        r.throughput(out, "sleep200",
                "Blocking handler: sleeps 2 ms per request, 200 connections (length-framed 64 B)");
        if (r.byWorkload.containsKey("echo64")) {
            out.append(BOTTLENECK_LEGEND);
        }
        r.idle(out, "idle");
        r.offload(out);
        System.out.print(out);
    }

    private void throughput(StringBuilder out, String workload, String title) {
        Map<String, List<Run>> engines = byWorkload.get(workload);
        if (engines == null) {
            return;
        }
        out.append("### ").append(title).append("\n\n");
        out.append("| engine | req/s: median (each round) | server CPU µs/req | server core busy | client core busy "
                + "| p50 µs | p99 µs | p99.9 µs | conns served | errors | bottleneck, each round |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---|\n");
        for (var e : engines.entrySet()) {
            List<Run> runs = e.getValue();
            out.append("| ").append(e.getKey())
                    .append(" | ").append(fmt(median(runs, "rps"), 0))
                    .append(" (").append(each(runs, "rps")).append(')')
                    .append(" | ").append(fmt(median(runs, "cpu_us_per_req"), 1))
                    .append(" | ").append(pct(median(runs, "server_util")))
                    .append(" | ").append(pct(median(runs, "client_util")))
                    .append(" | ").append(fmt(median(runs, "p50_us"), 0))
                    .append(" | ").append(fmt(median(runs, "p99_us"), 0))
                    .append(" | ").append(fmt(median(runs, "p999_us"), 0))
                    .append(" | ").append(fmt(median(runs, "served"), 0)).append(" of ")
                    .append(fmt(median(runs, "connections"), 0))
                    .append(" | ").append(fmt(max(runs, "errors"), 0))
                    .append(" | ").append(String.join(" / ", runs.stream().map(r -> label(r, workload)).toList()))
                    .append(" |\n");
        }
        out.append("\n");
    }

    /** Legend of the bottleneck column, printed once under the throughput tables. */
    static final String BOTTLENECK_LEGEND = "Bottleneck, judged per round: **server** = server core at least "
            + Math.round(100 * SERVER_SATURATED) + "% busy; **client** = the load generator's core at least "
            + Math.round(100 * CLIENT_SATURATED) + "% busy and the server's not (compare CPU µs/req, not req/s); "
            + "*(N× stalled)* = N earlier windows of that round were set aside as machine stalls and measured again; "
            + "**engine** = the engine serves fewer connections than were offered and neither core is saturated; "
            + "**slowdown** (echo) = every connection served, yet neither core busy: the machine-wide slowdowns "
            + "BENCHMARKING.md warns about (that round's req/s says nothing about the engine; its CPU µs/req mostly "
            + "still does); **unsaturated** (sleep) = the same, or time lost waking sleeping handlers rather than "
            + "spent on the CPU: with 200 connections and 2 ms sleeps the ceiling is 100,000 req/s, and every engine "
            + "stays far below it.\n\n";

    /** The round's bottleneck, and how many stalled windows before it were set aside. */
    private static String label(Run r, String workload) {
        int retries = (int) r.num("retries"); // NaN (no retries recorded) is 0
        return bottleneck(r, workload) + (retries > 0 ? " (" + retries + "× stalled)" : "");
    }

    private static String bottleneck(Run r, String workload) {
        double server = r.num("server_util");
        double client = r.num("client_util");
        if (server >= SERVER_SATURATED) {
            return "server";
        }
        if (client >= CLIENT_SATURATED) {
            return "client";
        }
        if (r.num("served") < r.num("connections")) {
            return "engine";
        }
        return workload.startsWith("sleep") ? "unsaturated" : "slowdown";
    }

    private void idle(StringBuilder out, String workload) {
        Map<String, List<Run>> engines = byWorkload.get(workload);
        if (engines == null) {
            return;
        }
        out.append("### Idle connections: memory and threads per connection\n\n");
        out.append("Each held connection did one exchange, then stayed open and silent. Deltas against the "
                + "same server idle, after `jcmd GC.run` (twice), divided by the connections the server "
                + "answered (n/a under 100). Heap: old generation used from `jcmd GC.heap_info` (a full "
                + "ParallelGC empties the young generation; what jcmd's own attach allocates there afterwards "
                + "is left out). RSS: `VmRSS`; with "
                + "`-XX:+AlwaysPreTouch` the heap is resident from the start, so the RSS delta is memory "
                + "*outside* the heap (thread stacks, direct buffers, malloc): add the two columns for the "
                + "total. Kernel socket buffers are in neither.\n\n");
        out.append("| engine | asked | answered | heap B/conn | non-heap RSS KiB/conn | threads/conn "
                + "| total KiB/conn | idle server: threads, RSS MiB, heap KiB |\n");
        out.append("|---|---:|---:|---:|---:|---:|---:|---|\n");
        for (var e : engines.entrySet()) {
            List<Run> runs = e.getValue();
            double answered = median(runs, "answered");
            double heap = median(runs, r -> perConn(r, "heap_kb", "heap_base_kb") * 1024);
            double rss = median(runs, r -> perConn(r, "rss_kb", "rss_base_kb"));
            double threads = median(runs, r -> perConn(r, "threads", "threads_base"));
            boolean tooFew = answered < 100;
            out.append("| ").append(e.getKey())
                    .append(" | ").append(fmt(median(runs, "asked"), 0))
                    .append(" | ").append(fmt(answered, 0))
                    .append(" | ").append(tooFew ? "n/a" : fmt(heap, 0))
                    .append(" | ").append(tooFew ? "n/a" : fmt(rss, 1))
                    .append(" | ").append(tooFew ? "n/a" : fmt(threads, 2))
                    .append(" | ").append(tooFew ? "n/a" : fmt(heap / 1024 + rss, 1))
                    .append(" | ").append(fmt(median(runs, "threads_base"), 0))
                    .append(", ").append(fmt(median(runs, "rss_base_kb") / 1024, 1))
                    .append(", ").append(fmt(median(runs, "heap_base_kb"), 0))
                    .append(" |\n");
        }
        out.append("\n");
    }

    private static double perConn(Run r, String key, String baseKey) {
        return (r.num(key) - r.num(baseKey)) / r.num("answered");
    }

    /** The cost of handing a non-blocking handler to a virtual thread, where both were measured. */
    private void offload(StringBuilder out) {
        StringBuilder lines = new StringBuilder();
        for (String w : List.of("echo64", "echo1000")) {
            Map<String, List<Run>> engines = byWorkload.getOrDefault(w, Map.of());
            List<Run> inline = engines.get("event-loop");
            List<Run> offloaded = engines.get("event-loop echo-offloaded");
            if (inline == null || offloaded == null) {
                continue;
            }
            double ci = median(inline, "cpu_us_per_req");
            double co = median(offloaded, "cpu_us_per_req");
            double ri = median(inline, "rps");
            double ro = median(offloaded, "rps");
            lines.append(String.format(Locale.ROOT,
                    "- %s: server CPU %.1f → %.1f µs/request (%+.1f µs, %+.0f%%); req/s %s → %s (%+.0f%%); "
                            + "p99 %s → %s µs%n",
                    w, ci, co, co - ci, 100 * (co - ci) / ci, fmt(ri, 0), fmt(ro, 0), 100 * (ro - ri) / ri,
                    fmt(median(inline, "p99_us"), 0), fmt(median(offloaded, "p99_us"), 0)));
        }
        if (!lines.isEmpty()) {
            out.append("### Offload cost on event-loop (echo inline vs. the same handler on a virtual thread)\n\n");
            out.append(lines).append("\n");
        }
    }

    private static double median(List<Run> runs, String key) {
        return median(runs, r -> r.num(key));
    }

    private static double median(List<Run> runs, java.util.function.ToDoubleFunction<Run> f) {
        double[] v = runs.stream().mapToDouble(f).filter(d -> !Double.isNaN(d)).sorted().toArray();
        if (v.length == 0) {
            return Double.NaN;
        }
        int m = v.length / 2;
        return v.length % 2 == 1 ? v[m] : (v[m - 1] + v[m]) / 2;
    }

    private static double max(List<Run> runs, String key) {
        return runs.stream().mapToDouble(r -> r.num(key)).max().orElse(Double.NaN);
    }

    private static String each(List<Run> runs, String key) {
        return String.join(" / ", runs.stream().map(r -> fmt(r.num(key), 0)).toList());
    }

    private static String pct(double v) {
        return Double.isNaN(v) ? "–" : String.format(Locale.ROOT, "%.0f%%", 100 * v);
    }

    static String fmt(double v, int decimals) {
        if (Double.isNaN(v) || Double.isInfinite(v)) {
            return "–";
        }
        if (decimals == 0) {
            return String.format(Locale.ROOT, "%,.0f", v);
        }
        return String.format(Locale.ROOT, "%,." + decimals + "f", v);
    }
}
