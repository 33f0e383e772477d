#!/usr/bin/env python3
"""The driver behind bench/run.sh: starts each server (bench/server.sh) pinned to core 1, loads it
from core 0 (wrk for throughput, dev.sluice.bench.OpenLoop for open-loop latency and idle
connections), reads the server's CPU, memory and threads from /proc, and appends one line per
measured window to raw.tsv. report.py turns raw.tsv into the tables, charts and docs/benchmarks.md.

Every process it starts is stopped by PID when it ends, on an error, on Ctrl-C or on SIGTERM.
A server that does not start, or answers "unsupported", is reported and skipped.
"""
import argparse
import json
import os
import shlex
import signal
import socket
import subprocess
import sys
import threading
import time

import procfs

HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))   # bench/
ROOT = os.path.dirname(HERE)
SERVER_SH = os.environ.get("BENCH_SERVER_SH", os.path.join(HERE, "server.sh"))
JAVA_HOME = os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64")
JAVA = os.path.join(JAVA_HOME, "bin", "java")
CP = os.path.join(HERE, "target", "sluice-bench-0.1.0-SNAPSHOT.jar") + ":" + os.path.join(HERE, "target", "lib", "*")
LUA = os.path.join(HERE, "wrk", "bench.lua")
CLIENT_JVM = ["-Xms512m", "-Xmx512m", "-XX:+UseParallelGC"]
SERVER_CORE, CLIENT_CORE = "1", "0"

SLUICE = ["sluice-thread-per-connection", "sluice-pool", "sluice-virtual", "sluice-event-loop"]
HEADLINE = SLUICE + ["netty-epoll", "c-epoll", "nginx"]
REST = ["netty-nio", "undertow", "jetty", "helidon", "jdk"]
# Measured in every round of scenarios 1-3: the contenders of the targets there (Sluice's two
# engines that lead them, Netty epoll, C epoll). The others, the platform-thread engines and
# nginx among them (nginx's target is scenario 4, which runs every round), in round 1 only.
EVERY_ROUND = ["sluice-virtual", "sluice-event-loop", "netty-epoll", "c-epoll",
               "base-sluice-virtual", "base-sluice-event-loop"]   # the last two: run.sh --base REV
SEQUENTIAL = "sluice-sequential"
STATIC = ["sluice-event-loop", "sluice-virtual", "nginx"]
# Peers' keep-alive idle timeouts are 30 s or more; none of our idle windows lasts that long.
BIG_LIMIT = "19000"   # --max-connections for sluice where thousands of connections are the point

# A keep-alive window in which neither core reached this busy is a stall of this VM (see
# bench/engines.sh): set aside and measured again.
STALL_BUSY = 0.80


class Settings:
    def __init__(self, a):
        self.quick = a.quick
        # win: wrk windows of scenarios 1-4; short: open-loop windows and wrk in scenarios 6-8.
        if a.quick:
            self.win, self.short, self.warm, self.rounds, self.idle_n, self.many = 2, 2, (2, 1, 1), 1, 2000, 2000
        else:
            self.win, self.short, self.warm, self.rounds, self.idle_n, self.many = 4, 3, (2, 1, 1), 3, 10000, 5000
        if a.rounds:
            self.rounds = a.rounds
        if a.warm:
            # The keep-alive warm-up only: the pipelined and close warm-ups keep their second.
            self.warm = (a.warm,) + self.warm[1:]
        self.rest_rounds = 1
        # Scenario 6: interleaved wrk windows per setting (one window alone swung the ratio by 10 %).
        self.overload_windows = 1 if a.quick else 3
        self.rate = a.rate
        self.sleep_ms = 5
        self.sleep_conns = 400
        self.sleep_rate = 10000
        self.overload_rate = 10000
        self.many_rate = 10000
        self.retries = 0 if a.quick else 1


class Stopped(Exception):
    pass


