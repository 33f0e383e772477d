package dev.sluice.metrics;

import java.util.concurrent.atomic.LongAdder;

/**
 * Counts durations in log-linear buckets, as HdrHistogram does with two significant digits: exact
 * below 32 microseconds, then 16 buckets per power of two, so a value is known within 6.25%, up to
 * about 19 hours (longer ones land in the last bucket). Recording costs one striped increment, so
 * concurrent request threads do not contend. Read by {@link #snapshot()} (cumulative counts) and
 * {@link #percentile}, over the difference of two snapshots for a recent window.
 *
 * <p>Threads: {@link #record} from any thread at any time; the rest is pure.
 */
final class LatencyHistogram {
    /** Sub-buckets per power of two, and the exact values below {@code 2 * SUB}. */
    private static final int SUB_BITS = 4;
    private static final int SUB = 1 << SUB_BITS;
    /** The highest power of two with buckets of its own: 2^36 microseconds, about 19 hours. */
    private static final int MAX_EXPONENT = 36;
    static final int BUCKETS = SUB + (MAX_EXPONENT - SUB_BITS + 1) * SUB;

    private final LongAdder[] counts = new LongAdder[BUCKETS];

    LatencyHistogram() {
        for (int i = 0; i < BUCKETS; i++) {
            counts[i] = new LongAdder();
        }
    }

    /** Counts one duration; negative ones as 0. */
    void record(long nanos) {
        counts[index(Math.max(0, nanos) / 1_000)].increment();
    }

    /** The cumulative count of each bucket now. */
    long[] snapshot() {
        long[] s = new long[BUCKETS];
        for (int i = 0; i < BUCKETS; i++) {
            s[i] = counts[i].sum();
        }
        return s;
    }

    /** The bucket of {@code micros} >= 0. */
    static int index(long micros) {
        if (micros < SUB) {
            return (int) micros;
        }
        int exponent = 63 - Long.numberOfLeadingZeros(micros);
        if (exponent > MAX_EXPONENT) {
            return BUCKETS - 1;
        }
        int sub = (int) (micros >>> (exponent - SUB_BITS)) & (SUB - 1);
        return SUB + (exponent - SUB_BITS) * SUB + sub;
    }

    /** The largest value, in microseconds, that falls in bucket {@code index}. */
    static long highestMicros(int index) {
        if (index < SUB) {
            return index;
        }
        int exponent = SUB_BITS + (index - SUB) / SUB;
        long lowest = (long) (SUB + (index - SUB) % SUB) << (exponent - SUB_BITS);
        return lowest + (1L << (exponent - SUB_BITS)) - 1;
    }

    /**
     * The value at {@code quantile} (0 to 1) of {@code counts}, in milliseconds: the highest value
     * of the bucket that holds the rank {@code ceil(quantile * total)}, as HdrHistogram reports it,
     * so the answer never understates; NaN when {@code counts} holds nothing.
     */
    static double percentileMillis(long[] counts, double quantile) {
        long total = 0;
        for (long c : counts) {
            total += c;
        }
        if (total == 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (long) Math.ceil(quantile * total));
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return highestMicros(i) / 1_000.0;
            }
        }
        return highestMicros(counts.length - 1) / 1_000.0;
    }

    /** {@code later - earlier}, bucket by bucket: the counts recorded between two snapshots. */
    static long[] minus(long[] later, long[] earlier) {
        long[] d = new long[later.length];
        for (int i = 0; i < d.length; i++) {
            d[i] = later[i] - earlier[i];
        }
        return d;
    }
}
