package dev.sluice.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** CPU time of a process from Linux's {@code /proc/PID/stat}: user plus system, in seconds. */
final class ProcStat {
    private static final double TICKS_PER_SECOND = clockTicks();

    private ProcStat() {
    }

    /** utime + stime of {@code pid} in seconds; NaN when the process cannot be read. */
    static double cpuSeconds(long pid) {
        try {
            // One line; readAllLines reads it in one go (procfs files report size 0).
            String s = Files.readAllLines(Path.of("/proc", Long.toString(pid), "stat")).get(0);
            // The command name (field 2) is in parentheses and may hold spaces: split after it.
            String[] f = s.substring(s.lastIndexOf(')') + 2).split(" ");
            long ticks = Long.parseLong(f[11]) + Long.parseLong(f[12]); // fields 14 and 15
            return ticks / TICKS_PER_SECOND;
        } catch (IOException | RuntimeException e) {
            return Double.NaN;
        }
    }

    private static double clockTicks() {
        try {
            Process p = new ProcessBuilder("getconf", "CLK_TCK").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes()).trim();
            p.waitFor();
            return Double.parseDouble(out);
        } catch (IOException | InterruptedException | RuntimeException e) {
            return 100; // USER_HZ on every mainstream Linux
        }
    }
}
