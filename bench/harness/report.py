#!/usr/bin/env python3
"""Turns a run's raw.tsv and meta.json (bench/harness/run.py) into docs/benchmarks.md, SVG charts
next to it (DOC_DIR/<doc name>/*.svg) and the summary table on stdout. Medians over rounds.

    python3 bench/harness/report.py WORK_DIR [--out docs/benchmarks.md]

Regenerates the doc without measuring again, from a run's work directory or from the copy of
raw.tsv and meta.json that it leaves next to the charts (docs/benchmarks/).
"""
import argparse
import json
import os
import shutil
import statistics
import sys

import svg

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
ROOT = os.path.dirname(HERE)
SLUICE = ["sluice-sequential", "sluice-thread-per-connection", "sluice-pool", "sluice-virtual", "sluice-event-loop"]
CLIENT_BOUND = 0.90   # a server core less busy than this was not the bottleneck

SHORT = {"s1-64": "1 keep-alive c64", "s1-256": "1 keep-alive c256", "s2": "2 close", "s3": "3 pipelined x16",
         "s4": "4 file 1 MiB", "s5": "5 idle", "s6-base": "6 c500, no limit", "s6-over": "6 c2000, limit 500", "s6-flood": "6 c2000, no limit",
         "s7": "7 sleeping handler", "s8": "8 many connections"}
TITLES = {
    "s1-64": "1. keep-alive, 64 connections",
    "s1-256": "1. keep-alive, 256 connections",
    "s2": "2. a connection per request (Connection: close), 64 connections",
    "s3": "3. pipelined, 16 requests per write, 64 connections",
    "s4": "4. a 1 MiB static file, 16 connections",
    "s5": "5. idle keep-alive connections",
    "s6": "6. overload: 2,000 connections against --max-connections 500",
    "s7": "7. a blocking handler",
    "s8": "8. many connections",
}


def load(work):
    runs = {}
    with open(os.path.join(work, "raw.tsv")) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 4:
                continue
            rnd, scenario, server, kv = parts
            d = {}
            for item in kv.split():
                k, _, v = item.partition("=")
                try:
                    d[k] = float(v)
                except ValueError:
                    d[k] = v
            d["round"] = int(rnd)
            runs.setdefault((scenario, server), []).append(d)
    with open(os.path.join(work, "meta.json")) as f:
        meta = json.load(f)
    return runs, meta


def med(rows, key):
    vals = [r[key] for r in rows if isinstance(r.get(key), float) and r[key] == r[key]]
    return statistics.median(vals) if vals else float("nan")


class Results:
    def __init__(self, runs):
        self.runs = runs

    def get(self, scenario, server, key):
        return med(self.runs.get((scenario, server), []), key)

    def has(self, scenario, server):
        return (scenario, server) in self.runs

    def servers(self, scenario):
        seen = []
        for (sc, server) in self.runs:
            if sc == scenario and server not in seen:
                seen.append(server)
        return seen

    def rounds(self, scenario, server):
        return len(self.runs.get((scenario, server), []))


def n(v, digits=0):
    if v != v:
        return "n/a"
    if digits == 0:
        return f"{v:,.0f}"
    return f"{v:,.{digits}f}"


def us(v):
    """Microseconds, shown in the unit that suits them."""
    if v != v:
        return "n/a"
    if v >= 10_000:
        return f"{v / 1000:,.0f} ms"
    if v >= 1000:
        return f"{v / 1000:.1f} ms"
    return f"{v:.0f} µs"


def ratio(a, b):
    """a / b, or NaN when b is 0 or NaN (a server that did not run or answered nothing)."""
    return a / b if b == b and b else float("nan")


def cb(res, scenario, server):
    util = res.get(scenario, server, "server_util")
    return " ⁽ᶜᵇ⁾" if util == util and util < CLIENT_BOUND else ""


def best(res, scenario, candidates):
    scored = [(res.get(scenario, s, "rps"), s) for s in candidates if res.has(scenario, s)]
    scored = [x for x in scored if x[0] == x[0]]
    return max(scored)[1] if scored else None


