package dev.sluice.core;

import java.time.Duration;
import java.util.Objects;

/**
 * A minimum average data rate that a client must keep up once a grace period has passed, in the
 * manner of Kestrel's {@code MinRequestBodyDataRate} and {@code MinResponseDataRate}. The clock
 * starts when the server begins to wait for the client (the first read of a request body, or the
 * first write the client does not take at once) and stops when the wait ends. At any moment
 * after the grace period the client must have moved at least {@code bytesPerSecond} times the
 * seconds elapsed since the clock started; a client that falls below is cut.
 *
 * <p>Spelled on the command line as {@code <bytes>/s,<grace>}, for example {@code 240/s,5s};
 * {@code 0} or {@code off} turns it off ({@link #OFF}).
 *
 * @param bytesPerSecond the rate, at least 1; 0 only in {@link #OFF}
 * @param grace how long the client may fall below the rate after the clock starts
 */
public record MinDataRate(long bytesPerSecond, Duration grace) {
    /** No minimum rate. */
    public static final MinDataRate OFF = new MinDataRate(0, Duration.ZERO);

    public MinDataRate {
        Objects.requireNonNull(grace, "grace");
        if (bytesPerSecond < 0) {
            throw new IllegalArgumentException("rate must not be negative, got " + bytesPerSecond);
        }
        if (bytesPerSecond == 0 && !grace.isZero()) {
            throw new IllegalArgumentException("a rate of 0 (off) takes no grace period");
        }
        if (grace.isNegative() || grace.compareTo(ServerConfig.MAX_TIMEOUT) > 0) {
            throw new IllegalArgumentException("grace must be 0.." + ServerConfig.MAX_TIMEOUT.toDays()
                    + " days, got " + grace);
        }
    }

    /** {@code bytesPerSecond} after {@code grace}. */
    public static MinDataRate of(long bytesPerSecond, Duration grace) {
        return new MinDataRate(bytesPerSecond, grace);
    }

    /** Whether this is {@link #OFF}. */
    public boolean isOff() {
        return bytesPerSecond == 0;
    }

    /**
     * When a client that has moved {@code bytes} since {@code start} (both in
     * {@link System#nanoTime()} terms) falls below the rate: {@code start} plus the longer of the
     * grace period and the time {@code bytes} take at the rate. {@link Long#MAX_VALUE} when off.
     */
    long deadline(long start, long bytes) {
        if (isOff()) {
            return Long.MAX_VALUE;
        }
        double earned = bytes * 1e9 / bytesPerSecond;
        long allowed = Math.max(grace.toNanos(), earned >= 1e18 ? (long) 1e18 : (long) earned);
        return start + allowed;
    }

    /**
     * The rate of a client that has moved {@code bytes} since {@code start}, in bytes per second,
     * when at {@code now} the grace period has passed and the rate is below this one; else -1
     * (and always when off). For the connection limit's choice of whom to shed.
     */
    long shortfall(long start, long bytes, long now) {
        long elapsed = now - start;
        if (isOff() || elapsed <= 0 || elapsed < grace.toNanos()) {
            return -1;
        }
        long moved = (long) (Math.max(0, bytes) * 1e9 / elapsed);
        return moved < bytesPerSecond ? moved : -1;
    }

    /** As the command line spells it: {@code 240/s,5s}, or {@code off}. */
    @Override
    public String toString() {
        return isOff() ? "off" : bytesPerSecond + "/s," + (grace.isZero() ? "0" : StartupReport.format(grace));
    }
}
