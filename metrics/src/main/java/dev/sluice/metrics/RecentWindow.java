package dev.sluice.metrics;

/**
 * The last few seconds of a {@link LatencyHistogram}: a ring of its snapshots, one per
 * {@link #add} (once a second), so that requests per second and latency percentiles can be read
 * over a recent window rather than since start. Time is passed in, so tests need no clock.
 *
 * <p>Threads: {@link #add} from the sampling thread, {@link #since} from the admin server's;
 * both synchronize on this small object, never touched by a request.
 */
final class RecentWindow {
    /** A snapshot: when ({@link System#nanoTime()}) and the histogram's cumulative counts. */
    record Sample(long nanos, long[] counts) {
    }

    /**
     * What happened between two samples.
     *
     * @param seconds the length of the window, 0 when there is no earlier sample yet
     * @param requests exchanges in it
     * @param perSecond requests over seconds; 0 for an empty window
     * @param p50 median latency in milliseconds, NaN when there were no requests; likewise
     *     {@code p90} and {@code p99}
     */
    record Summary(double seconds, long requests, double perSecond, double p50, double p90,
                   double p99) {
    }

    private final Sample[] ring;
    private final long windowNanos;
    private int next;
    private int size;

    /** Keeps samples up to {@code windowSeconds} old, sampled once a second. */
    RecentWindow(int windowSeconds) {
        this.ring = new Sample[windowSeconds + 1];
        this.windowNanos = windowSeconds * 1_000_000_000L;
    }

    synchronized void add(Sample s) {
        ring[next] = s;
        next = (next + 1) % ring.length;
        size = Math.min(size + 1, ring.length);
    }

    /** From the oldest sample within the window (or the oldest kept) to {@code now}. */
    synchronized Summary since(Sample now) {
        Sample from = null;
        for (int i = size; i >= 1 && from == null; i--) { // oldest first
            Sample s = ring[Math.floorMod(next - i, ring.length)];
            if (now.nanos() - s.nanos() <= windowNanos) {
                from = s;
            }
        }
        if (from == null && size > 0) { // sampling fell behind: the newest there is
            from = ring[Math.floorMod(next - 1, ring.length)];
        }
        if (from == null || now.nanos() <= from.nanos()) {
            return new Summary(0, 0, 0, Double.NaN, Double.NaN, Double.NaN);
        }
        long[] d = LatencyHistogram.minus(now.counts(), from.counts());
        long requests = 0;
        for (long c : d) {
            requests += c;
        }
        double seconds = (now.nanos() - from.nanos()) / 1e9;
        return new Summary(seconds, requests, requests / seconds,
                LatencyHistogram.percentileMillis(d, 0.50),
                LatencyHistogram.percentileMillis(d, 0.90),
                LatencyHistogram.percentileMillis(d, 0.99));
    }
}