def ratio_row(res, scenario, target_name, a, b, key, want, higher_better=True):
    if not a or not res.has(scenario, b):
        return f"| {target_name} | n/a (not measured) | | |"
    va, vb = res.get(scenario, a, key), res.get(scenario, b, key)
    if not (va == va and vb == vb and vb > 0):
        return f"| {target_name} | n/a | | |"
    r = va / vb
    ok = r >= want if higher_better else r <= want
    return f"| {target_name} | {a}: {n(va, 2 if key != 'rps' else 0)} / {b}: {n(vb, 2 if key != 'rps' else 0)} | {r:.2f} | {'PASS' if ok else 'MISS'} |"


def targets(res):
    out = ["| target | measured (medians) | ratio | |", "|---|---|---|---|"]
    for sc in ("s1-64", "s1-256", "s2", "s3"):
        cands = SLUICE if sc == "s2" else [s for s in SLUICE if s != "sluice-sequential"]
        b = best(res, sc, cands)
        label = TITLES[sc].split(",")[0] if sc.startswith("s1") else TITLES[sc].split(" (")[0].split(",")[0]
        label += f" ({sc})"
        out.append(ratio_row(res, sc, f"{label}: best Sluice req/s ≥ 1.0× netty-epoll", b, "netty-epoll", "rps", 1.0))
        if sc in ("s1-64", "s1-256", "s2"):
            out.append(ratio_row(res, sc, f"{label}: its CPU µs/req ≤ 1.0× netty-epoll", b, "netty-epoll",
                                 "cpu_us_per_req", 1.0, higher_better=False))
        if sc.startswith("s1"):
            out.append(ratio_row(res, sc, f"{label}: best Sluice req/s ≥ 0.85× c-epoll", b, "c-epoll", "rps", 0.85))
    b = best(res, "s4", SLUICE)
    out.append(ratio_row(res, "s4", "4. 1 MiB file: best Sluice req/s ≥ 1.0× nginx", b, "nginx", "rps", 1.0))
    for engine, limit in (("sluice-event-loop", 4.0), ("sluice-virtual", 10.0)):
        if res.has("s5", engine):
            kib = res.get("s5", engine, "kib_per_conn")
            tpc = res.get("s5", engine, "threads_per_conn")
            ok = kib <= limit and tpc < 0.01
            out.append(f"| 5. idle: {engine} ≤ {limit:g} KiB per connection, no thread per connection | "
                       f"{kib:.2f} KiB, {tpc:.3f} threads per connection | | {'PASS' if ok else 'MISS'} |")
        else:
            out.append(f"| 5. idle: {engine} ≤ {limit:g} KiB per connection | n/a (not measured) | | |")
    for engine in SLUICE:
        if res.has("s6-over-lat", engine) and res.has("s6-base", engine) and res.has("s6-over", engine):
            errs = res.get("s6-over-lat", engine, "admitted_errors")
            base, over = res.get("s6-base", engine, "rps"), res.get("s6-over", engine, "rps")
            flood = res.get("s6-flood", engine, "rps") if res.has("s6-flood", engine) else float("nan")
            # The baseline's own spread: how far apart windows of the same server, same load, came.
            windows = [r["rps"] for r in res.runs[("s6-base", engine)] if isinstance(r.get("rps"), float)]
            spread = (max(windows) - min(windows)) / base if len(windows) > 1 and base else 0.0
            if errs != 0:
                verdict = "MISS"
            elif over >= base:
                verdict = "PASS"
            elif over >= base * (1 - spread) and flood == flood and over >= flood:
                verdict = "TIE"
            else:
                verdict = "MISS"
            out.append(f"| 6. overload: {engine}: no errors on admitted connections, goodput ≥ without overload | "
                       f"{n(errs)} admitted errors (open loop); {n(over)} vs {n(base)} req/s at 500 connections "
                       f"(its windows {n(min(windows) if windows else float('nan'))}-{n(max(windows) if windows else float('nan'))}, "
                       f"spread {spread:.0%}); {n(flood)} at 2,000 without a limit ({ratio(over, flood):.2f}×) "
                       f"| {ratio(over, base):.2f} | {verdict} |")
    return out


