#!/usr/bin/env python3
"""The driver behind bench/tls.sh: HTTPS against Sluice's engines, nginx and Netty (JDK and OpenSSL
providers), all with the same ECDSA P-256 certificate and TLSv1.3, server on core 1, clients on
core 0. It reuses run.py's Runner (server start and stop by PID, wrk windows with the server's CPU
from /proc) and writes the same raw.tsv and meta.json; tls_report.py turns them into markdown.

Scenarios, each a window per server per round (rounds interleaved, order reversed on even ones):
  t1  keep-alive: wrk -t1 -c64 over https, small answers            req/s, server CPU µs/req
  t2  full handshakes: `openssl s_time -new`, a new TLS connection and one HTTP/1.0 GET each, from
      --procs processes at once                                      handshakes/s, CPU µs/handshake
  t3  resumed handshakes: `openssl s_time -reuse` (the session of a first full handshake offered on
      every connection; s_time marks each resumed one 'r', which is counted)
  t4  a 1 MiB file over keep-alive: wrk -c16 /1m.bin, each server started with --root    MB/s
--profile S: afterwards, S seconds of t2's load (or --profile-scenario 1 or 4's) on one server
(default sluice-event-loop) under JFR, summarised by jfr_summary.py.
"""
import argparse
import hashlib
import json
import os
import re
import shutil
import signal
import subprocess
import sys
import time

import procfs
import run
from run import CLIENT_CORE, log

# label -> (bench/server.sh NAME, extra arguments). The labels are what the report shows.
SERVERS = {
    "sluice-event-loop": ("sluice-event-loop", []),
    "sluice-virtual": ("sluice-virtual", []),
    "sluice-event-loop-conscrypt": ("sluice-event-loop", ["--tls-provider", "conscrypt"]),
    "sluice-virtual-conscrypt": ("sluice-virtual", ["--tls-provider", "conscrypt"]),
    "sluice-event-loop-tcnative": ("sluice-event-loop", ["--tls-provider", "tcnative"]),
    "sluice-virtual-tcnative": ("sluice-virtual", ["--tls-provider", "tcnative"]),
    "nginx": ("nginx", []),
    "netty-jdk": ("netty-epoll", ["--tls-provider", "jdk"]),
    "netty-openssl": ("netty-epoll", ["--tls-provider", "openssl"]),
}
SUITE = "TLS_AES_128_GCM_SHA256"
# Every OpenSSL client (wrk, s_time, s_client) reads this through OPENSSL_CONF: TLSv1.3 and the one
# suite, so each server negotiates the same even where the suite cannot be set on the server.
CLIENT_CNF = f"""openssl_conf = openssl_init
[openssl_init]
ssl_conf = ssl_sect
[ssl_sect]
system_default = system_default_sect
[system_default_sect]
MinProtocol = TLSv1.3
Ciphersuites = {SUITE}
"""
# s_time's progress: one character per connection, 'r' when the session was resumed.
PROGRESS = re.compile(r"[*rt3]+")


class Settings:
    def __init__(self, a):
        self.quick = a.quick
        self.rounds = a.rounds or (1 if a.quick else 3)
        self.win = a.window or (2 if a.quick else 3)
        # Warm-up after each start: keep-alive, full handshakes (the JIT of the handshake path),
        # resumed handshakes, and the 1 MiB file.
        self.warm_ka, self.warm_hs, self.warm_re, self.warm_file = (2, 2, 1, 1) if a.quick else (3, 3, 1, 2)
        if a.warm:  # a JVM whose JIT is slow that day (a loaded host) needs longer to reach its steady state
            self.warm_ka, self.warm_hs, self.warm_re, self.warm_file = a.warm, a.warm, a.warm, a.warm
        self.procs = a.procs
        self.profile = a.profile
        self.profile_server = a.profile_server
        self.profile_scenario = a.profile_scenario
        # A stalled window (see TlsRunner.window) is set aside and measured again, once.
        self.retries = 0 if a.quick else 1


