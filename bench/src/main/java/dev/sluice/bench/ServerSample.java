package dev.sluice.bench;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * What the soak measures of the server process, from Linux's {@code /proc} and the JDK's
 * {@code jcmd} (which must come from the JDK running the server).
 *
 * @param rssKiB resident set size, {@code VmRSS} of {@code /proc/PID/status}
 * @param heapAfterGcKiB heap in use right after a full GC ({@code jcmd PID GC.run}, then the
 *     {@code used} of {@code GC.heap_info}): the live objects; -1 when not measured
 * @param fds open descriptors, the entries of {@code /proc/PID/fd}
 * @param threads {@code Threads} of {@code /proc/PID/status}
 */
record ServerSample(long rssKiB, long heapAfterGcKiB, int fds, int threads) {
    /** A heap line of {@code GC.heap_info}: G1's "garbage-first heap total ..., used NK", or a generation's. */
    private static final Pattern USED = Pattern.compile("total .*?used (\\d+)K");

    /** Reads the process now; {@code gc}: also force a full GC and read the heap after it. */
    static ServerSample take(long pid, Path jcmd, boolean gc) throws IOException {
        long heap = gc ? heapAfterGc(pid, jcmd) : -1;
        long rss = -1;
        int threads = -1;
        for (String line : Files.readAllLines(proc(pid, "status"))) {
            if (line.startsWith("VmRSS:")) {
                rss = Long.parseLong(line.replaceAll("\\D", ""));
            } else if (line.startsWith("Threads:")) {
                threads = Integer.parseInt(line.replaceAll("\\D", ""));
            }
        }
        return new ServerSample(rss, heap, fds(pid), threads);
    }

    /** The open descriptors of {@code pid}. */
    static int fds(long pid) throws IOException {
        try (Stream<Path> s = Files.list(proc(pid, "fd"))) {
            return (int) s.count();
        }
    }

    static long heapAfterGc(long pid, Path jcmd) throws IOException {
        jcmd(jcmd, pid, "GC.run");
        String info = jcmd(jcmd, pid, "GC.heap_info");
        long used = 0;
        boolean found = false;
        for (String line : info.split("\n")) {
            Matcher m = USED.matcher(line);
            if (m.find()) {
                used += Long.parseLong(m.group(1));
                found = true;
            }
        }
        if (!found) {
            throw new IOException("no heap 'used' in GC.heap_info:\n" + info);
        }
        return used;
    }

    private static String jcmd(Path jcmd, long pid, String command) throws IOException {
        Process p = new ProcessBuilder(List.of(jcmd.toString(), Long.toString(pid), command))
                .redirectErrorStream(true).start();
        try {
            p.getOutputStream().close();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
                throw new IOException(jcmd + " " + pid + " " + command + " failed:\n" + out);
            }
            return out;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted", e);
        } finally {
            p.destroy();
        }
    }

    private static Path proc(long pid, String name) {
        return Path.of("/proc", Long.toString(pid), name);
    }
}
