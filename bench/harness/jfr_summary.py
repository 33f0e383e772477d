#!/usr/bin/env python3
"""Where a JVM server spent its CPU in a JFR recording (bench/tls.sh --profile), from its stack
samples: JDK 25's jdk.CPUTimeSample (CPU-time sampling, weighted by each sample's period; Linux,
experimental) when the recording has them, else jdk.ExecutionSample (wall-clock sampling of
threads running Java). Java frames only: time in the kernel and in native code shows up under
the Java method that called it.

    python3 bench/harness/jfr_summary.py FILE.jfr [--jfr PATH_TO_jfr]

Three views: by operation (the first group of OPERATIONS that the stack belongs to: ECDSA signing
before the field arithmetic under it, TLS before the Sluice code that called it; socket I/O only
when the sampled frame itself is in NIO, since an event loop runs everything under the selector's
callback), by top frame (self time per method, as `jfr view hot-methods`), and by thread.
"""
import argparse
import collections
import json
import os
import re
import subprocess

# (name, frame prefixes, whether only the top frame counts); the first match names the sample.
OPERATIONS = [
    ("ECDSA P-256 signature (CertificateVerify)", ("sun.security.ec.ECDSASignature", "sun.security.ec.ECDSAOperations")),
    ("X25519 key share (XDH keygen and agreement)", ("sun.security.ec.XDH", "sun.security.ec.XECOperations")),
    ("other EC (P-256 key share, key parsing)", ("sun.security.ec.",)),
    ("AES-GCM (records, session tickets)", ("com.sun.crypto.provider.GaloisCounterMode", "com.sun.crypto.provider.GHASH",
                                            "com.sun.crypto.provider.GCTR", "com.sun.crypto.provider.AESCrypt",
                                            "com.sun.crypto.provider.CounterMode")),
    ("hashes, HMAC, HKDF (transcript, key schedule)", ("sun.security.provider.SHA", "sun.security.provider.DigestBase",
                                                       "com.sun.crypto.provider.Hmac", "com.sun.crypto.provider.HKDF",
                                                       "sun.security.ssl.HKDF", "javax.crypto.Mac",
                                                       "java.security.MessageDigest")),
    ("rest of the JDK's TLS (SSLEngine, handshake messages, provider lookup)",
     ("sun.security.", "javax.net.ssl.", "java.security.", "javax.crypto.", "com.sun.crypto.provider.")),
    # Outside the JDK's TLS: a new heap buffer is zeroed memory, charged to its constructor.
    ("new heap buffers (ByteBuffer.allocate, outside the JDK's TLS)", ("java.nio.ByteBuffer.allocate",)),
    # Before NIO: a post from another thread wakes the loop's selector (a write to its eventfd).
    ("handing handshake tasks between threads (Sluice: EventLoop.post, the task executor)",
     ("dev.sluice.core.EventLoop.post", "dev.sluice.core.TlsChannel.lambda$runTasks")),
    ("socket I/O and selector: the syscalls (NIO)", ("sun.nio.ch.", "java.nio.channels."), True),
    ("Sluice's own code (HTTP, connection, loop)", ("dev.sluice.",)),
    ("other", ("",)),
]


def frames(event):
    """The stack of one event, top (leaf) first, as 'package.Class.method' strings."""
    out = []
    for f in (event["values"].get("stackTrace") or {}).get("frames", []):
        m = f["method"]
        out.append(m["type"]["name"].replace("/", ".") + "." + m["name"])
    return out


def operation(stack):
    for name, prefixes, *top in OPERATIONS:
        frames_ = stack[:1] if top and top[0] else stack
        if any(frame.startswith(p) for p in prefixes for frame in frames_):
            return name
    return "other"


def events(jfr_file, jfr_bin, kind):
    r = subprocess.run([jfr_bin, "print", "--json", "--stack-depth", "96", "--events", kind, jfr_file],
                       capture_output=True, text=True)
    if r.returncode != 0:
        return []
    return json.loads(r.stdout)["recording"]["events"]


def period_s(text):
    """'PT0.003S' -> 0.003."""
    m = re.fullmatch(r"PT([0-9.]+)S", text or "")
    return float(m.group(1)) if m else 0.0


def summarise(jfr_file, jfr_bin="jfr", out_dir=None, top=12):
    evs = events(jfr_file, jfr_bin, "jdk.CPUTimeSample")
    kind = "jdk.CPUTimeSample"
    if len(evs) < 50:
        evs, kind = events(jfr_file, jfr_bin, "jdk.ExecutionSample"), "jdk.ExecutionSample"
    ops, selfs, threads = collections.Counter(), collections.Counter(), collections.Counter()
    total = 0.0
    for e in evs:
        stack = frames(e)
        if not stack:
            continue
        w = period_s(e["values"].get("samplingPeriod")) if kind == "jdk.CPUTimeSample" else 1.0
        w = w or 1e-3
        total += w
        ops[operation(stack)] += w
        selfs[stack[0]] += w
        t = e["values"].get("eventThread") or e["values"].get("sampledThread") or {}
        threads[re.sub(r"\d+", "N", t.get("javaName") or t.get("osName") or "?")] += w
    share = lambda c, k: [[name, v / total] for name, v in c.most_common(k)] if total else []
    summary = {"event": kind, "samples": len(evs), "weighted_s": total if kind == "jdk.CPUTimeSample" else None,
               "operations": share(ops, len(OPERATIONS)), "top": share(selfs, top), "threads": share(threads, 6)}
    if out_dir:
        view = subprocess.run([jfr_bin, "view", "--width", "240", "hot-methods", jfr_file], capture_output=True, text=True)
        with open(os.path.join(out_dir, "profile-hot-methods.txt"), "w") as f:
            f.write(view.stdout + view.stderr)
    return summary


def one_line(summary):
    return "; ".join(f"{name.split(' (')[0]} {v:.0%}" for name, v in summary["operations"][:5])


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("jfr_file")
    ap.add_argument("--jfr", default="jfr", help="the jfr tool of the JDK that recorded the file")
    a = ap.parse_args()
    s = summarise(a.jfr_file, a.jfr)
    print(f"{s['samples']} {s['event']} events")
    for title, key in (("by operation", "operations"), ("top frames", "top"), ("threads", "threads")):
        print(title)
        for name, v in s[key]:
            print(f"  {v:6.1%}  {name}")


if __name__ == "__main__":
    main()
