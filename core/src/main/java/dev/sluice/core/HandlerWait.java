package dev.sluice.core;

import java.io.IOException;
import java.net.SocketTimeoutException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import java.util.function.BooleanSupplier;

/**
 * How a handler's thread waits on its connection: for the bytes of a streamed body, or for the
 * client to take a piece of a streamed answer; and what it is told when a timeout or shutdown
 * ended the connection under it.
 */
final class HandlerWait {
    /** How often a waiting thread looks whether its connection closed under it. */
    private static final long POLL_NANOS = TimeUnit.MILLISECONDS.toNanos(100);

    private HandlerWait() {
    }

    /**
     * Parks until {@code done} holds or {@code c} is closed (whoever makes {@code done} true
     * unparks the thread). An interrupt does not end the wait, which the engine ends in any case;
     * it is kept for the caller.
     */
    static void until(BooleanSupplier done, ConnectionState c, Object blocker) {
        boolean interrupted = false;
        while (!done.getAsBoolean() && !c.isClosed()) {
            LockSupport.parkNanos(blocker, POLL_NANOS);
            interrupted |= Thread.interrupted();
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }

    /** What a stream call throws when a timeout or shutdown terminated {@code c} under it. */
    static IOException cut(ConnectionState c) {
        CloseReason r = c.terminalReason();
        return new SocketTimeoutException(r == null ? "closed" : r.logName());
    }
}
