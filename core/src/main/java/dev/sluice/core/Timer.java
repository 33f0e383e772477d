package dev.sluice.core;

import java.util.concurrent.locks.LockSupport;
import java.util.function.LongSupplier;

/**
 * Enforces the timeouts of the blocking engines with one platform thread, {@code sluice-timer},
 * and no timer object per connection or per read: each connection carries one deadline (a
 * {@code long} its owner rewrites as it moves between phases), and every tick the timer sweeps the
 * open connections for deadlines that have passed. An expired connection is terminated (see
 * {@link ConnectionState}) and its owner woken: a blocked read sees end of stream (the timer shuts the
 * socket's input), a blocked write fails (the timer closes the socket); the owner then answers
 * (HTTP: 408 for a header timeout) and closes.
 *
 * <p>The tick is an eighth of the shortest timeout, between 10 ms and 1 s, so a timeout fires at
 * most an eighth late. A sweep costs one volatile read per open connection.
 */
final class Timer implements Runnable {
    private final EngineContext context;
    private final Thread thread;
    private final long tickNanos;
    private final LongSupplier clock;
    private volatile boolean stopped;

    Timer(EngineContext context) {
        this(context, System::nanoTime);
    }

    Timer(EngineContext context, LongSupplier clock) {
        this.context = context;
        this.clock = clock;
        this.tickNanos = context.timeouts.tickNanos();
        this.thread = Thread.ofPlatform().name("sluice-timer").daemon().unstarted(this);
    }


    void start() {
        thread.start();
    }

    void stop() {
        stopped = true;
        LockSupport.unpark(thread);
    }

    @Override
    public void run() {
        while (!stopped) {
            LockSupport.parkNanos(tickNanos);
            sweep(clock.getAsLong());
        }
    }

    /** Terminates and wakes every connection whose deadline is at or before {@code now}. */
    void sweep(long now) {
        boolean draining = context.draining();
        for (ConnectionState c : context.connections) {
            CloseReason reason = c.expire(now);
            if (reason == null && draining && c.terminateIdle(now)) {
                reason = CloseReason.SHUTDOWN; // a first request that did not come in its grace
            }
            if (reason != null) {
                context.engine().wake(c, reason);
            }
        }
    }
}