class Runner:
    def __init__(self, settings, work, servers, scenarios):
        self.s = settings
        self.work = work
        self.servers = servers
        self.scenarios = scenarios
        self.raw = open(os.path.join(work, "raw.tsv"), "a")
        self.children = {}       # pid -> Popen: everything started and not yet reaped
        self.groups = set()      # pids that lead a process group of their own (servers)
        self.unsupported = {}    # (server, what) -> reason
        self.failed = []         # lines for the report
        self.nstart = 0
        self.metrics_flush = None   # scenario 4: True once the TCP metrics cache was emptied, False if it could not be
        self.scheme = "http"        # of wrk's URL; bench/harness/tls.py sets https
        self.client_env = None      # environment of the load generators (None: ours)

    # ---- processes ----
    def spawn(self, argv, core, out, err, stdin=subprocess.DEVNULL, own_group=False, env=None):
        p = subprocess.Popen(["taskset", "-c", core] + argv, stdout=out, stderr=err, stdin=stdin,
                             start_new_session=own_group, env=env)
        self.children[p.pid] = p
        if own_group:
            self.groups.add(p.pid)
        return p

    def stop(self, p, grace=10.0):
        """TERM, then KILL after `grace` seconds; for a server in its own group, the group too."""
        if p.pid not in self.children:
            return
        try:
            if p.poll() is None:
                p.send_signal(signal.SIGTERM)
                try:
                    p.wait(grace)
                except subprocess.TimeoutExpired:
                    p.kill()
                    p.wait(5)
            # Whatever the server left in the group we made for it (nginx workers, a forked child).
            if p.pid in self.groups:
                self.groups.discard(p.pid)
                try:
                    os.killpg(p.pid, signal.SIGKILL)
                except (ProcessLookupError, PermissionError):
                    pass
        finally:
            self.children.pop(p.pid, None)

    def stop_all(self):
        for p in list(self.children.values()):
            try:
                self.stop(p, grace=3.0)
            except Exception as e:   # keep stopping the rest
                print(f"could not stop pid {p.pid}: {e}", file=sys.stderr)

    # ---- servers ----
    def free_port(self):
        with socket.socket() as s:
            s.bind(("127.0.0.1", 0))
            return s.getsockname()[1]

    def start(self, name, extra=(), path="/", ready=None, label=None):
        """Starts `name`; returns (Popen, port) or None (reported) if it cannot serve. Serving means
        ready(port, path) is true: by default, any HTTP answer to a plain GET. `label` names the
        server in logs and reports (default: name)."""
        ready = ready or http_ok
        self.nstart += 1
        name, argv_name = label or name, name
        tag = f"{self.nstart:03d}-{name}"
        port = self.free_port()
        argv = ["bash", SERVER_SH, argv_name, str(port)] + list(extra)
        out = open(os.path.join(self.work, tag + ".out"), "w")
        err = open(os.path.join(self.work, tag + ".err"), "w")
        p = self.spawn(argv, SERVER_CORE, out, err, own_group=True)
        out.close()
        err.close()
        deadline = time.time() + 90
        while time.time() < deadline:
            if p.poll() is not None:
                self.children.pop(p.pid, None)
                text = open(os.path.join(self.work, tag + ".err")).read().strip()
                what = " ".join(extra) or "plain"
                if p.returncode == 2 and ("unsupported" in text.lower() or "does not support" in text):
                    self.unsupported[(name, what)] = text.splitlines()[-1][:120]
                    log(f"  {name} {what}: unsupported, skipped")
                else:
                    tail = " | ".join(text.splitlines()[-3:])[:300]
                    self.failed.append(f"{name} ({what}): exited {p.returncode} before serving: {tail}")
                    log(f"  {name} {what}: did not start (exit {p.returncode}): {tail}")
                return None
            if ready(port, path):
                return p, port
            time.sleep(0.2)
        self.failed.append(f"{name}: no HTTP answer on port {port} within 90 s")
        log(f"  {name}: no answer within 90 s, skipped")
        self.stop(p)
        return None

    # ---- loads ----
    def wrk(self, port, conns, secs, depth=1, close=False, path="/", pid=None):
        args = ["wrk", "-t1", f"-c{conns}", f"-d{secs}s", "--timeout", "5s", "-s", LUA]
        if close:
            args += ["-H", "Connection: close"]
        args += [f"{self.scheme}://127.0.0.1:{port}{path}", "--", str(depth)]
        cpu0 = procfs.cpu_seconds(pid) if pid else float("nan")
        t0 = time.time()
        out_path = os.path.join(self.work, "wrk.out")
        with open(out_path, "w") as out:
            p = self.spawn(args, CLIENT_CORE, out, subprocess.STDOUT, env=self.client_env)
            _, status, usage = os.wait4(p.pid, 0)
            p.returncode = os.waitstatus_to_exitcode(status)
            self.children.pop(p.pid, None)
        wall = time.time() - t0
        cpu1 = procfs.cpu_seconds(pid) if pid else float("nan")
        text = open(out_path).read()
        r = parse_kv(text, "wrk_result")
        if r is None:
            log("  wrk failed: " + " | ".join(text.strip().splitlines()[-3:]))
            return None
        secs_run = r["duration_us"] / 1e6
        n = r["requests"]
        server_cpu = cpu1 - cpu0
        res = {
            "rps": n / secs_run if secs_run else 0,
            "requests": n,
            "errors": r["connect_errors"] + r["read_errors"] + r["write_errors"] + r["timeouts"],
            "connect_errors": r["connect_errors"], "read_errors": r["read_errors"],
            "write_errors": r["write_errors"], "timeouts": r["timeouts"],
            "non2xx": r["status_errors"],
            "bytes_per_resp": r["bytes"] / n if n else 0,
            "server_util": server_cpu / wall,
            "cpu_us_per_req": server_cpu * 1e6 / n if n else float("nan"),
            "client_util": (usage.ru_utime + usage.ru_stime) / wall,
            "conns": conns,
        }
        return res

    def open_loop(self, port, conns, rate, secs, path="/", warmup=1, sample_pid=None):
        args = [JAVA] + CLIENT_JVM + ["-cp", CP, "dev.sluice.bench.OpenLoop", "--port", str(port),
                                      "--path", path, "--connections", str(conns), "--rate", str(rate),
                                      "--warmup", f"{warmup}s", "--duration", f"{secs}s"]
        out_path = os.path.join(self.work, "openloop.out")
        sample = {}
        with open(out_path, "w") as out:
            p = self.spawn(args, CLIENT_CORE, out, subprocess.STDOUT)
            if sample_pid:
                # Threads and RSS in the middle of the measured window.
                time.sleep(1 + warmup + secs / 2)
                if p.poll() is None:
                    sample = procfs.usage(sample_pid)
            try:
                p.wait(secs + warmup + 120)
            except subprocess.TimeoutExpired:
                log("  open loop did not finish; stopped")
            self.stop(p)
        text = open(out_path).read()
        r = parse_kv(text, "result")
        if r is None:
            log("  open loop failed: " + " | ".join(text.strip().splitlines()[-3:]))
            return None
        r["conns"] = conns
        if sample:
            r["rss_kb"], r["threads"] = sample["rss_kb"], sample["threads"]
        return r

    def keepalive(self, rnd, server, scenario, proc, port, conns, depth=1):
        """A keep-alive wrk window; a stalled one is set aside and measured again."""
        for attempt in range(self.s.retries + 1):
            r = self.wrk(port, conns, self.s.win, depth=depth, pid=proc.pid)
            if r is None:
                return None
            stalled = r["server_util"] < STALL_BUSY and r["client_util"] < STALL_BUSY and r["errors"] == 0
            if stalled and attempt < self.s.retries:
                self.record(rnd, server, "stalled", dict(r, scenario=scenario))
                log(f"    stalled (server {r['server_util']:.0%}, client {r['client_util']:.0%} busy): again")
                continue
            r["retries"] = attempt
            return r
        return None

    def record(self, rnd, server, scenario, values):
        if values is None:
            return
        kv = " ".join(f"{k}={fmt(v)}" for k, v in values.items())
        self.raw.write(f"{rnd}\t{scenario}\t{server}\t{kv}\n")
        self.raw.flush()
        brief = {k: values[k] for k in ("rps", "goodput_rps", "cpu_us_per_req", "server_util", "errors",
                                        "p50_us", "p99_us", "kib_per_conn", "threads") if k in values}
        log(f"    {scenario:<10} {server:<30} " + " ".join(f"{k}={fmt(v)}" for k, v in brief.items()))

    # ---- scenarios ----
    def plain_set(self, rnd, server):
        """Scenarios 1-3 and scenario 1's open-loop latency on one server start."""
        want = [x for x in ("1", "2", "3") if x in self.scenarios]
        if server == SEQUENTIAL:
            want = [x for x in want if x == "2"]   # one connection at a time: keep-alive starves
        if not want:
            return
        started = self.start(server)
        if not started:
            return
        proc, port = started
        try:
            k, c, pl = self.s.warm
            if server != SEQUENTIAL:
                self.wrk(port, 64, k)
                self.wrk(port, 64, pl, depth=16)
            self.wrk(port, 64, c, close=True)
            if "1" in want:
                for conns in (64, 256):
                    self.record(rnd, server, f"s1-{conns}", self.keepalive(rnd, server, f"s1-{conns}", proc, port, conns))
            if "2" in want:
                r = self.wrk(port, 64, self.s.win, close=True, pid=proc.pid)
                if r is not None:
                    # A server that ignores Connection: close is measured on keep-alive: flag it.
                    r["closes"] = 1 if answers_close(port) else 0
                self.record(rnd, server, "s2", r)
            if "3" in want:
                self.record(rnd, server, "s3", self.keepalive(rnd, server, "s3", proc, port, 64, depth=16))
            if "1" in want:
                self.record(rnd, server, "s1-lat", self.open_loop(port, 64, self.s.rate, self.s.short))
        finally:
            self.stop(proc)

    def static_set(self, rnd, server, root):
        self.forget_tcp_metrics()
        started = self.start(server, ["--root", root], path="/1m.bin")
        if not started:
            return
        proc, port = started
        try:
            self.wrk(port, 16, 2, path="/1m.bin")
            self.record(rnd, server, "s4", self.wrk(port, 16, self.s.win, path="/1m.bin", pid=proc.pid))
        finally:
            self.stop(proc)

    def forget_tcp_metrics(self):
        """Empties the kernel's per-destination TCP metrics cache (ssthresh, RTT, reordering of
        past connections to 127.0.0.1), which new connections start from: with what earlier
        scenarios left there, nginx's 1 MiB result ranged from 2,600 to 4,700 req/s between runs;
        from an empty cache three runs by hand came within 5 % (a full run after that still had
        one nginx window of three at 4,470). Needs root; without it, the run says so."""
        try:
            r = subprocess.run(["ip", "tcp_metrics", "flush", "all"], capture_output=True, text=True)
            why = None if r.returncode == 0 else (r.stderr.strip() or "ip failed")
        except OSError as e:   # no ip (iproute2)
            why = str(e)
        if why is None:
            if self.metrics_flush is None:
                self.metrics_flush = True
        elif self.metrics_flush is not False:
            self.metrics_flush = False
            log("  could not flush the TCP metrics cache (" + why + "): scenario 4 depends on the cores' history")

    def idle_set(self, server):
        extra = ["--max-connections", BIG_LIMIT] if server.startswith("sluice-") else []
        started = self.start(server, extra)
        if not started:
            return
        proc, port = started
        n = self.s.idle_n
        try:
            time.sleep(1)
            before = procfs.memory(proc.pid, CLIENT_CORE)
            args = [JAVA] + CLIENT_JVM + ["-cp", CP, "dev.sluice.bench.OpenLoop", "--port", str(port),
                                          "--idle", str(n), "--timeout", "10s"]
            out_path = os.path.join(self.work, f"idle-{server}.out")
            with open(out_path, "w") as out:
                p = self.spawn(args, CLIENT_CORE, out, subprocess.STDOUT, stdin=subprocess.PIPE)
                try:
                    ready = wait_for_line(out_path, "ready", p, 180)
                    time.sleep(1)
                    after = procfs.memory(proc.pid, CLIENT_CORE) if ready else None
                finally:
                    try:
                        p.stdin.close()
                    except OSError:
                        pass
                    try:
                        p.wait(5)
                    except subprocess.TimeoutExpired:
                        pass
                    self.stop(p)
            if not ready or after is None:
                log(f"  {server}: idle client did not get ready")
                self.failed.append(f"{server}: idle connections: the client did not get ready")
                return
            r = parse_kv(open(out_path).read(), "ready")
            held = parse_kv(open(out_path).read(), "closed") or {}
            answered = max(1, r["answered"])
            v = {"asked": n, "answered": r["answered"], "not_tried": r.get("not_tried", 0),
                 "still_open": held.get("still_open", -1),
                 "rss_base_kb": before["rss_kb"], "rss_kb": after["rss_kb"],
                 "threads_base": before["threads"], "threads": after["threads"],
                 "heap_base_kb": before.get("heap_kb", float("nan")), "heap_kb": after.get("heap_kb", float("nan")),
                 "jvm": 1 if "heap_kb" in after else 0}
            heap_growth = (after["heap_kb"] - before["heap_kb"]) if "heap_kb" in after else 0
            v["heap_kib_per_conn"] = heap_growth / answered
            v["rss_kib_per_conn"] = (after["rss_kb"] - before["rss_kb"]) / answered
            v["kib_per_conn"] = v["heap_kib_per_conn"] + v["rss_kib_per_conn"]
            v["threads_per_conn"] = (after["threads"] - before["threads"]) / answered
            self.record(1, server, "s5", v)
        finally:
            self.stop(proc)

    def overload_set(self, server):
        """Scenario 6: the engine at 500 connections without a limit, at 2,000 with
        --max-connections 500, and at 2,000 without a limit (the same clients, no admission
        control). The servers run at once (those not under load are idle, so they cost the other
        nothing), and their wrk windows alternate, so all see the same drift of the machine."""
        limit, crowd = 500, 2000
        running = []
        try:
            for label, conns, extra in (("s6-base", limit, []), ("s6-over", crowd, ["--max-connections", str(limit)]),
                                        ("s6-flood", crowd, ["--max-connections", BIG_LIMIT])):
                started = self.start(server, extra)
                if started:
                    running.append((label, conns) + started)
            # Each warms up while the JIT of the one before finishes (one 2-s warm-up for two
            # servers left both first windows 10-30 % low).
            for label, conns, proc, port in running:
                self.wrk(port, conns, 3)
            for i in range(self.s.overload_windows):
                for label, conns, proc, port in (running if i % 2 == 0 else running[::-1]):
                    self.record(i + 1, server, label, self.wrk(port, conns, self.s.short, pid=proc.pid))
            for label, conns, proc, port in running:
                if label != "s6-flood":
                    self.record(1, server, label + "-lat", self.open_loop(port, conns, self.s.overload_rate, self.s.short))
        finally:
            for *_, proc, _ in running:
                self.stop(proc)

    def sleep_set(self, server):
        started = self.start(server, ["--sleep-ms", str(self.s.sleep_ms)])
        if not started:
            return
        proc, port = started
        try:
            conns = self.s.sleep_conns
            self.wrk(port, conns, 1)   # warm-up: tens of thousands of requests
            self.record(1, server, "s7", self.wrk(port, conns, self.s.short, pid=proc.pid))
            self.record(1, server, "s7-lat", self.open_loop(port, conns, self.s.sleep_rate, self.s.short))
        finally:
            self.stop(proc)

    def many_set(self, server):
        started = self.start(server, ["--max-connections", BIG_LIMIT])
        if not started:
            return
        proc, port = started
        n = self.s.many
        try:
            self.wrk(port, n, 2)
            sample = {}
            secs = self.s.short + 2   # thousands of handshakes eat the start of the window

            def mid():
                time.sleep(secs / 2)
                sample.update(procfs.usage(proc.pid))
            t = threading.Thread(target=mid)
            t.start()
            r = self.wrk(port, n, secs, pid=proc.pid)
            t.join()
            if r is not None:
                r.update(rss_kb=sample.get("rss_kb", float("nan")), threads=sample.get("threads", float("nan")))
            self.record(1, server, "s8", r)
            self.record(1, server, "s8-lat", self.open_loop(port, n, self.s.many_rate, self.s.short, sample_pid=proc.pid))
        finally:
            self.stop(proc)

    def run(self):
        sel = lambda names: [x for x in names if x in self.servers]
        plain = sel(HEADLINE) + [x for x in self.servers if x not in HEADLINE]
        # An older build (run.sh --base) runs right after its counterpart, so the two alternate.
        for base in [x for x in plain if x.startswith("base-")]:
            plain.remove(base)
            twin = base[len("base-"):]
            plain.insert(plain.index(twin) + 1 if twin in plain else len(plain), base)
        if any(x in self.scenarios for x in "123"):
            for rnd in range(1, self.s.rounds + 1):
                order = [x for x in plain if x in EVERY_ROUND or rnd <= self.s.rest_rounds]
                if rnd % 2 == 0:
                    order.reverse()   # against drift
                log(f"round {rnd} of {self.s.rounds}: scenarios 1-3 ({elapsed()} s elapsed)")
                for server in order:
                    log(f"  {server}")
                    self.plain_set(rnd, server)
                if "4" in self.scenarios:
                    self.static_round(rnd)
        elif "4" in self.scenarios:
            for rnd in range(1, self.s.rounds + 1):
                self.static_round(rnd)
        if "5" in self.scenarios:
            log(f"scenario 5: {self.s.idle_n} idle connections ({elapsed()} s elapsed)")
            for server in [x for x in plain if x != SEQUENTIAL]:
                self.idle_set(server)
        if "6" in self.scenarios:
            log(f"scenario 6: overload ({elapsed()} s elapsed)")
            for server in sel(SLUICE):
                self.overload_set(server)
        if "7" in self.scenarios:
            log(f"scenario 7: a handler that sleeps {self.s.sleep_ms} ms ({elapsed()} s elapsed)")
            for server in [x for x in plain if x != SEQUENTIAL]:
                self.sleep_set(server)
        if "8" in self.scenarios:
            log(f"scenario 8: {self.s.many} connections ({elapsed()} s elapsed)")
            for server in sel(SLUICE):
                self.many_set(server)

    def static_round(self, rnd):
        root = os.path.join(self.work, "www")
        if not os.path.exists(os.path.join(root, "1m.bin")):
            os.makedirs(root, exist_ok=True)
            with open(os.path.join(root, "1m.bin"), "wb") as f:
                f.write(os.urandom(1 << 20))
        order = [x for x in STATIC if x in self.servers]
        if rnd % 2 == 0:
            order.reverse()
        log(f"round {rnd}: scenario 4, 1 MiB static file ({elapsed()} s elapsed)")
        for server in order:
            self.static_set(rnd, server, root)


