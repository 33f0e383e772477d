package dev.sluice.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * A client that sends one GET after another to 127.0.0.1, a connection each ({@link RawHttp}), and
 * times each exchange from the connect to the close: the longest is the longest pause a client
 * saw. Runs on a thread of its own until {@link #stop}; read its figures after joining it.
 */
final class SequentialProbe implements Runnable {
    private final int port;
    private final String path;
    private final String body;
    private final Duration slowAfter;
    private final long started = System.nanoTime();
    volatile boolean stop;
    long ok;
    long failed;
    long maxNanos;
    /** The first five failures. */
    final List<String> failures = new ArrayList<>();
    /** Exchanges slower than {@code slowAfter}: how long, and when, in seconds since the probe was made. */
    final List<String> slow = new ArrayList<>();

    /** Expects {@code 200} with {@code body} for {@code GET path}. */
    SequentialProbe(int port, String path, String body, Duration slowAfter) {
        this.port = port;
        this.path = path;
        this.body = body;
        this.slowAfter = slowAfter;
    }

    @Override
    public void run() {
        while (!stop) {
            long start = System.nanoTime();
            String failure;
            try {
                RawHttp.Reply r = RawHttp.get(port, path);
                failure = r.status() == 200 && r.body().equals(body) ? null : "got " + r.status() + "; want 200";
            } catch (RuntimeException | AssertionError e) {
                failure = e.toString();
            }
            long took = System.nanoTime() - start;
            maxNanos = Math.max(maxNanos, took);
            if (took > slowAfter.toNanos()) {
                slow.add(String.format("%.1f s at %.1f s", took / 1e9, (start - started) / 1e9));
            }
            if (failure == null) {
                ok++;
            } else if (failed++ < 5) {
                failures.add(failure);
            }
        }
    }
}