class TlsRunner(run.Runner):
    def __init__(self, settings, work, servers, scenarios):
        super().__init__(settings, work, servers, scenarios)
        self.scheme = "https"
        self.cert, self.key = make_cert(work)
        cnf = os.path.join(work, "openssl-client.cnf")
        with open(cnf, "w") as f:
            f.write(CLIENT_CNF)
        self.client_env = dict(os.environ, OPENSSL_CONF=cnf)
        self.last_probe = None
        self.profile_summary = None

    # ---- TLS ----
    def probe(self, port, path="/"):
        """One GET over `openssl s_client`: {'protocol', 'cipher', 'group'} of the session if an
        HTTP answer came back, else None."""
        req = f"GET {path} HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n".encode()
        try:
            r = subprocess.run(["taskset", "-c", CLIENT_CORE, "openssl", "s_client", "-connect", f"127.0.0.1:{port}",
                                "-servername", "localhost", "-brief", "-ign_eof"],
                               input=req, capture_output=True, timeout=10, env=self.client_env)
        except subprocess.TimeoutExpired:
            return None
        if not r.stdout.startswith(b"HTTP/1."):
            return None
        err = r.stderr.decode("latin-1")
        info = {}
        for key, pattern in (("protocol", r"Protocol version: (\S+)"), ("cipher", r"Ciphersuite: (\S+)"),
                             ("group", r"(?:Server Temp Key|Negotiated TLS1.3 group): ([^,\s]+)")):
            m = re.search(pattern, err)
            info[key] = m.group(1) if m else "?"
        self.last_probe = info
        return info

    def ready(self, port, path):
        return self.probe(port, path) is not None

    def start_tls(self, label, extra=(), path="/"):
        name, more = SERVERS[label]
        self.last_probe = None
        return self.start(name, more + ["--tls-cert", self.cert, "--tls-key", self.key] + list(extra),
                          path=path, ready=self.ready, label=label)

    def s_time(self, port, secs, mode, pid=None):
        """`openssl s_time -new|-reuse` from --procs processes for `secs` seconds: handshakes/s
        (connections counted by s_time over our wall time), the server's CPU per handshake, and
        how many connections s_time saw resumed."""
        args = ["openssl", "s_time", "-connect", f"127.0.0.1:{port}", f"-{mode}", "-time", str(secs), "-www", "/",
                "-no-CAfile", "-no-CApath", "-no-CAstore", "-tls1_3", "-ciphersuites", SUITE]
        cpu0 = procfs.cpu_seconds(pid) if pid else float("nan")
        t0 = time.time()
        procs, paths = [], []
        for i in range(self.s.procs):
            path = os.path.join(self.work, f"s_time.{i}.out")
            with open(path, "w") as out:
                procs.append(self.spawn(args, CLIENT_CORE, out, subprocess.STDOUT, env=self.client_env))
            paths.append(path)
        client_cpu, deadline = 0.0, time.time() + secs + 60
        for p in procs:
            while True:
                got, status, usage = os.wait4(p.pid, os.WNOHANG)
                if got:
                    self.children.pop(p.pid, None)
                    client_cpu += usage.ru_utime + usage.ru_stime
                    break
                if time.time() > deadline:   # s_time has no read timeout of its own
                    log(f"  s_time -{mode} did not finish; stopped")
                    self.stop(p)
                    break
                time.sleep(0.05)
        wall = time.time() - t0
        cpu1 = procfs.cpu_seconds(pid) if pid else float("nan")
        conns = full = reused = 0
        for path in paths:
            text = open(path).read()
            m = re.search(r"^(\d+) connections in \d+ real seconds", text, re.M)
            if not m:
                log(f"  s_time -{mode} failed: " + " | ".join(text.strip().splitlines()[-3:])[:300])
                return None
            conns += int(m.group(1))
            for line in text.splitlines():
                if PROGRESS.fullmatch(line):
                    reused += line.count("r")
                    full += len(line) - line.count("r")
        server_cpu = cpu1 - cpu0
        # s_time stops at a connection it cannot make (no count line, caught above): none failed.
        return {"rps": conns / wall, "handshakes": conns, "full": full, "reused": reused, "errors": 0,
                "reused_share": reused / max(1, full + reused),
                "cpu_us_per_req": server_cpu * 1e6 / conns if conns else float("nan"),
                "server_util": server_cpu / wall, "client_util": client_cpu / wall, "procs": self.s.procs}

    # ---- scenarios ----
    def window(self, rnd, label, scenario, measure):
        """measure() once, and again (at most once) while the window looks like a stall of this VM
        or of whatever else shares it: with wrk, neither the server's core nor wrk's reached
        run.STALL_BUSY; with s_time, whose processes and the server take turns on each connection,
        the two cores' busy shares add up to less than one core."""
        for attempt in range(self.s.retries + 1):
            r = measure()
            if r is None:
                return None
            if "handshakes" in r:
                stalled = r["server_util"] + r["client_util"] < 1.0
            else:
                stalled = r["server_util"] < run.STALL_BUSY and r["client_util"] < run.STALL_BUSY and not r.get("errors")
            if stalled and attempt < self.s.retries:
                self.record(rnd, label, "stalled", dict(r, scenario=scenario))
                log(f"    stalled (server {r['server_util']:.0%}, client {r['client_util']:.0%} busy): again")
                continue
            r["retries"] = attempt
            return r
        return None

    def handshake_set(self, rnd, label):
        """t1-t3 on one start of the server."""
        started = self.start_tls(label)
        if not started:
            return
        proc, port = started
        negotiated = dict(self.last_probe or {})
        try:
            self.wrk(port, 64, self.s.warm_ka)
            if "2" in self.scenarios or "3" in self.scenarios:
                self.s_time(port, self.s.warm_hs, "new")
                self.s_time(port, self.s.warm_re, "reuse")
            if "1" in self.scenarios:
                r = self.window(rnd, label, "t1", lambda: self.wrk(port, 64, self.s.win, pid=proc.pid))
                self.record(rnd, label, "t1", r and dict(r, **negotiated))
            if "2" in self.scenarios:
                self.record(rnd, label, "t2", self.window(rnd, label, "t2",
                                                          lambda: self.s_time(port, self.s.win, "new", proc.pid)))
            if "3" in self.scenarios:
                self.record(rnd, label, "t3", self.window(rnd, label, "t3",
                                                          lambda: self.s_time(port, self.s.win, "reuse", proc.pid)))
        finally:
            self.stop(proc)

    def file_set(self, rnd, label, root):
        self.forget_tcp_metrics()
        started = self.start_tls(label, ["--root", root], path="/1m.bin")
        if not started:
            return
        proc, port = started
        try:
            self.wrk(port, 16, self.s.warm_file, path="/1m.bin")
            r = self.window(rnd, label, "t4", lambda: self.wrk(port, 16, self.s.win, path="/1m.bin", pid=proc.pid))
            if r:
                r["mb_per_s"] = r["rps"] * r["bytes_per_resp"] / 1e6
            self.record(rnd, label, "t4", r)
        finally:
            self.stop(proc)

    def run(self):
        root = os.path.join(self.work, "www")
        os.makedirs(root, exist_ok=True)
        with open(os.path.join(root, "1m.bin"), "wb") as f:
            f.write(os.urandom(1 << 20))
        for rnd in range(1, self.s.rounds + 1):
            order = list(self.servers) if rnd % 2 else self.servers[::-1]   # against drift
            if self.scenarios & {"1", "2", "3"}:
                log(f"round {rnd} of {self.s.rounds}: keep-alive and handshakes ({run.elapsed()} s elapsed)")
                for label in order:
                    log(f"  {label}")
                    self.handshake_set(rnd, label)
            if "4" in self.scenarios:
                log(f"round {rnd} of {self.s.rounds}: 1 MiB file ({run.elapsed()} s elapsed)")
                for label in order:
                    self.file_set(rnd, label, root)
        if self.s.profile:
            self.profile(self.s.profile_server, self.s.profile, self.s.profile_scenario)

    # ---- profile ----
    def profile(self, label, secs, scenario):
        """JFR over `secs` seconds of scenario 2's load (full handshakes), or 1's or 4's, with
        JDK 25's CPU-time sampler on; summarised by jfr_summary.py into profile.json, with
        `jfr view hot-methods` in profile-hot-methods.txt."""
        log(f"profile: {label}, {secs} s of scenario {scenario} under JFR ({run.elapsed()} s elapsed)")
        root = os.path.join(self.work, "www")
        started = self.start_tls(label, ["--root", root], path="/1m.bin") if scenario == "4" else self.start_tls(label)
        if not started:
            return
        proc, port = started
        loads = {"1": lambda t, pid=None: self.wrk(port, 64, t, pid=pid),
                 "2": lambda t, pid=None: self.s_time(port, t, "new", pid),
                 "4": lambda t, pid=None: self.wrk(port, 16, t, path="/1m.bin", pid=pid)}
        try:
            bin_dir = procfs.jdk_bin(proc.pid)
            if not bin_dir:
                log(f"  {label} is not a JVM: no JFR profile")
                return
            if scenario != "4":
                self.wrk(port, 64, self.s.warm_ka)
            loads[scenario](2 * self.s.warm_hs)
            jfr_file = os.path.join(self.work, f"profile-{label}.jfr")
            jcmd = lambda *a: subprocess.run(["taskset", "-c", CLIENT_CORE, os.path.join(bin_dir, "jcmd"), str(proc.pid)]
                                             + list(a), capture_output=True, text=True, timeout=60)
            # JDK 25's CPU-time sampler (JEP 509) sees threads in native code too; older JDKs
            # reject the option, and ExecutionSample is all there is.
            r = jcmd("JFR.start", "name=tls-profile", "settings=profile", "jdk.CPUTimeSample#enabled=true",
                     "jdk.CPUTimeSample#throttle=1ms")
            if r.returncode != 0 or "Could not" in r.stdout:
                r = jcmd("JFR.start", "name=tls-profile", "settings=profile")
            if r.returncode != 0:
                log("  JFR.start failed: " + (r.stdout + r.stderr).strip()[-300:])
                return
            load = loads[scenario](secs, proc.pid)
            jcmd("JFR.stop", "name=tls-profile", f"filename={jfr_file}")
            self.record(1, label, "profile", load)
        finally:
            self.stop(proc)
        import jfr_summary
        summary = jfr_summary.summarise(jfr_file, os.path.join(bin_dir, "jfr"), self.work)
        summary.update(server=label, seconds=secs, load=load, jfr=jfr_file, scenario=scenario)
        with open(os.path.join(self.work, "profile.json"), "w") as f:
            json.dump(summary, f, indent=1)
        log(f"  {summary['samples']} samples; {jfr_summary.one_line(summary)}")