# ---- small helpers ----
T0 = time.time()


def elapsed():
    return int(time.time() - T0)


def log(msg):
    print(msg, file=sys.stderr, flush=True)


def fmt(v):
    if isinstance(v, float):
        return "nan" if v != v else f"{v:.6g}"
    return str(v)


def parse_kv(text, prefix):
    """The last line starting with `prefix `, as a dict of numbers."""
    for line in reversed(text.splitlines()):
        if line.startswith(prefix + " "):
            d = {}
            for part in line[len(prefix) + 1:].split():
                k, _, v = part.partition("=")
                try:
                    d[k] = int(v)
                except ValueError:
                    d[k] = float(v)
            return d
    return None


def wait_for_line(path, prefix, proc, timeout):
    deadline = time.time() + timeout
    while time.time() < deadline:
        with open(path) as f:
            if any(line.startswith(prefix) for line in f):
                return True
        if proc.poll() is not None:
            return False
        time.sleep(0.2)
    return False


def answers_close(port):
    """True if a request with Connection: close gets Connection: close and then the end of stream."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=3) as s:
            s.settimeout(3)
            s.sendall(b"GET / HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n")
            buf = b""
            while True:
                chunk = s.recv(65536)
                if not chunk:
                    break
                buf += chunk
            head = buf.split(b"\r\n\r\n", 1)[0].decode("latin-1").lower()
            return any(l.replace(" ", "") == "connection:close" for l in head.split("\r\n"))
    except OSError:
        return False


def http_ok(port, path):
    """True once the server answers a GET with any HTTP status line."""
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=2) as s:
            s.settimeout(2)
            s.sendall(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
            return s.recv(16).startswith(b"HTTP/1.")
    except OSError:
        return False


def loadavg():
    with open("/proc/loadavg") as f:
        return ", ".join(f.read().split()[:3])


def machine():
    """Where and what was measured: commit, JDK, CPU, kernel, tool versions."""
    def sh(*argv):
        r = subprocess.run(argv, capture_output=True, text=True)
        return (r.stdout + r.stderr).strip()
    cpu = next((l.split(":", 1)[1].strip() for l in open("/proc/cpuinfo") if l.startswith("model name")), "?")
    jdk = subprocess.run([JAVA, "-version"], capture_output=True, text=True).stderr.strip().splitlines()
    flags = os.environ.get("BENCH_JVM_FLAGS") or next(
        (l.split("=", 1)[1].strip().strip('"') for l in open(SERVER_SH) if l.startswith("DEFAULT_JVM_FLAGS=")), "?")
    return {
        "jvm_flags": flags,
        "commit": sh("git", "-C", ROOT, "rev-parse", "--short", "HEAD"),
        "dirty": bool(sh("git", "-C", ROOT, "status", "--porcelain", "--untracked-files=no")),
        "date": time.strftime("%Y-%m-%d %H:%M UTC", time.gmtime()),
        "jdk": " ".join(jdk[:2]) if jdk else "?",
        "cpu": cpu, "nproc": os.cpu_count(), "kernel": os.uname().release, "loadavg_start": loadavg(),
        "wrk": (sh("wrk", "-v").splitlines() or ["wrk ?"])[0].split(" [")[0],
    }


def main():
    ap = argparse.ArgumentParser(prog="bench/run.sh", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="one short round of the headline servers: a smoke test")
    ap.add_argument("--rounds", type=int, help="interleaved rounds for scenarios 1-4 (default 3)")
    ap.add_argument("--warm", type=int, help="seconds of keep-alive warm-up before each server's windows (default 2)")
    ap.add_argument("--scenarios", default="1,2,3,4,5,6,7,8", help="comma-separated, e.g. 1,2,5")
    ap.add_argument("--servers", help="comma-separated names from bench/server.sh --list")
    ap.add_argument("--rate", type=int, default=20000, help="open-loop rate for scenario 1's latency (req/s)")
    ap.add_argument("--work", help="directory for raw results and logs (default: a new one in /tmp)")
    ap.add_argument("--command", default="bench/run.sh", help=argparse.SUPPRESS)
    ap.add_argument("--base", help=argparse.SUPPRESS)   # the commit base-sluice-* runs (run.sh --base)
    a = ap.parse_args()
    s = Settings(a)
    scenarios = set(x.strip() for x in a.scenarios.split(",") if x.strip())
    known = subprocess.run(["bash", SERVER_SH, "--list"], capture_output=True, text=True).stdout.split()
    if not known:
        sys.exit(f"{SERVER_SH} --list printed no servers")
    if a.servers:
        servers = [x.strip() for x in a.servers.split(",") if x.strip()]
        bad = [x for x in servers if x not in known]
        if bad:
            sys.exit(f"unknown server(s) {', '.join(bad)}; known: {' '.join(known)}")
    elif a.quick:
        servers = [x for x in HEADLINE if x in known]
    else:
        servers = [x for x in HEADLINE + REST + [SEQUENTIAL] if x in known] + \
                  [x for x in known if x not in HEADLINE + REST + [SEQUENTIAL]]
    work = a.work or subprocess.run(["mktemp", "-d", "/tmp/sluice-bench.XXXXXX"], capture_output=True,
                                    text=True).stdout.strip()
    os.makedirs(work, exist_ok=True)
    runner = Runner(s, work, servers, scenarios)

    def on_signal(signum, frame):
        raise Stopped(signal.Signals(signum).name)
    signal.signal(signal.SIGTERM, on_signal)
    signal.signal(signal.SIGINT, on_signal)
    signal.signal(signal.SIGHUP, on_signal)
    info = machine()
    log(f"work directory {work}; servers: {' '.join(servers)}; scenarios: {','.join(sorted(scenarios))}")
    try:
        runner.run()
    except Stopped as e:
        runner.stop_all()
        log(f"stopped by {e}; partial results in {work}/raw.tsv")
        sys.exit(130)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        runner.stop_all()
        runner.raw.close()
    meta = dict(info, **{
        "command": a.command, "quick": s.quick, "rounds": s.rounds, "rest_rounds": s.rest_rounds,
        "overload_windows": s.overload_windows,
        "window_s": s.win, "short_s": s.short, "warm_s": list(s.warm), "rate": s.rate, "idle_n": s.idle_n, "many": s.many,
        "sleep_ms": s.sleep_ms, "sleep_conns": s.sleep_conns, "sleep_rate": s.sleep_rate,
        "overload_rate": s.overload_rate, "many_rate": s.many_rate, "retries": s.retries,
        "servers": servers, "headline": [x for x in EVERY_ROUND if x in servers],
        "scenarios": sorted(scenarios), "elapsed_s": elapsed(),
        "unsupported": [f"{k[0]} ({k[1]}): {v}" for k, v in runner.unsupported.items()],
        "failed": runner.failed, "loadavg_end": loadavg(), "tcp_metrics_flushed": runner.metrics_flush,
        "client_jvm": " ".join(CLIENT_JVM), "base": a.base,
    })
    with open(os.path.join(work, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(work)


if __name__ == "__main__":
    main()