def throughput_table(res, sc, latency=None, extra=()):
    head = "| server | req/s | rounds | server CPU µs/req | server core busy | errors | non-2xx |"
    sep = "|---|---|---|---|---|---|---|"
    if latency:
        head += " open-loop p50 | p99 | p99.9 |"
        sep += "---|---|---|"
    for title, _ in extra:
        head += f" {title} |"
        sep += "---|"
    rows = [head, sep]
    for server in sorted(res.servers(sc), key=lambda s: -res.get(sc, s, "rps")):
        per_round = ", ".join(n(r["rps"]) for r in res.runs[(sc, server)])
        row = (f"| {server} | **{n(res.get(sc, server, 'rps'))}**{cb(res, sc, server)} | {per_round} | "
               f"{n(res.get(sc, server, 'cpu_us_per_req'), 2)} | {n(100 * res.get(sc, server, 'server_util'))}% | "
               f"{n(res.get(sc, server, 'errors'))} | {n(res.get(sc, server, 'non2xx'))} |")
        if latency:
            row += " " + " | ".join([us(res.get(latency, server, "p50_us")), us(res.get(latency, server, "p99_us")),
                                     us(res.get(latency, server, "p999_us"))]) + " |"
        for _, fn in extra:
            row += f" {fn(server)} |"
        rows.append(row)
    return rows


def latency_table(res, sc):
    rows = ["| server | offered req/s | connections | answered 2xx/s | p50 | p90 | p99 | p99.9 | max | errors: connect / rejected / admitted | retried | unsent |",
            "|---|---|---|---|---|---|---|---|---|---|---|---|"]
    for server in sorted(res.servers(sc), key=lambda s: res.get(sc, s, "p99_us")):
        g = lambda k: res.get(sc, server, k)
        rows.append(f"| {server} | {n(g('offered_rps'))} | {n(g('conns'))} | {n(g('goodput_rps'))} | {us(g('p50_us'))} | "
                    f"{us(g('p90_us'))} | {us(g('p99_us'))} | {us(g('p999_us'))} | {us(g('max_us'))} | "
                    f"{n(g('connect_errors'))} / {n(g('rejected'))} / {n(g('admitted_errors'))} | {n(g('retried'))} | {n(g('unsent'))} |")
    return rows


def summary(res):
    """One line per server and scenario: the table printed on stdout and put first in the doc."""
    rows = []
    lat = {"s1-64": "s1-lat", "s7": "s7-lat", "s8": "s8-lat", "s6-base": "s6-base-lat", "s6-over": "s6-over-lat"}
    for sc in ("s1-64", "s1-256", "s2", "s3", "s4", "s5", "s6-base", "s6-over", "s6-flood", "s7", "s8"):
        for server in res.servers(sc):
            g = lambda k, s=sc: res.get(s, server, k)
            if sc == "s5":
                rows.append([server, SHORT[sc], "", "", "", "", f"{g('kib_per_conn'):.2f} KiB/conn", n(g("threads"))])
                continue
            l = lat.get(sc)
            mem = f"{g('rss_kb') / 1024:.0f} MiB RSS" if sc == "s8" and g("rss_kb") == g("rss_kb") else ""
            rows.append([server, SHORT[sc], n(g("rps")) + ("*" if cb(res, sc, server) else ""), n(g("cpu_us_per_req"), 2),
                         us(res.get(l, server, "p50_us")) if l else "", us(res.get(l, server, "p99_us")) if l else "",
                         mem, n(g("threads")) if sc == "s8" else ""])
    return ["server", "scenario", "req/s", "CPU µs/req", "p50", "p99", "memory", "threads"], rows


def text_table(head, rows):
    widths = [max(len(str(x)) for x in col) for col in zip(head, *rows)] if rows else [len(h) for h in head]
    line = lambda r: "  ".join(str(x).ljust(w) for x, w in zip(r, widths)).rstrip()
    return "\n".join([line(head), line(["-" * w for w in widths])] + [line(r) for r in rows])


