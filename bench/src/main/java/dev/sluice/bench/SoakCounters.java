package dev.sluice.bench;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

/**
 * What the soak's clients saw, by {@code kind.outcome} ({@code keep_alive.ok},
 * {@code slowloris.408}), with the first failures kept in words. Two counts decide the verdict:
 * <b>failures</b> (an ordinary request whose answer was wrong or missing) and <b>uncut</b> (a
 * slow client the server let stay past its timeout plus the grace). Thread-safe.
 */
final class SoakCounters {
    private static final int KEPT_FAILURES = 20;

    private final Map<String, LongAdder> counts = new ConcurrentHashMap<>();
    private final Map<String, AtomicLong> maxima = new ConcurrentHashMap<>();
    private final LongAdder failures = new LongAdder();
    private final LongAdder uncut = new LongAdder();
    private final List<String> failureLines = new ArrayList<>();

    void count(String kind, String outcome) {
        counts.computeIfAbsent(kind + "." + outcome, k -> new LongAdder()).increment();
    }

    /** Keeps the largest {@code value} seen under {@code kind.name}. */
    void max(String kind, String name, long value) {
        maxima.computeIfAbsent(kind + "." + name, k -> new AtomicLong()).accumulateAndGet(value, Math::max);
    }

    /** An ordinary request failed: counted, and described if among the first few. */
    void fail(String kind, String what) {
        count(kind, "FAILED");
        failures.increment();
        keep(kind + ": " + what);
    }

    /** A slow client was not cut in time. */
    void uncut(String kind, String what) {
        count(kind, "NOT_CUT");
        uncut.increment();
        keep(kind + ": " + what);
    }

    private void keep(String line) {
        synchronized (failureLines) {
            if (failureLines.size() < KEPT_FAILURES) {
                failureLines.add(line);
            }
        }
        System.err.println("soak: " + line);
    }

    long failures() {
        return failures.sum();
    }

    long uncut() {
        return uncut.sum();
    }

    long get(String kind, String outcome) {
        LongAdder a = counts.get(kind + "." + outcome);
        return a == null ? 0 : a.sum();
    }

    /** Every count and maximum, sorted by name. */
    Map<String, Long> snapshot() {
        Map<String, Long> m = new TreeMap<>();
        counts.forEach((k, v) -> m.put(k, v.sum()));
        maxima.forEach((k, v) -> m.put(k, v.get()));
        return m;
    }

    List<String> failureLines() {
        synchronized (failureLines) {
            return List.copyOf(failureLines);
        }
    }
}
