package dev.sluice.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.StandardSocketOptions;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.SocketChannel;
import java.util.Comparator;
import java.util.PriorityQueue;
import org.HdrHistogram.Histogram;

/**
 * The fixed-rate schedule of {@link OpenLoop}, run by one thread over non-blocking channels (like
 * wrk2: no thread hand-offs between a response and the next request, so the client's own delay
 * stays in microseconds). Each connection owes a request every {@code interval} ns; a request is
 * timed from its due time. When the next due time is under two milliseconds away the thread polls
 * instead of sleeping ({@link Selector#select(long)} counts whole milliseconds), so the client's
 * core is busy for the whole run: it has a core of its own.
 *
 * <p>Counts, for requests due in the measured window: {@code ok} (2xx), {@code non2xx},
 * {@code connect_errors}, {@code rejected} (failed on a connection never answered),
 * {@code admitted_errors} (failed on a connection already answered), {@code retried} (a reused
 * connection closed before any byte of the answer: sent again once on a new one), {@code unsent}
 * (still owed when the run gave up waiting, two seconds after the window).
 */
final class FixedRateClient {
    private static final long GRACE_NANOS = 2_000_000_000L;
    private static final long BACKOFF_NANOS = 10_000_000L;
    private static final long SPIN_NANOS = 2_000_000L;

    private final InetSocketAddress address;
    private final byte[] request;
    private final long timeoutNanos;
    private final Histogram histogram = new Histogram(3);
    /**
     * Latencies of admitted requests: due once their connection had been answered and had caught
     * up with its schedule (see {@link #admittedHistogram()}).
     */
    private final Histogram admitted = new Histogram(3);
    long ok, non2xx, connectErrors, rejected, admittedErrors, retried, unsent, reconnects;

    private final PriorityQueue<Conn> waiting = new PriorityQueue<>(Comparator.comparingLong(c -> c.at));
    private Selector selector;
    private long interval, measureFrom, end;
    private int finished;

    FixedRateClient(InetSocketAddress address, byte[] request, long timeoutNanos) {
        this.address = address;
        this.request = request;
        this.timeoutNanos = timeoutNanos;
    }

    Histogram histogram() {
        return histogram;
    }

    /**
     * The latencies of requests that fell due after their connection had caught up: answered
     * at least once, and with no request overdue (the first answer after which the next request
     * was not yet due). Under overload that is the admitted clients' experience, without the
     * time newcomers waited in the backlog, nor the catching up that follows it: a connection
     * admitted after seconds in the backlog owes dozens of requests, sends them one at a time,
     * and a request that falls due meanwhile waits behind them on the client's side.
     */
    Histogram admittedHistogram() {
        return admitted;
    }

    /** Runs the schedule: warm-up from now, then the measured window; returns when it is over. */
    void run(int connections, long rate, long warmupNanos, long durationNanos) throws IOException {
        selector = Selector.open();
        interval = Math.max(1, Math.round(connections * 1e9 / rate));
        long start = System.nanoTime() + 100_000_000L;
        measureFrom = start + warmupNanos;
        end = measureFrom + durationNanos;
        Conn[] all = new Conn[connections];
        for (int i = 0; i < connections; i++) {
            all[i] = new Conn();
            all[i].due = all[i].at = start + interval * i / connections;
            waiting.add(all[i]);
        }
        long lastTimeoutScan = 0;
        while (finished < connections) {
            long now = System.nanoTime();
            if (now > end + GRACE_NANOS) {
                for (Conn c : all) {
                    giveUp(c);
                }
                break;
            }
            while (!waiting.isEmpty() && waiting.peek().at <= now) {
                due(waiting.poll(), now);
            }
            selectUntilDue();
            if (now - lastTimeoutScan > 100_000_000L) {
                lastTimeoutScan = now;
                failOverdue(all, now);
            }
        }
        for (Conn c : all) {
            c.close();
        }
        selector.close();
    }

    /** Handles what is ready, waiting at most until the next connection is due (spinning near it). */
    private void selectUntilDue() throws IOException {
        long wait = waiting.isEmpty() ? 50_000_000L : waiting.peek().at - System.nanoTime();
        int ready = wait < SPIN_NANOS ? selector.selectNow() : selector.select((wait - SPIN_NANOS / 2) / 1_000_000);
        if (ready > 0) {
            for (var it = selector.selectedKeys().iterator(); it.hasNext(); ) {
                SelectionKey k = it.next();
                it.remove();
                if (k.isValid()) {
                    event((Conn) k.attachment(), k);
                }
            }
        }
    }

    /** Fails every request in flight for longer than the timeout. */
    private void failOverdue(Conn[] all, long now) {
        for (Conn c : all) {
            if (c.inFlight && now - c.sentAt > timeoutNanos) {
                fail(c, false, System.nanoTime());
            }
        }
    }

    /** The connection's `at` has come: connect if it has no channel, else send. */
    private void due(Conn c, long now) {
        if (c.ch == null) {
            c.pendingSend = true;
            connect(c, now);
        } else if (c.connected) {
            send(c, now);
        } else {
            c.pendingSend = true;
        }
    }

