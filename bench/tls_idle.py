#!/usr/bin/env python3
"""Memory per idle TLS connection of a Sluice engine (issue 15's "idle TLS connection <= 8 KiB").

Starts `sluice serve` over TLS (an ECDSA P-256 certificate made here) pinned to core 1, with the
JVM flags of the benchmark suite; opens N TLS 1.3 keep-alive connections, each after one answered
GET, and holds them idle; before and after, a full GC (jcmd GC.run), then the old generation used
(jstat -gc, OU) and the RSS. Per connection = (heap growth + RSS growth) / N, as docs/benchmarks.md
does for plain connections. Kernel socket buffers are in neither.

    python3 bench/tls_idle.py --engine event-loop --connections 5000 [--provider conscrypt] [--twice] [--warm N]

--twice: then N more, and what those cost. With the JDK provider, warm up long (--warm 5000): the RSS the
first connections seem to cost is the JIT compiling (Native Memory Tracking shows it). Not with conscrypt:
malloc keeps what closed connections gave back, so a long warm-up would hide what open ones hold.
"""
import argparse
import os
import re
import socket
import ssl
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.join(os.path.dirname(__file__), "harness"))
import procfs  # noqa: E402

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
JDK = os.environ.get("JAVA_HOME", "/usr/lib/jvm/temurin-25-jdk-amd64")
JVM_FLAGS = ["-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch", "-XX:+UseParallelGC", "-XX:ActiveProcessorCount=1"]


def certificate(work):
    cert, key = os.path.join(work, "cert.pem"), os.path.join(work, "key.pem")
    subprocess.run(["openssl", "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:P-256",
                    "-nodes", "-keyout", key, "-out", cert, "-days", "30", "-subj", "/CN=localhost",
                    "-addext", "subjectAltName=DNS:localhost,IP:127.0.0.1"], check=True, capture_output=True)
    return cert, key


def heap_kb(pid):
    """Old generation used after a full GC, in KiB (the GC empties the young one)."""
    subprocess.run([f"{JDK}/bin/jcmd", str(pid), "GC.run"], check=True, capture_output=True)
    out = subprocess.run([f"{JDK}/bin/jstat", "-gc", str(pid)], check=True, capture_output=True, text=True).stdout
    names, values = out.split("\n")[0].split(), out.split("\n")[1].split()
    return float(values[names.index("OU")])


def sample(pid):
    heap = heap_kb(pid)
    return heap, procfs.usage(pid)["rss_kb"]


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--engine", default="event-loop")
    ap.add_argument("--connections", type=int, default=5000)
    ap.add_argument("--provider", default="jdk", help="--tls-provider: jdk, conscrypt or tcnative")
    ap.add_argument("--warm", type=int, default=200, help="connections opened and closed before the first look")
    ap.add_argument("--twice", action="store_true",
                    help="then as many again, and report what those cost: the first N also pay for work done once "
                         "(JIT compilation, the allocator's arenas), which shows in the RSS")
    ap.add_argument("--histogram", type=int, default=0, help="print the N classes that take most heap, held")
    args = ap.parse_args()
    work = tempfile.mkdtemp(prefix="sluice-tls-idle.")
    cert, key = certificate(work)
    site = os.path.join(work, "site")
    os.makedirs(site)
    with open(os.path.join(site, "hello.txt"), "w") as f:
        f.write("hello\n")
    cmd = ["taskset", "-c", "1", f"{JDK}/bin/java", *JVM_FLAGS, "-jar", os.path.join(ROOT, "cli/target/sluice.jar"),
           "serve", "--host", "127.0.0.1", "--port", "0", "--engine", args.engine, "--quiet",
           "--idle-timeout", "10m", "--max-connections", "19000", "--tls-cert", cert, "--tls-key", key,
           "--tls-provider", args.provider, site]
    server = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    try:
        port = None
        for line in server.stdout:
            m = re.search(r"listening on https://127\.0\.0\.1:(\d+)", line)
            if m:
                port = int(m.group(1))
                break
        ctx = ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)
        ctx.minimum_version = ssl.TLSVersion.TLSv1_3
        ctx.load_verify_locations(cert)
        for _ in range(args.warm):  # JIT and first-use allocations out of the way, one connection at a time
            open_one(ctx, port).close()
        time.sleep(1)
        heap0, rss0 = sample(server.pid)
        held = [open_one(ctx, port) for _ in range(args.connections)]
        heap1, rss1 = sample(server.pid)
        n = len(held)
        print(f"engine={args.engine} provider={args.provider} connections={n} protocol={held[0].version()} cipher={held[0].cipher()[0]}")
        report("per idle TLS connection", n, (heap0, rss0), (heap1, rss1))
        if args.twice:
            held += [open_one(ctx, port) for _ in range(n)]
            heap2, rss2 = sample(server.pid)
            report(f"per idle TLS connection from {n:,} held to {2 * n:,}", n, (heap1, rss1), (heap2, rss2))
        if args.histogram:
            out = subprocess.run([f"{JDK}/bin/jcmd", str(server.pid), "GC.class_histogram"], check=True,
                                 capture_output=True, text=True).stdout
            print("\n".join(out.split("\n")[:args.histogram + 3]))
        for s in held:
            s.close()
    finally:
        server.terminate()
        server.wait(timeout=30)


def report(what, n, before, after):
    (heap0, rss0), (heap1, rss1) = before, after
    per_heap, per_rss = (heap1 - heap0) * 1024 / n, (rss1 - rss0) * 1024 / n
    print(f"heap after GC: {heap0:.0f} -> {heap1:.0f} KiB; RSS: {rss0} -> {rss1} KiB")
    print(f"{what}: heap {per_heap:.0f} B + RSS {per_rss:.0f} B = {per_heap + per_rss:.0f} B "
          f"({(per_heap + per_rss) / 1024:.1f} KiB)")


def open_one(ctx, port):
    raw = socket.create_connection(("127.0.0.1", port), timeout=30)
    s = ctx.wrap_socket(raw, server_hostname="localhost")
    s.sendall(b"GET /hello.txt HTTP/1.1\r\nHost: localhost\r\n\r\n")
    got = b""
    while not got.endswith(b"hello\n"):
        chunk = s.recv(4096)
        if not chunk:
            raise RuntimeError("closed before the answer: " + got.decode(errors="replace"))
        got += chunk
    return s


if __name__ == "__main__":
    main()
