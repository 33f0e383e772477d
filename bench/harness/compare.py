#!/usr/bin/env python3
"""Old build against new, from one run of `bench/run.sh --base REV`: a Markdown page.

    python3 bench/harness/compare.py WORK_DIR [--out FILE]

For scenarios 1-3 it takes each server's median req/s and median server CPU per request over the
rounds (every window of one run, interleaved), then the ratios that matter for a change that must
not be slower: new/old for each Sluice engine, and each build against Netty epoll and the C epoll
server measured in the same run. Standard library only.
"""
import argparse
import json
import os
import statistics

SCENARIOS = [("s1-64", "keep-alive, 64 connections"), ("s1-256", "keep-alive, 256 connections"),
             ("s2", "connection per request"), ("s3", "pipelined x16")]
ENGINES = ["sluice-event-loop", "sluice-virtual"]
PEERS = ["netty-epoll", "c-epoll"]


def load(work):
    """{(scenario, server): [dict of floats per window]} from raw.tsv."""
    out = {}
    with open(os.path.join(work, "raw.tsv")) as f:
        for line in f:
            parts = line.rstrip("\n").split("\t")
            if len(parts) < 4:
                continue
            values = {}
            for kv in parts[3].split():
                k, _, v = kv.partition("=")
                try:
                    values[k] = float(v)
                except ValueError:
                    pass
            out.setdefault((parts[1], parts[2]), []).append(values)
    return out


def median(rows, key):
    xs = [r[key] for r in rows if key in r and r.get("errors", 0) == 0]
    return statistics.median(xs) if xs else None


def ratio(a, b):
    return f"{a / b:.2f}x" if a is not None and b else "n/a"


def num(v, fmt="{:,.0f}"):
    return fmt.format(v) if v is not None else "n/a"


def page(work):
    res = load(work)
    meta = json.load(open(os.path.join(work, "meta.json")))
    rps = lambda sc, s: median(res.get((sc, s), []), "rps")
    cpu = lambda sc, s: median(res.get((sc, s), []), "cpu_us_per_req")
    lines = [f"Commit {meta.get('commit')} (new) against {meta.get('base')} (old), one run of "
             f"`{meta.get('command')}` on {meta.get('date')}; {meta.get('jdk')}; {meta.get('cpu')}; "
             f"{meta.get('rounds')} interleaved rounds, medians; load average "
             f"{meta.get('loadavg_start')} at the start, {meta.get('loadavg_end')} at the end.", "",
             "| scenario | server | req/s | CPU µs/req |", "|---|---|---|---|"]
    servers = [s for e in ENGINES for s in (e, "base-" + e)] + PEERS
    for sc, title in SCENARIOS:
        for s in servers:
            if (sc, s) in res:
                lines.append(f"| {title} | {s} | {num(rps(sc, s))} | {num(cpu(sc, s), '{:.2f}')} |")
    lines += ["", "Ratios (req/s; CPU per request in brackets, lower is better):", "",
              "| scenario | engine | new / old | new vs Netty epoll | old vs Netty epoll "
              "| new vs C epoll | old vs C epoll |", "|---|---|---|---|---|---|---|"]
    for sc, title in SCENARIOS:
        for e in ENGINES:
            b = "base-" + e
            if (sc, e) not in res or (sc, b) not in res:
                continue
            cells = [f"{ratio(rps(sc, x), rps(sc, y))} ({ratio(cpu(sc, x), cpu(sc, y))})"
                     for x, y in ((e, b), (e, "netty-epoll"), (b, "netty-epoll"), (e, "c-epoll"), (b, "c-epoll"))]
            lines.append(f"| {title} | {e[len('sluice-'):]} | " + " | ".join(cells) + " |")
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("work")
    ap.add_argument("--out")
    a = ap.parse_args()
    text = page(a.work)
    if a.out:
        with open(a.out, "w") as f:
            f.write(text)
    print(text, end="")


if __name__ == "__main__":
    main()