    private void connect(Conn c, long now) {
        try {
            c.ch = SocketChannel.open();
            c.ch.configureBlocking(false);
            c.ch.setOption(StandardSocketOptions.TCP_NODELAY, true);
            c.connected = c.ch.connect(address);
            c.answered = 0;
            c.caughtUp = false;
            reconnects++;
            c.key = c.ch.register(selector, c.connected ? SelectionKey.OP_READ : SelectionKey.OP_CONNECT, c);
            if (c.connected && c.pendingSend) {
                send(c, now);
            }
        } catch (IOException e) {
            connectFailed(c, now);
        }
    }

    private void connectFailed(Conn c, long now) {
        c.close();
        if (c.due >= measureFrom) {
            connectErrors++;
        }
        c.pendingSend = false;
        if (advance(c)) {
            c.at = Math.max(c.due, now + BACKOFF_NANOS); // do not spin against a refusing server
            waiting.add(c);
        }
    }

    private void send(Conn c, long now) {
        c.pendingSend = false;
        c.inFlight = true;
        c.sentAt = now;
        c.parser.reset();
        c.responseBytes = 0;
        try {
            ByteBuffer b = ByteBuffer.wrap(request);
            while (b.hasRemaining()) {
                c.ch.write(b); // a request is far smaller than a socket buffer
            }
            c.key.interestOps(SelectionKey.OP_READ);
        } catch (IOException e) {
            fail(c, true, now);
        }
    }

    private void event(Conn c, SelectionKey k) {
        long now = System.nanoTime();
        if (k.isConnectable()) {
            finishConnect(c, k, now);
            return;
        }
        if (!k.isReadable()) {
            return;
        }
        try {
            c.buf.clear();
            int n = c.ch.read(c.buf);
            if (n < 0) {
                if (c.inFlight && c.parser.endsAtClose()) {
                    complete(c, c.parser.status(), now); // the body ran to the close, as announced
                } else {
                    fail(c, true, now);
                }
                return;
            }
            c.buf.flip();
            if (!c.inFlight) {
                return; // bytes nobody asked for: ignore
            }
            c.responseBytes += n;
            int status = c.parser.parse(c.buf);
            if (status > 0) {
                complete(c, status, System.nanoTime());
            }
        } catch (IOException | RuntimeException e) {
            fail(c, true, now);
        }
    }

    private void finishConnect(Conn c, SelectionKey k, long now) {
        try {
            c.ch.finishConnect();
            c.connected = true;
            k.interestOps(SelectionKey.OP_READ);
            if (c.pendingSend) {
                send(c, now);
            }
        } catch (IOException e) {
            connectFailed(c, now);
        }
    }

    private void complete(Conn c, int status, long now) {
        if (c.due >= measureFrom) {
            if (status >= 200 && status < 300) {
                histogram.recordValue(now - c.due);
                if (c.caughtUp && c.caughtUpAt - c.due <= 0) {
                    admitted.recordValue(now - c.due);
                }
                ok++;
            } else {
                non2xx++;
            }
        }
        c.inFlight = false;
        c.retried = false;
        c.answered++;
        if (c.parser.closeAfter()) {
            c.close();
        }
        if (advance(c)) {
            if (!c.caughtUp && c.due - now > 0) {
                c.caughtUp = true; // nothing overdue: from here on the schedule is the server's
                c.caughtUpAt = now;
            }
            c.at = c.due;
            waiting.add(c);
        }
    }

    /** A failure of the channel; `retryable` unless it was a timeout. */
    private void fail(Conn c, boolean retryable, long now) {
        boolean wasInFlight = c.inFlight;
        boolean answeredBefore = c.answered > 0;
        boolean nothingBack = c.responseBytes == 0;
        c.close();
        if (!wasInFlight) {
            return; // closed between requests: the next due time reconnects
        }
        c.inFlight = false;
        boolean measured = c.due >= measureFrom;
        if (retryable && answeredBefore && nothingBack && !c.retried) {
            // RFC 9112 9.3.1: the server closed a kept-alive connection as we reused it.
            c.retried = true;
            if (measured) {
                retried++;
            }
            c.pendingSend = true;
            connect(c, now);
            return;
        }
        c.retried = false;
        if (measured) {
            if (answeredBefore) {
                admittedErrors++;
            } else {
                rejected++;
            }
        }
        if (advance(c)) {
            c.at = Math.max(c.due, now + BACKOFF_NANOS);
            waiting.add(c);
        }
    }

    /** Moves to the next due time; false (and finished) when it falls after the window. */
    private boolean advance(Conn c) {
        c.due += interval;
        if (c.due >= end) {
            c.close();
            c.done = true;
            finished++;
            return false;
        }
        return true;
    }

    private void giveUp(Conn c) {
        if (c.done) {
            return;
        }
        for (long d = c.due; d < end; d += interval) {
            if (d >= measureFrom) {
                unsent++;
            }
        }
        c.done = true;
        finished++;
    }

    /** One connection: its channel, its schedule and the response being parsed. */
    private static final class Conn {
        SocketChannel ch;
        SelectionKey key;
        boolean connected, inFlight, pendingSend, retried, done, caughtUp;
        long due, at, sentAt, answered, responseBytes, caughtUpAt;
        final ByteBuffer buf = ByteBuffer.allocate(16 * 1024);
        final ResponseParser parser = new ResponseParser();

        void close() {
            if (ch != null) {
                try {
                    ch.close();
                } catch (IOException e) {
                    // Closing is all that is left.
                }
            }
            ch = null;
            key = null;
            connected = false;
        }
    }
}
