#!/usr/bin/env python3
"""Turns a TLS run's raw.tsv and meta.json (bench/harness/tls.py) into a markdown section for
docs/benchmarks.md: the results table (medians over rounds), issue 15's targets as ratios against
nginx with PASS/MISS, each round's values, and the JFR profile when the run made one. Prints the
results table on stdout.

    python3 bench/harness/tls_report.py WORK_DIR [--out FILE]     (default: WORK_DIR/tls.md)
    python3 bench/harness/tls_report.py WORK_DIR --doc docs/benchmarks.md   (also bench/doc/tls.md)
"""
import argparse
import json
import os

from report import CLIENT_BOUND, Results, load, n, ratio

SLUICE = ["sluice-event-loop", "sluice-virtual", "sluice-event-loop-conscrypt", "sluice-virtual-conscrypt",
          "sluice-event-loop-tcnative", "sluice-virtual-tcnative"]
SCENARIOS = {
    "t1": "1. keep-alive: wrk -t1 -c64, `GET /` (13-byte body), one TLS session per connection",
    "t2": "2. a full handshake per connection: `openssl s_time -new`, one HTTP/1.0 `GET /` each",
    "t3": "3. a resumed handshake per connection: `openssl s_time -reuse` (TLS 1.3 PSK with (EC)DHE)",
    "t4": "4. a 1 MiB file over keep-alive: wrk -t1 -c16 `GET /1m.bin`",
}


def cb(res, sc, server):
    util = res.get(sc, server, "server_util")
    return " ⁽ᶜᵇ⁾" if util == util and util < CLIENT_BOUND else ""


def best(res, sc, key="rps"):
    scored = [(res.get(sc, s, key), s) for s in SLUICE if res.has(sc, s)]
    scored = [x for x in scored if x[0] == x[0]]
    return max(scored)[1] if scored else None


def cell(res, sc, server, key, digits=0):
    return n(res.get(sc, server, key), digits) + (cb(res, sc, server) if key in ("rps", "mb_per_s") else "") \
        if res.has(sc, server) else "n/a"


def resumed(res, sc, server):
    rows = res.runs.get((sc, server), [])
    r = sum(x.get("reused", 0) for x in rows)
    total = r + sum(x.get("full", 0) for x in rows)
    return f"{r / total:.0%}" if total else "n/a"


def results_table(res, servers):
    rows = ["| server | negotiated | keep-alive req/s | CPU µs/req | full handshakes/s | CPU µs/handshake | "
            "resumed handshakes/s | CPU µs/handshake | resumed | 1 MiB MB/s | CPU µs/MiB |",
            "|---|---|---|---|---|---|---|---|---|---|---|"]
    for s in servers:
        t1 = res.runs.get(("t1", s), [{}])[0]
        neg = " ".join(str(t1.get(k, "?")) for k in ("protocol", "cipher", "group")) if t1 else "n/a"
        mib = res.get("t4", s, "cpu_us_per_req") / max(1e-9, res.get("t4", s, "bytes_per_resp") / 2 ** 20)
        rows.append(f"| {s} | {neg} | {cell(res, 't1', s, 'rps')} | {cell(res, 't1', s, 'cpu_us_per_req', 1)} | "
                    f"{cell(res, 't2', s, 'rps')} | {cell(res, 't2', s, 'cpu_us_per_req')} | "
                    f"{cell(res, 't3', s, 'rps')} | {cell(res, 't3', s, 'cpu_us_per_req')} | {resumed(res, 't3', s)} | "
                    f"{cell(res, 't4', s, 'mb_per_s')} | {n(mib) if res.has('t4', s) else 'n/a'} |")
    return rows


def targets(res):
    out = ["| target (issue 15) | Sluice (best engine) | nginx | ratio | want | |", "|---|---|---|---|---|---|"]

    def row(title, sc, key, want, higher=True, pick="rps", note=""):
        s = best(res, sc, pick)
        if not s or not res.has(sc, "nginx"):
            out.append(f"| {title} | n/a (not measured) | | | | |")
            return
        a, b = res.get(sc, s, key), res.get(sc, "nginx", key)
        r = ratio(a, b)
        ok = r == r and (r >= want if higher else r <= want)
        d = 1 if key == "cpu_us_per_req" and sc != "t2" else 0
        out.append(f"| {title} | {s}: {n(a, d)}{cb(res, sc, s) if key == 'rps' else ''} | "
                   f"{n(b, d)}{cb(res, sc, 'nginx') if key == 'rps' else ''} | {r:.2f} | "
                   f"{'≥' if higher else '≤'} {want:g} | {'PASS' if ok else 'MISS'}{note} |")
    row("keep-alive req/s", "t1", "rps", 1.0)
    row("keep-alive CPU µs/req", "t1", "cpu_us_per_req", 1.2, higher=False)
    row("full handshakes/s", "t2", "rps", 0.6)
    # When nginx's core was not saturated, handshakes/s measured the client: the server's own
    # capacity is 1 / CPU per handshake, compared the same way.
    s = best(res, "t2")
    if s and res.has("t2", "nginx"):
        a, b = res.get("t2", s, "cpu_us_per_req"), res.get("t2", "nginx", "cpu_us_per_req")
        r = ratio(b, a)
        out.append(f"| full handshakes per server core-second (10⁶ / CPU µs per handshake) | {s}: {n(1e6 / a)} | "
                   f"{n(1e6 / b)} | {r:.2f} | ≥ 0.6 | {'PASS' if r >= 0.6 else 'MISS'} |")
    row("1 MiB file MB/s", "t4", "mb_per_s", 0.8, pick="mb_per_s")
    return out