def snapshot_cli_jar(work):
    """Copies cli/target/sluice.jar into the work directory and points server.sh at the copy
    ($SLUICE_CLI_JAR): a build made while the run goes on (another session's `mvn`) would
    otherwise change the Sluice under test between rounds. Returns its sha256 and mtime."""
    src = os.path.join(run.ROOT, "cli", "target", "sluice.jar")
    dst = os.path.join(work, "sluice.jar")
    shutil.copy2(src, dst)
    os.environ["SLUICE_CLI_JAR"] = dst
    with open(dst, "rb") as f:
        digest = hashlib.sha256(f.read()).hexdigest()[:12]
    return {"cli_jar_sha256": digest,
            "cli_jar_mtime": time.strftime("%Y-%m-%d %H:%M:%S UTC", time.gmtime(os.path.getmtime(src)))}


def make_cert(work):
    """A self-signed ECDSA P-256 certificate for localhost and 127.0.0.1, its key in PKCS#8. In a
    folder of their own: Sluice watches the certificate's folder for changes (reload), and the
    clients' output files change all the time in the work directory."""
    os.makedirs(os.path.join(work, "tls"), exist_ok=True)
    cert, key = os.path.join(work, "tls", "cert.pem"), os.path.join(work, "tls", "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256", "-nodes",
                    "-days", "30", "-subj", "/CN=localhost", "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1",
                    "-keyout", key, "-out", cert], check=True, capture_output=True)
    return cert, key