def charts(res, chart_dir, rel):
    os.makedirs(chart_dir, exist_ok=True)
    md = []
    for sc in ("s1-64", "s1-256", "s2", "s3", "s4", "s7", "s8"):
        servers = res.servers(sc)
        if not servers:
            continue
        bars = sorted(((s, res.get(sc, s, "rps")) for s in servers), key=lambda x: -x[1])
        name = f"{sc}.svg"
        svg.bars(os.path.join(chart_dir, name), TITLES.get(sc, sc) + ": req/s (median)",
                 [(s, v, s.startswith("sluice-"), f"{v:,.0f}" + ("  client-bound" if cb(res, sc, s) else ""))
                  for s, v in bars])
        md.append(f"![{TITLES.get(sc, sc)}]({rel}/{name})")
    servers = res.servers("s5")
    if servers:
        rows = sorted(((s, res.get("s5", s, "heap_kib_per_conn"), res.get("s5", s, "rss_kib_per_conn")) for s in servers),
                      key=lambda x: x[1] + x[2])
        svg.stacked(os.path.join(chart_dir, "s5-memory.svg"), "5. memory per idle connection, KiB (heap after full GC + RSS growth)",
                    [(s, max(0.0, h), r, s.startswith("sluice-")) for s, h, r in rows], ("heap", "RSS (off-heap / native)"))
        md.append(f"![memory per idle connection]({rel}/s5-memory.svg)")
    return md