def per_round(res, sc, servers, key, digits=0):
    extra = {"t2": ("resumed", lambda s: resumed(res, sc, s)), "t3": ("resumed", lambda s: resumed(res, sc, s))}
    head = "| server | median | each round | CPU µs per " + ("handshake" if sc in ("t2", "t3") else "request") + \
        " | server core busy | client core busy | errors |"
    sep = "|---|---|---|---|---|---|---|"
    if sc in extra:
        head += " resumed |"
        sep += "---|"
    rows = [head, sep]
    for s in [x for x in servers if res.has(sc, x)]:
        each = ", ".join(n(r.get(key, float("nan")), digits) for r in res.runs[(sc, s)])
        line = (f"| {s} | **{n(res.get(sc, s, key), digits)}**{cb(res, sc, s)} | {each} | "
                f"{n(res.get(sc, s, 'cpu_us_per_req'), 1)} | {n(100 * res.get(sc, s, 'server_util'))}% | "
                f"{n(100 * res.get(sc, s, 'client_util'))}% | {n(res.get(sc, s, 'errors'))} |")
        if sc in extra:
            line += f" {extra[sc][1](s)} |"
        rows.append(line)
    return rows


def profile_section(work):
    path = os.path.join(work, "profile.json")
    if not os.path.exists(path):
        return []
    p = json.load(open(path))
    load = p.get("load") or {}
    what = {"1": "keep-alive requests", "2": "full handshakes", "4": "the 1 MiB file"}[p.get("scenario", "2")]
    out = [f"### Where {p['server']}'s CPU goes: {what} (JFR)", "",
           f"{p['seconds']} s of scenario {p.get('scenario', '2')}'s load under `jcmd PID JFR.start settings=profile "
           f"jdk.CPUTimeSample#enabled=true` after a warm-up: {n(load.get('rps', float('nan')))} {'handshakes' if p.get('scenario', '2') == '2' else 'requests'}/s, "
           f"{n(load.get('cpu_us_per_req', float('nan')), 1)} µs of server CPU each; {p['samples']} `{p['event']}` samples "
           f"(Java frames only: kernel and native time count under the Java method that called it). "
           f"Recording: `{os.path.basename(p['jfr'])}` in the work directory; `jfr view hot-methods` of it in "
           "`profile-hot-methods.txt`; `python3 bench/harness/jfr_summary.py FILE.jfr` prints this again.", "",
           "| by operation (first match, outermost operation) | share | | top frame (self) | share |", "|---|---|---|---|---|"]
    ops, top = p["operations"], p["top"]
    for i in range(max(len(ops), len(top))):
        a = ops[i] if i < len(ops) else ("", None)
        b = top[i] if i < len(top) else ("", None)
        out.append(f"| {a[0]} | {'' if a[1] is None else f'{a[1]:.0%}'} | | `{b[0]}` | "
                   f"{'' if b[1] is None else f'{b[1]:.1%}'} |" if b[0] else
                   f"| {a[0]} | {'' if a[1] is None else f'{a[1]:.0%}'} | | | |")
    out += ["", "Threads: " + ", ".join(f"{t} {v:.0%}" for t, v in p["threads"]) + "."]
    return out


