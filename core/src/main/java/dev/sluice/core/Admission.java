package dev.sluice.core;

import java.net.InetAddress;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

/**
 * Who may connect: one of {@link ServerConfig#maxConnections()} permits per open connection, at
 * most {@link ServerConfig#maxConnectionsPerIp()} per client address, and, when no permit is
 * free, a connection idle for {@link ServerConfig#EVICTABLE_AFTER_IDLE} closed to make room (its
 * permit handed to the newcomer), failing that the connection whose client moves its response or
 * body slowest below the minimum rate after the grace ({@link CloseReason#LEAST_PROGRESS}). The
 * {@link Acceptor} asks; {@link OpenConnections#close} gives back. Thread-safe.
 */
final class Admission {
    /** How long a look for a connection to shed that found none holds. */
    private static final long SHED_RESCAN_NANOS = 50_000_000L;

    private final EngineContext context;
    final Semaphore permits;
    private final int maxPerIp;
    /** Open connections per client address, when {@link ServerConfig#maxConnectionsPerIp()} is on. */
    private final ConcurrentHashMap<InetAddress, Integer> perIp = new ConcurrentHashMap<>();
    /**
     * Before this {@link System#nanoTime()}, no connection can have been idle for
     * {@link ServerConfig#EVICTABLE_AFTER_IDLE}, so {@link #evictIdle} need not look.
     */
    private volatile long noEvictionBefore = System.nanoTime();
    /** Before this {@link System#nanoTime()}, {@link #shedSlowest} need not look again. */
    private volatile long noSheddingBefore = System.nanoTime();
    /** A newcomer waits for a permit (event loop), so the next one freed should call {@link #onPermitFreed}. */
    private volatile boolean waitingForPermit;
    private volatile Runnable onPermitFreed;

    Admission(EngineContext context) {
        this.context = context;
        this.permits = new Semaphore(context.config.maxConnections());
        this.maxPerIp = context.config.maxConnectionsPerIp();
    }

    /** Runs {@code retry} when a permit frees while a newcomer waits for one (an accepting event loop). */
    void onPermitFreed(Runnable retry) {
        this.onPermitFreed = retry;
    }

    /**
     * Counts a newcomer from {@code ip} against its address's cap; false, counting nothing, when
     * that address is at the cap. Every true is matched by one {@link #release}.
     */
    boolean admitIp(InetAddress ip) {
        if (maxPerIp == 0) {
            return true;
        }
        boolean[] admitted = {false};
        perIp.compute(ip, (k, n) -> {
            int open = n == null ? 0 : n;
            if (open >= maxPerIp) {
                return n;
            }
            admitted[0] = true;
            return open + 1;
        });
        return admitted[0];
    }

    /**
     * A permit for a newcomer, now: a free one, or one evicted from an idle connection. False
     * when none is to be had; a permit freed afterwards then calls the retry of
     * {@link #onPermitFreed}.
     */
    boolean tryPermit() {
        if (permits.tryAcquire()) {
            return true; // the common case writes no volatile flag
        }
        // Flagged before trying again, so a permit freed between the tries still wakes the loop.
        waitingForPermit = true;
        boolean admitted = permits.tryAcquire() || evictIdle() || shedSlowest();
        if (admitted) {
            waitingForPermit = false;
        }
        return admitted;
    }

    /**
     * As {@link #tryPermit}, waiting a poll of {@code pollMs} at a time until a permit is had or
     * {@code stopping} holds (then false).
     */
    boolean awaitPermit(long pollMs, BooleanSupplier stopping) {
        try {
            while (!stopping.getAsBoolean()) {
                if (permits.tryAcquire(pollMs, TimeUnit.MILLISECONDS) || evictIdle() || shedSlowest()) {
                    waitingForPermit = false;
                    return true;
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
        return false;
    }

    /**
     * A newcomer or connection counted against {@code ip} has gone: its address's count (none when
     * {@code ip} is null: not counted yet), and its permit when it holds one ({@code permit}), are
     * given back.
     */
    void release(InetAddress ip, boolean permit) {
        if (maxPerIp != 0 && ip != null) {
            perIp.computeIfPresent(ip, (k, n) -> n <= 1 ? null : n - 1);
        }
        if (permit) {
            permits.release();
            if (waitingForPermit) {
                waitingForPermit = false;
                Runnable retry = onPermitFreed;
                if (retry != null) {
                    retry.run();
                }
            }
        }
    }

    /**
     * Closes one connection that has waited for a request for at least
     * {@link ServerConfig#EVICTABLE_AFTER_IDLE} so that a newcomer can take its permit; false if none has.
     */
    private boolean evictIdle() {
        long now = System.nanoTime();
        if (now - noEvictionBefore < 0) {
            return false; // the last scan showed nothing can be evictable yet: a flood scans no more
        }
        long age = ServerConfig.EVICTABLE_AFTER_IDLE.toNanos();
        long idleBefore = now - age;
        long earliest = now + age; // a connection that goes idle from now on
        for (ConnectionState c : context.connections) {
            if (c.handOver(idleBefore)) {
                context.engine().wake(c, CloseReason.LIMIT);
                return true;
            }
            if (c.phase() == ConnectionState.IDLE && c.idleSince + age - earliest < 0) {
                earliest = c.idleSince + age;
            }
        }
        noEvictionBefore = earliest;
        return false;
    }

    /**
     * Closes the connection whose client moves the response or body it owes slowest, below the
     * minimum rate after the grace ({@link ConnectionState#shortfallRate}), so that a newcomer can
     * take its permit; false if none is below. A fruitless look is not repeated for
     * {@link #SHED_RESCAN_NANOS}: a flood of newcomers does not walk every connection each.
     */
    private boolean shedSlowest() {
        long now = System.nanoTime();
        if (now - noSheddingBefore < 0) {
            return false;
        }
        ConnectionState slowest = null;
        long slowestRate = Long.MAX_VALUE;
        int slowestPhase = -1;
        for (ConnectionState c : context.connections) {
            int p = c.phase();
            long rate = c.shortfallRate(now);
            if (rate >= 0 && rate < slowestRate) {
                slowest = c;
                slowestRate = rate;
                slowestPhase = p;
            }
        }
        if (slowest != null && slowest.shed(slowestPhase)) {
            context.engine().wake(slowest, CloseReason.LEAST_PROGRESS);
            return true;
        }
        noSheddingBefore = now + SHED_RESCAN_NANOS;
        return false;
    }
}