def doc(res, meta, out):
    stem = os.path.splitext(os.path.basename(out))[0]
    chart_dir = os.path.join(os.path.dirname(os.path.abspath(out)), stem)
    L = []
    L.append("# Benchmarks")
    L.append("")
    L.append(f"Generated by `bench/run.sh` (`bench/harness/report.py` from the raw results); do not edit by hand. "
             f"{'**Quick mode: one short round, a smoke test; not numbers to quote.**' if meta['quick'] else ''}")
    L.append("")
    L.append(f"- commit: `{meta['commit']}`{' (with uncommitted changes)' if meta.get('dirty') else ''}; date: {meta['date']}")
    L.append(f"- JDK: {meta['jdk']}; JVM flags of every JVM server: `{meta['jvm_flags']}`")
    L.append(f"- CPU: {meta['cpu']}, {meta['nproc']} cores; Linux {meta['kernel']}; {meta['wrk']}")
    if "loadavg_start" in meta:
        L.append(f"- load average (1, 5, 15 min) at the start: {meta['loadavg_start']}; at the end: {meta['loadavg_end']} "
                 "(above ~2, other work shared the cores and every number below is suspect)")
    L.append(f"- command: `{meta['command']}` ({meta['elapsed_s']} s); raw results: [`{stem}/raw.tsv`]({stem}/raw.tsv) "
             f"(regenerate: `python3 bench/harness/report.py {os.path.relpath(chart_dir, ROOT)} --out {os.path.relpath(os.path.abspath(out), ROOT)}`)")
    L.append(f"- servers: {', '.join(meta['servers'])}")
    if meta.get("failed"):
        L.append("- **did not run**: " + "; ".join(meta["failed"]))
    if meta.get("unsupported"):
        L.append("- unsupported (skipped): " + "; ".join(meta["unsupported"]))
    L.append("")
    L.append("## Method")
    L.append("")
    w, (wk, wc, wp) = meta["window_s"], meta["warm_s"]
    flushed = meta.get("tcp_metrics_flushed")
    flush = ("Before each server of scenario 4 the kernel's TCP metrics cache is emptied (`ip tcp_metrics flush all`): "
             "what earlier connections to 127.0.0.1 left there (ssthresh, RTT, reordering) swung nginx's result between "
             "2,600 and 4,700 req/s (it narrows that spread without removing it; see the findings)." if flushed is True
             else "The TCP metrics cache could not be emptied before scenario 4 (needs root and iproute2): its results "
             "depend on what ran before." if flushed is False else "")
    L.append(f"""- Loopback only. Each server runs alone, started by `bench/server.sh NAME PORT` pinned to core 1 (`taskset -c 1`); every load
  generator (wrk `-t1`, the open-loop client, jcmd) runs on core 0. A server is started once per round for scenarios 1-3, then
  warmed up ({wk} s keep-alive, {wp} s pipelined, {wc} s `Connection: close`, all at 64 connections) before its measured windows.
  Scenarios 4-8 start the server again (with `--root`, `--max-connections`, `--sleep-ms`) and warm up with the same load: 2 s in
  scenarios 4 and 8, 3 s in 6, 1 s in 7. {flush}
- wrk windows of {w} s in scenarios 1-4, {meta.get('short_s', w)} s in 6-8 (5,000 connections: {meta.get('short_s', w) + 2} s, as their handshakes take
  the start of it); open-loop windows of {meta.get('short_s', w)} s after 1 s at the same rate. Scenarios 1-3: {meta['rounds']} interleaved round(s) for the servers the targets compare ({', '.join(meta['headline'])}), the order
  reversed on even rounds; {meta['rest_rounds']} round for the others. Scenario 4: {meta['rounds']} round(s). Scenario 6:
  {meta.get('overload_windows', 1)} wrk window(s) per setting, the three settings' servers running side by side and their windows
  alternating. Scenarios 5, 7 and 8: one round (memory and threads do not drift; the blocking handler is about orders of
  magnitude). Numbers are medians
  over the rounds; each round's value is listed too. A keep-alive window in which neither the server's nor wrk's core reached
  80% busy with no errors is a stall of this VM: it is set aside and measured again ({meta['retries']} time(s) at most).
- req/s: responses counted by wrk (`bench/wrk/bench.lua`; pipelining sends 16 requests per write and wrk counts each response).
  **Server CPU µs/req**: utime+stime of the server's processes (`/proc/PID/stat`, the process and its children) across the
  window, divided by the responses. *Core busy* is that CPU time over the wall time; below {CLIENT_BOUND:.0%} the run is marked
  client-bound (⁽ᶜᵇ⁾, `*` on stdout): the server's core was not saturated, so req/s measures the client (or, on a busy
  machine, whatever else ran on the cores), and CPU µs/req is the number that compares servers.
- Latency is never wrk's (closed loop, coordinated omission). `dev.sluice.bench.OpenLoop` sends GETs on a fixed schedule
  (rate R spread evenly over C keep-alive connections, one thread, non-blocking) and times each request from its
  *intended* send time with HdrHistogram. Scenario 1: a fixed rate common to every server, **{meta['rate']:,} req/s over 64
  connections**, after 1 s of warm-up at that rate. A server slower than that rate shows it as queueing delay.
- Memory per idle connection (scenario 5): {meta['idle_n']:,} keep-alive connections, each after one answered GET, held idle.
  Before and after: a full GC (`jcmd PID GC.run`, the server's own JDK), then heap = old generation used (`jstat -gc`, OU;
  the full GC empties the young one) and RSS from `/proc/PID/status`. Per connection = (heap growth + RSS growth) / answered
  connections. With `-XX:+AlwaysPreTouch` the whole heap is resident from the start, so RSS growth is the off-heap part (thread
  stacks, native buffers, direct memory); for non-JVM servers (nginx, c-epoll) RSS is all there is. Kernel socket buffers are
  in neither. Sluice servers get `--max-connections 19000` here and in scenario 8.
- Overload (scenario 6, Sluice engines): the same engine with default limits at 500 connections, with
  `--max-connections 500` under 2,000 connections, and under the same 2,000 without a limit; wrk for goodput, the open-loop client at {meta['overload_rate']:,} req/s for
  the p99 of admitted requests (those that fell due once their connection had been answered and had caught up with its
  schedule: without the time a newcomer spends in the listen backlog, nor the requests it owes after it, which count in
  *all*) and the errors. The open-loop client resends once a request whose reused connection was
  closed before any byte of its answer (RFC 9112 9.3.1) and counts it as *retried*; *rejected* are failures on connections
  never answered, *admitted* failures on connections that had been.
- Blocking handler (scenario 7): `--sleep-ms {meta['sleep_ms']}` on every server that supports it, {meta['sleep_conns']} connections;
  wrk, then the open-loop client at {meta['sleep_rate']:,} req/s.
- Many connections (scenario 8): {meta['many']:,} keep-alive connections on the four concurrent Sluice engines: wrk, with RSS and
  threads sampled in the middle of the window, then the open-loop client at {meta['many_rate']:,} req/s.
- Client JVM: `{meta['client_jvm']}`. wrk: `-t1 --timeout 5s`. One wrk thread saturates near 135k req/s on this machine
  (shared/BENCHMARKING.md): above that compare CPU µs/req, not req/s.""")
    L.append("")
    head, rows = summary(res)
    L.append("## Summary")
    L.append("")
    L.append("Medians. `*`: client-bound (server core < 90% busy). p50/p99 are open-loop (see the scenario's section for the rate).")
    L.append("")
    L.append("| " + " | ".join(head) + " |")
    L.append("|" + "---|" * len(head))
    for r in rows:
        L.append("| " + " | ".join(str(x) for x in r) + " |")
    L.append("")
    L.append("## Targets (issue 5)")
    L.append("")
    L.append("Ratios of medians from this run, on the same cores. *Best Sluice* is the Sluice engine with the highest median req/s in that scenario. "
             "Overload: *TIE* means the goodput under overload was below the median at 500 connections, but by less than those "
             "windows differed among themselves (their spread: (max - min) / median), so this run cannot tell them apart, and "
             "it was not below the same engine's goodput for the same 2,000 clients without a limit.")
    L.append("")
    L += targets(res)
    L.append("")
    L.append("## Charts")
    L.append("")
    L += [x + "\n" for x in charts(res, chart_dir, stem)]
    L.append("## Results per scenario")
    for sc, lat in (("s1-64", "s1-lat"), ("s1-256", None), ("s2", None), ("s3", None), ("s4", None)):
        if res.servers(sc):
            L += ["", f"### {TITLES[sc]}", ""]
            extra = []
            if sc == "s4":
                extra = [("bytes/response", lambda s, sc=sc: n(res.get(sc, s, "bytes_per_resp")))]
            if sc == "s2":
                # A server that ignores Connection: close was measured on keep-alive.
                extra = [("answers Connection: close", lambda s: {1.0: "yes", 0.0: "**no: measured keep-alive**"}.get(
                    res.get("s2", s, "closes"), "n/a"))]
            L += throughput_table(res, sc, lat, extra)
            if lat and res.servers(lat):
                L += ["", f"Open loop at {meta['rate']:,} req/s over 64 connections:", ""]
                L += latency_table(res, lat)
    if res.servers("s5"):
        L += ["", f"### {TITLES['s5']}: {meta['idle_n']:,} per server", "",
              "Connections the server did not answer within 10 s are not counted; after 1,000 failed connects the client stops trying (*not tried*): "
              "an engine with a thread per connection stops accepting when its threads are all taken.", "",
              "| server | answered (not tried) | KiB per connection | heap KiB/conn | RSS KiB/conn | threads before → after | threads per connection | heap MiB before → after | RSS MiB before → after |",
              "|---|---|---|---|---|---|---|---|---|"]
        for s in sorted(res.servers("s5"), key=lambda s: res.get("s5", s, "kib_per_conn")):
            g = lambda k: res.get("s5", s, k)
            heap = f"{g('heap_base_kb') / 1024:.1f} → {g('heap_kb') / 1024:.1f}" if g("jvm") == 1 else "(not a JVM)"
            L.append(f"| {s} | {n(g('answered'))} ({n(g('not_tried'))}) | **{g('kib_per_conn'):.2f}** | {g('heap_kib_per_conn'):.2f} | {g('rss_kib_per_conn'):.2f} | "
                     f"{n(g('threads_base'))} → {n(g('threads'))} | {g('threads_per_conn'):.3f} | {heap} | "
                     f"{g('rss_base_kb') / 1024:.1f} → {g('rss_kb') / 1024:.1f} |")
    if res.servers("s6-base") or res.servers("s6-over"):
        L += ["", f"### {TITLES['s6']}", "", "wrk (closed loop): goodput is 2xx responses per second; errors are wrk's socket errors (connect, read, write, timeout).", ""]
        L += ["| server | goodput at 500, no limit | goodput at 2,000, limit 500 | ratio | goodput at 2,000, no limit | limit 500 / no limit at 2,000 | wrk errors at 2,000, limit 500 | non-2xx | p99 at 500 | p99 at 2,000: admitted / all | open-loop errors at 2,000: connect / rejected / admitted | retried |",
              "|---|---|---|---|---|---|---|---|---|---|---|---|"]
        for s in SLUICE:
            if not (res.has("s6-base", s) or res.has("s6-over", s)):
                continue
            g = lambda sc, k: res.get(sc, s, k)
            short = meta.get("short_s", meta["window_s"])
            base, over = g("s6-base", "rps") - g("s6-base", "non2xx") / short, g("s6-over", "rps") - g("s6-over", "non2xx") / short
            flood = g("s6-flood", "rps") - g("s6-flood", "non2xx") / short if res.has("s6-flood", s) else float("nan")
            L.append(f"| {s} | {n(base)} | {n(over)} | {ratio(over, base):.2f} | {n(flood)} | "
                     f"{ratio(over, flood):.2f} | {n(g('s6-over', 'errors'))} | {n(g('s6-over', 'non2xx'))} | "
                     f"{us(g('s6-base-lat', 'p99_us'))} | {us(g('s6-over-lat', 'admitted_p99_us'))} / {us(g('s6-over-lat', 'p99_us'))} | "
                     f"{n(g('s6-over-lat', 'connect_errors'))} / {n(g('s6-over-lat', 'rejected'))} / {n(g('s6-over-lat', 'admitted_errors'))} | {n(g('s6-over-lat', 'retried'))} |")
        for lat in ("s6-base-lat", "s6-over-lat"):
            if res.servers(lat):
                L += ["", f"Open loop, {'500 connections, no limit' if lat == 's6-base-lat' else '2,000 connections, --max-connections 500'}:", ""]
                L += latency_table(res, lat)
    if res.servers("s7"):
        L += ["", f"### {TITLES['s7']}: sleeps {meta['sleep_ms']} ms, {meta['sleep_conns']} connections", ""]
        L += throughput_table(res, "s7", "s7-lat")
        L += ["", f"Open loop at {meta['sleep_rate']:,} req/s:", ""] + latency_table(res, "s7-lat")
    if res.servers("s8"):
        L += ["", f"### {TITLES['s8']}: {meta['many']:,} keep-alive connections", ""]
        L += throughput_table(res, "s8", "s8-lat", [
            ("threads (mid-window)", lambda s: n(res.get("s8", s, "threads"))),
            ("RSS MiB (mid-window)", lambda s: n(res.get("s8", s, "rss_kb") / 1024))])
        L += ["", f"Open loop at {meta['many_rate']:,} req/s:", ""] + latency_table(res, "s8-lat")
    stalls = res.runs.get
    set_aside = [(k[1], r) for k, rs in res.runs.items() if k[0] == "stalled" for r in rs]
    if set_aside:
        L += ["", "### Windows set aside as VM stalls (measured again)", ""]
        L += [f"- round {int(r['round'])}, {s}, {r.get('scenario')}: {n(r['rps'])} req/s, server {r['server_util']:.0%}, client {r['client_util']:.0%} busy"
              for s, r in set_aside]
    # Sections written by other scripts or by hand, kept as they were last written: bench/tls.sh's,
    # the streamed bodies (bench/streaming.sh) and slowhttptest (bench/slowhttp.sh).
    for name in ("tls.md", "streaming.md", "slowhttp.md"):
        p = os.path.join(HERE, "doc", name)
        if os.path.exists(p):
            L += ["", open(p).read().rstrip()]
    for name, title in (("findings.md", "Profiling notes"), ("jmh.md", "JMH results")):
        p = os.path.join(HERE, "doc", name)
        if os.path.exists(p):
            L += ["", f"## {title} (`bench/doc/{name}`, verbatim)", "", open(p).read().rstrip()]
    L.append("")
    # The raw results go with the doc, so that it can be regenerated from what is committed.
    for name in ("raw.tsv", "meta.json"):
        src, dst = os.path.join(meta["work"], name), os.path.join(chart_dir, name)
        if os.path.abspath(src) != os.path.abspath(dst):
            shutil.copyfile(src, dst)
    os.makedirs(os.path.dirname(os.path.abspath(out)), exist_ok=True)
    with open(out, "w") as f:
        f.write("\n".join(L))
    return head, rows


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("work")
    ap.add_argument("--out", default=os.path.join(ROOT, "docs", "benchmarks.md"))
    a = ap.parse_args()
    runs, meta = load(a.work)
    meta["work"] = a.work
    res = Results(runs)
    head, rows = doc(res, meta, a.out)
    print(text_table(head, rows))
    print(f"\nwrote {a.out} (raw results: {os.path.join(a.work, 'raw.tsv')})", file=sys.stderr)


if __name__ == "__main__":
    main()
