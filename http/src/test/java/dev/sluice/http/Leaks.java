package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import com.sun.management.HotSpotDiagnosticMXBean;
import dev.sluice.core.Server;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.function.BooleanSupplier;
import java.util.stream.Stream;

/**
 * What a fault may leak, counted in this (the test's and the server's) process: open file
 * descriptors from {@code /proc/self/fd}, and live threads named {@code sluice-*}, virtual ones
 * included (from a JSON thread dump, the one JDK view that lists them).
 */
final class Leaks {
    private Leaks() {
    }

    /** Descriptors (what each points at) and sluice threads at one moment. */
    record Snapshot(List<String> fds, long threads) {
        static Snapshot take() {
            long threads = sluiceThreads(); // first: its temp file opens /dev/urandom for good
            return new Snapshot(fdTargets(), threads);
        }
    }

    /** A fault, played against a server by the client side. */
    interface Fault {
        void play(Server server) throws Exception;
    }

    /**
     * Plays {@code fault} once to warm what engines and the JDK create lazily (selectors, pools,
     * the pollers of virtual threads, buffers), then again, and asserts that the second time left
     * nothing behind: see {@link #assertBackTo}.
     */
    static void leavesNothingBehind(Server server, Fault fault) throws Exception {
        fault.play(server);
        assertThat(await(() -> server.stats().open() == 0, Duration.ofSeconds(10)))
                .as("open connections after the warm-up: got %d; want 0", server.stats().open()).isTrue();
        Snapshot before = Snapshot.take();

        fault.play(server);

        assertBackTo(server, before);
    }

    /**
     * Waits up to 10 s for the server's open-connections gauge to read 0, the descriptors to be
     * back to {@code before} or fewer and the sluice threads too, then asserts all three.
     */
    static void assertBackTo(Server server, Snapshot before) {
        Duration settle = Duration.ofSeconds(10);
        assertThat(await(() -> server.stats().open() == 0, settle))
                .as("open connections: got %d; want 0", server.stats().open()).isTrue();
        assertThat(await(() -> openFds() <= before.fds().size(), settle))
                .as("open descriptors: got %d; want <= %d; new: %s", openFds(), before.fds().size(),
                        newFds(before)).isTrue();
        assertThat(await(() -> sluiceThreads() <= before.threads(), settle))
                .as("sluice threads: got %d; want <= %d", sluiceThreads(), before.threads()).isTrue();
    }

    static long openFds() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.count();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** What the descriptors open now and not in {@code before} point at. */
    private static List<String> newFds(Snapshot before) {
        List<String> now = new java.util.ArrayList<>(fdTargets());
        before.fds().forEach(now::remove);
        return now;
    }

    /** What each open descriptor points at: a file, socket:[inode], anon_inode:[eventpoll]... */
    static List<String> fdTargets() {
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.map(fd -> {
                try {
                    return Files.readSymbolicLink(fd).toString();
                } catch (IOException e) {
                    return "closed";
                }
            }).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Descriptors of this process open on {@code file}. */
    static List<String> fdsOn(Path file) {
        Path real;
        try {
            real = file.toRealPath();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        try (Stream<Path> fds = Files.list(Path.of("/proc/self/fd"))) {
            return fds.filter(fd -> {
                try {
                    return Files.readSymbolicLink(fd).equals(real);
                } catch (IOException e) {
                    return false; // closed while we looked
                }
            }).map(Path::toString).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Live threads whose name starts with {@code sluice-}, platform and virtual. */
    static long sluiceThreads() {
        try {
            Path dir = Files.createTempDirectory("sluice-threads");
            Path dump = dir.resolve("threads.json");
            try {
                ManagementFactory.getPlatformMXBean(HotSpotDiagnosticMXBean.class)
                        .dumpThreads(dump.toString(), HotSpotDiagnosticMXBean.ThreadDumpFormat.JSON);
                try (Stream<String> lines = Files.lines(dump)) {
                    return lines.filter(l -> l.trim().startsWith("\"name\": \"sluice-")).count();
                }
            } finally {
                Files.deleteIfExists(dump);
                Files.deleteIfExists(dir);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Polls {@code condition} every 20 ms until it holds or {@code timeout} passes. */
    static boolean await(BooleanSupplier condition, Duration timeout) {
        long end = System.nanoTime() + timeout.toNanos();
        while (!condition.getAsBoolean()) {
            if (System.nanoTime() - end > 0) {
                return false;
            }
            try {
                Thread.sleep(20);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return false;
            }
        }
        return true;
    }
}
