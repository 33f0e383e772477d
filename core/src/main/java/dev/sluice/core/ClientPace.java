package dev.sluice.core;

import java.io.IOException;
import java.nio.channels.SocketChannel;

/**
 * The minimum data rates' clocks for one connection ({@link ServerConfig#minBodyRate()},
 * {@link ServerConfig#minResponseRate()}): the body clock runs from a body's first read to the
 * request's end; the response clock from the first write the client leaves unread until it has
 * taken everything. What counts as taken of a response:
 * <ul>
 *   <li>where the kernel says ({@link NativeSocketOptions.AckCounter}), the bytes the client
 *       acknowledged since the clock started: not those the kernel took into its send buffer,
 *       which may hold megabytes. The owner asks at each progress it sees; a sweeper that finds
 *       the deadline passed asks again ({@link #responseDeadlineByAcks}), and so sees the
 *       progress of a blocking write still under way;</li>
 *   <li>elsewhere, the bytes written since, with {@link ServerConfig#RESPONSE_RATE_CREDIT_BYTES}
 *       credited in flight: a blocking write's progress is seen only when it returns.</li>
 * </ul>
 *
 * <p>Threads: the owner writes the clocks before it writes the connection's deadline; a sweeper
 * ({@link #responseDeadlineByAcks}) and the acceptor ({@link #shortfall}) read them after it, and
 * take what they read as an estimate.
 */
final class ClientPace {
    private final SocketChannel channel;
    private final MinDataRate bodyRate;
    private final MinDataRate responseRate;
    /** Null when the kernel does not say, or the response rate is off. */
    private final NativeSocketOptions.AckCounter acks;
    /** When the current body's first read began ({@code -1}: not in a body), and its bytes. */
    long bodyStart = -1;
    private long bodyBytes;
    /** When the response clock started ({@code -1}: stopped), and the bytes written since. */
    private long writeStart = -1;
    private long written;
    /** What the peer had acknowledged when the response clock started; -1 when the kernel did not say. */
    private long ackedAtStart = -1;

    ClientPace(SocketChannel channel, Timeouts timeouts) {
        this.channel = channel;
        this.bodyRate = timeouts.minBodyRate();
        this.responseRate = timeouts.minResponseRate();
        this.acks = responseRate.isOff() ? null : timeouts.acks();
    }

    /** Owner: body bytes are awaited; when the client falls below the body rate. */
    long bodyDeadline(long now) {
        if (bodyStart == -1) {
            bodyStart = now;
            bodyBytes = 0;
        }
        return bodyRate.deadline(bodyStart, bodyBytes);
    }

    /** Owner: {@code n} bytes of a body arrived. */
    void bodyRead(int n) {
        bodyBytes += n;
    }

    /** Owner: no body is being read; the next one's clock starts afresh. */
    void bodyDone() {
        bodyStart = -1;
    }

    /** Owner: a write waits for the client; when it falls below the response rate by what it took. */
    long responseDeadline(long now) {
        boolean starts = writeStart == -1;
        if (starts) {
            writeStart = now;
            written = 0;
            ackedAtStart = acked();
        }
        long acked = ackedAtStart < 0 ? -1 : starts ? ackedAtStart : acked();
        return responseRate.deadline(writeStart, acked >= 0 ? acked - ackedAtStart
                : written + ServerConfig.RESPONSE_RATE_CREDIT_BYTES);
    }

    /** Owner: the client took {@code n} more bytes of a write it had left waiting. */
    void took(long n) {
        written += n;
    }

    /** Owner: the client took everything written. */
    void caughtUp() {
        writeStart = -1;
    }

    /**
     * A sweeper: when the client falls below the response rate by what it has acknowledged since
     * the clock started, or -1 when the kernel does not say.
     */
    long responseDeadlineByAcks() {
        long t = writeStart;
        long atStart = ackedAtStart;
        long now = t != -1 && atStart >= 0 ? acked() : -1;
        return now < 0 ? -1 : responseRate.deadline(t, now - atStart);
    }

    /**
     * The acceptor, of a connection in phase {@code writing} (else reading a body): the client's
     * rate since the clock started, when it is below the rate after the grace; else -1. What it
     * took is what it acknowledged; where the kernel does not say, what it was written, with no
     * credit (on the blocking engines that includes what the kernel took into its send buffer at
     * once, since their clock starts before a write).
     */
    long shortfall(boolean writing, long now) {
        if (!writing) {
            long t = bodyStart;
            return t == -1 ? -1 : bodyRate.shortfall(t, bodyBytes, now);
        }
        long t = writeStart;
        long atStart = ackedAtStart;
        if (t == -1 || now - t < responseRate.grace().toNanos()) {
            return -1; // no system call for a client still in its grace
        }
        long acked = atStart >= 0 ? acked() : -1;
        return responseRate.shortfall(t, acked >= 0 ? acked - atStart : written, now);
    }

    /** What the peer has acknowledged, or -1 when the kernel does not say. */
    private long acked() {
        if (acks == null) {
            return -1;
        }
        try {
            return acks.bytesAcknowledged(channel);
        } catch (IOException e) {
            return -1; // closed meanwhile: the rule of bytes written stands
        }
    }
}
