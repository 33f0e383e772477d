package dev.sluice.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The log-linear buckets behind the status page's percentiles, and the recent window over them. */
class LatencyHistogramTest {

    @Test
    void bucketsAreExactBelow32MicrosecondsAndWithinOneSixteenthAbove() {
        int last = -1;
        for (long micros = 0; micros < 5_000_000; micros += micros < 100 ? 1 : 997) {
            int i = LatencyHistogram.index(micros);
            assertThat(i).as("index of %d", micros).isGreaterThanOrEqualTo(last).isLessThan(LatencyHistogram.BUCKETS);
            long high = LatencyHistogram.highestMicros(i);
            assertThat(high).as("highest of the bucket of %d", micros).isGreaterThanOrEqualTo(micros);
            if (micros < 32) {
                assertThat(high).isEqualTo(micros);
            } else {
                assertThat((double) (high - micros) / micros).as("error at %d", micros).isLessThan(1.0 / 16);
            }
            last = i;
        }
        assertThat(LatencyHistogram.index(Long.MAX_VALUE / 1_000)).isEqualTo(LatencyHistogram.BUCKETS - 1);
    }

    @Test
    void readsPercentilesAsHdrHistogramDoes() {
        LatencyHistogram h = new LatencyHistogram();
        for (int i = 1; i <= 100; i++) {
            h.record(i * 1_000_000L); // 1 ms to 100 ms
        }
        long[] counts = h.snapshot();

        assertThat(LatencyHistogram.percentileMillis(counts, 0.50)).isBetween(50.0, 50.0 * 17 / 16);
        assertThat(LatencyHistogram.percentileMillis(counts, 0.90)).isBetween(90.0, 90.0 * 17 / 16);
        assertThat(LatencyHistogram.percentileMillis(counts, 0.99)).isBetween(99.0, 99.0 * 17 / 16);
        assertThat(LatencyHistogram.percentileMillis(new long[LatencyHistogram.BUCKETS], 0.5)).isNaN();
    }

    @Test
    void theWindowCountsOnlyWhatHappenedWithinIt() {
        LatencyHistogram h = new LatencyHistogram();
        RecentWindow w = new RecentWindow(10);
        long second = 1_000_000_000L;
        for (int t = 0; t <= 30; t++) {
            if (t < 20) {
                h.record(500_000_000L); // slow, long ago
            } else {
                h.record(1_000_000L);
                h.record(1_000_000L);
            }
            w.add(new RecentWindow.Sample(t * second, h.snapshot()));
        }
        RecentWindow.Summary s = w.since(new RecentWindow.Sample(30 * second + second / 2, h.snapshot()));

        assertThat(s.seconds()).isEqualTo(9.5);
        assertThat(s.requests()).as("the last 9.5 s: samples 21 to 30").isEqualTo(18);
        assertThat(s.p99()).as("the slow ones are out of the window").isLessThan(1.1);
    }
}
