"""CPU time, memory and threads of a server from /proc, summed over the process and its
descendants (nginx's master and worker; a JVM is one process)."""
import os
import subprocess

TICKS = os.sysconf("SC_CLK_TCK")


def _stat_fields(pid):
    with open(f"/proc/{pid}/stat") as f:
        s = f.read()
    # The command (field 2) is in parentheses and may hold spaces: split after the last ')'.
    return s[s.rindex(")") + 2:].split()


def tree(pid):
    """pid and all its descendants that are alive now."""
    children = {}
    for d in os.listdir("/proc"):
        if d.isdigit():
            try:
                ppid = int(_stat_fields(d)[1])
            except (OSError, ValueError, IndexError):
                continue
            children.setdefault(ppid, []).append(int(d))
    out, todo = [], [pid]
    while todo:
        p = todo.pop()
        out.append(p)
        todo.extend(children.get(p, []))
    return out


def cpu_seconds(pid):
    """utime + stime (fields 14 and 15) of the tree, in seconds; NaN if the server is gone."""
    total, seen = 0, False
    for p in tree(pid):
        try:
            f = _stat_fields(p)
            total += int(f[11]) + int(f[12])
            seen = True
        except (OSError, ValueError, IndexError):
            pass
    return total / TICKS if seen else float("nan")


def usage(pid):
    """{'rss_kb', 'threads'} of the tree, from /proc/PID/status."""
    rss = threads = 0
    for p in tree(pid):
        try:
            with open(f"/proc/{p}/status") as f:
                for line in f:
                    if line.startswith("VmRSS:"):
                        rss += int(line.split()[1])
                    elif line.startswith("Threads:"):
                        threads += int(line.split()[1])
        except OSError:
            pass
    return {"rss_kb": rss, "threads": threads}


def jdk_bin(pid):
    """The bin/ directory of the JVM running as pid, or None if pid is not a JVM."""
    try:
        exe = os.readlink(f"/proc/{pid}/exe")
    except OSError:
        return None
    return os.path.dirname(exe) if os.path.basename(exe) == "java" else None


def memory(pid, core):
    """usage() after a full GC; for a JVM also 'heap_kb': the old generation's used bytes
    (jstat OU) after it. A full collection empties the young generation; what lands there
    afterwards is the attach of jcmd itself, not the server's. Tools run on `core`, from the
    server's own JDK."""
    bin_dir = jdk_bin(pid)
    out = {}
    if bin_dir:
        subprocess.run(["taskset", "-c", core, os.path.join(bin_dir, "jcmd"), str(pid), "GC.run"],
                       capture_output=True, timeout=60)
        js = subprocess.run(["taskset", "-c", core, os.path.join(bin_dir, "jstat"), "-gc", str(pid)],
                            capture_output=True, text=True, timeout=60).stdout.split("\n")
        if len(js) >= 2:
            cols = dict(zip(js[0].split(), js[1].split()))
            if "OU" in cols:
                out["heap_kb"] = float(cols["OU"])
    out.update(usage(pid))
    return out