def doc(res, meta, work):
    servers = meta["servers"]
    out = ["## TLS (issue 15)", "",
           f"Commit `{meta['commit']}`{' (uncommitted changes)' if meta.get('dirty') else ''}, {meta['date']}; "
           f"{meta['jdk']}; {meta['cpu']} ({meta['nproc']} cores); kernel {meta['kernel']}; {meta['openssl']} "
           f"(s_time, s_client; {meta['wrk']}; {meta['nginx']}); Netty {meta['netty']} with netty-tcnative-boringssl-static "
           f"{meta['tcnative']}. Sluice: `cli/target/sluice.jar` of {meta.get('cli_jar_mtime', '?')} (sha256 "
           f"{meta.get('cli_jar_sha256', '?')}…), copied at the start. Load average {meta['loadavg_start']} at the start, {meta['loadavg_end']} at the end "
           f"(above ~2, other work shared the cores); {meta['elapsed_s']} s.", "",
           "```", meta["command"], "```", "",
           "Every server: the same self-signed ECDSA P-256 certificate (made with `openssl req` at the start of the run), "
           "TLSv1.3 only; the clients (wrk, `openssl s_time`, `s_client`) offer only TLS_AES_128_GCM_SHA256 "
           "(`OPENSSL_CONF`), which nginx and Netty also set; Sluice's CLI has no cipher flag, so there the client's "
           "offer decides. *negotiated*: what `openssl s_client` got from each server before its windows. "
           f"Server on core 1, clients on core 0; JVM servers with `{meta['jvm_flags']}`. "
           "Netty: epoll transport, one event loop, `SslHandler` from `SslContextBuilder` with "
           "`SslProvider.JDK` (netty-jdk) or `SslProvider.OPENSSL` (netty-openssl). nginx: one process, "
           "`ssl_session_tickets on`, no kTLS. Sluice: `respond` and `serve` with `--tls-cert/--tls-key`.", "",
           f"Each server is started once per round for scenarios 1-3 and once more (with `--root`) for 4; after "
           f"{meta['warm_s'][0]} s of keep-alive, {meta['warm_s'][1]} s of full and {meta['warm_s'][2]} s of resumed "
           f"handshakes (scenario 4: {meta['warm_s'][3]} s of the same load), windows of {meta['window_s']} s; "
           f"{meta['rounds']} round(s), the order reversed on even rounds; medians over rounds. "
           f"`s_time` runs as {meta['procs']} processes at once, each sequential (connect, handshake, GET, close); "
           "handshakes/s = the connections they count over the window's wall time. **CPU µs** = the server's "
           "utime+stime (`/proc/PID/stat`) over the window divided by the requests or handshakes. "
           "⁽ᶜᵇ⁾: the server's core was under 90% busy, so the client set the pace (one OpenSSL client core "
           "spends more on a full handshake than nginx does): compare CPU µs there, not the rate.", "",
           ]
    if meta["scenarios"]:
        out += ["### Results (medians)", ""] + results_table(res, servers)
        out += ["", "### Targets", ""] + targets(res)
    for sc, title in SCENARIOS.items():
        if any(res.has(sc, s) for s in servers):
            key, digits = ("mb_per_s", 0) if sc == "t4" else ("rps", 0)
            out += ["", f"### {title}", ""] + per_round(res, sc, servers, key, digits)
    if any(res.has("t3", s) for s in servers):
        out += ["", "*resumed*: the share of connections `s_time` marked as resumed (`r`; it prints one character "
                "per connection); scenario 2 must show 0%. wrk with `Connection: close` is no substitute for "
                "scenario 2: it keeps its session across reconnects (`SSL_clear` after `SSL_shutdown`), so it "
                "resumes (seen in nginx's `$ssl_session_reused` when this page was written)."]
    stalled = [r for (sc, s), rows in res.runs.items() if sc == "stalled" for r in rows]
    if meta.get("retries"):
        out += ["", f"Windows set aside as stalls (wrk: neither the server's core nor wrk's reached 80% busy; s_time: "
                f"the two cores together less than one core busy) and measured again: {len(stalled)}" + (": " + ", ".join(
                    f"{r.get('scenario')} {s} round {r['round']} ({n(r.get('rps', float('nan')))}/s)"
                    for (sc, s), rows in res.runs.items() if sc == "stalled" for r in rows) if stalled else "") + "."]
    if meta.get("failed") or meta.get("unsupported"):
        out += ["", "Not measured: " + "; ".join(meta.get("failed", []) + meta.get("unsupported", []))]
    prof = profile_section(work)
    if prof:
        out += [""] + prof
    return "\n".join(out) + "\n"


def splice(section, benchmarks_md):
    """Writes bench/doc/tls.md and replaces the TLS section of benchmarks_md (up to the next `## `)
    with it, or puts it before the profiling notes (or at the end) when there is none."""
    with open(os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "doc", "tls.md"), "w") as f:
        f.write(section)
    with open(benchmarks_md) as f:
        page = f.read()
    title = section.split("\n", 1)[0] + "\n"
    start = page.find(title)
    if start >= 0:
        end = page.find("\n## ", start + len(title))
        page = page[:start] + section.rstrip() + ("\n" + page[end:] if end >= 0 else "\n")
    else:
        at = page.find("\n## Profiling notes")
        page = page.rstrip() + "\n\n" + section if at < 0 else page[:at] + "\n" + section.rstrip() + "\n" + page[at:]
    with open(benchmarks_md, "w") as f:
        f.write(page)


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("work")
    ap.add_argument("--out")
    ap.add_argument("--doc", metavar="BENCHMARKS_MD",
                    help="also keep the section as bench/doc/tls.md and put it in BENCHMARKS_MD (docs/benchmarks.md)"
                         " in place of the one there, where bench/run.sh's report.py keeps it")
    a = ap.parse_args()
    runs, meta = load(a.work)
    res = Results(runs)
    text = doc(res, meta, a.work)
    out = a.out or os.path.join(a.work, "tls.md")
    with open(out, "w") as f:
        f.write(text)
    if a.doc:
        splice(text, a.doc)
    if meta["scenarios"]:
        print("\n".join(results_table(res, meta["servers"]) + [""] + targets(res)))
    print(f"\nwritten: {out}")


if __name__ == "__main__":
    main()