def versions():
    def first(*argv):
        try:
            r = subprocess.run(argv, capture_output=True, text=True)
            return ((r.stdout + r.stderr).strip().splitlines() or ["?"])[0]
        except OSError:
            return "?"
    pom = open(os.path.join(os.path.dirname(run.HERE), "pom.xml")).read()  # the parent's: Netty's versions
    prop = lambda k: (re.search(f"<{k}>([^<]+)</{k}>", pom) or [None, "?"])[1]
    return {"openssl": first("openssl", "version"), "nginx": first("nginx", "-v").replace("nginx version: ", ""),
            "netty": prop("netty.version"), "tcnative": prop("tcnative.version")}


def main():
    ap = argparse.ArgumentParser(prog="bench/tls.sh", description=__doc__.split("\n\n")[0])
    ap.add_argument("--quick", action="store_true", help="one short round: a smoke test")
    ap.add_argument("--rounds", type=int, help="interleaved rounds (default 3)")
    ap.add_argument("--window", type=int, help="seconds per measured window (default 3)")
    ap.add_argument("--warm", type=int, help="seconds of each scenario's load before its window (default 3, 3, 1, 2)")
    ap.add_argument("--procs", type=int, default=2, help="s_time processes at once (default 2)")
    ap.add_argument("--scenarios", default="1,2,3,4", help="comma-separated of 1-4, or none")
    ap.add_argument("--servers", default=",".join(SERVERS), help="comma-separated of " + ", ".join(SERVERS))
    ap.add_argument("--profile", type=int, default=0, help="seconds of JFR over full handshakes (0: none)")
    ap.add_argument("--profile-server", default="sluice-event-loop")
    ap.add_argument("--profile-scenario", default="2", choices=["1", "2", "4"],
                    help="the load profiled: 2 full handshakes (default), 1 keep-alive, 4 the 1 MiB file")
    ap.add_argument("--work", help="directory for raw results and logs (default: a new one in /tmp)")
    ap.add_argument("--command", default="bench/tls.sh", help=argparse.SUPPRESS)
    a = ap.parse_args()
    s = Settings(a)
    scenarios = set() if a.scenarios == "none" else {x.strip() for x in a.scenarios.split(",") if x.strip()}
    servers = [x.strip() for x in a.servers.split(",") if x.strip()]
    bad = [x for x in servers + ([a.profile_server] if a.profile else []) if x not in SERVERS]
    if bad or not scenarios <= {"1", "2", "3", "4"}:
        sys.exit(f"unknown server(s) {', '.join(bad)} or scenario(s) {a.scenarios}; servers: {' '.join(SERVERS)}")
    work = a.work or subprocess.run(["mktemp", "-d", "/tmp/sluice-tls.XXXXXX"], capture_output=True,
                                    text=True).stdout.strip()
    os.makedirs(work, exist_ok=True)
    jar = snapshot_cli_jar(work)
    runner = TlsRunner(s, work, servers, scenarios)

    def on_signal(signum, frame):
        raise run.Stopped(signal.Signals(signum).name)
    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, on_signal)
    info = run.machine()
    log(f"work directory {work}; servers: {' '.join(servers)}; scenarios: {','.join(sorted(scenarios)) or 'none'}")
    try:
        runner.run()
    except run.Stopped as e:
        runner.stop_all()
        log(f"stopped by {e}; partial results in {work}/raw.tsv")
        sys.exit(130)
    finally:
        signal.signal(signal.SIGINT, signal.SIG_IGN)
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
        runner.stop_all()
        runner.raw.close()
    meta = dict(info, **versions(), **jar, **{
        "command": a.command, "quick": s.quick, "rounds": s.rounds, "window_s": s.win, "procs": s.procs,
        "warm_s": [s.warm_ka, s.warm_hs, s.warm_re, s.warm_file], "servers": servers,
        "scenarios": sorted(scenarios), "elapsed_s": run.elapsed(), "loadavg_end": run.loadavg(),
        "unsupported": [f"{k[0]} ({k[1]}): {v}" for k, v in runner.unsupported.items()],
        "failed": runner.failed, "tcp_metrics_flushed": runner.metrics_flush, "retries": s.retries,
        "profile": s.profile, "profile_server": s.profile_server if s.profile else None,
        "profile_scenario": s.profile_scenario if s.profile else None,
    })
    with open(os.path.join(work, "meta.json"), "w") as f:
        json.dump(meta, f, indent=1)
    print(work)


if __name__ == "__main__":
    main()
