package dev.sluice.bench;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Semaphore;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;

/**
 * An open-loop (fixed-rate) HTTP/1.1 load generator: {@code --rate R} GET requests per second
 * spread evenly over {@code --connections C} keep-alive connections, a request every {@code C / R}
 * seconds on each. A request's latency runs from its <em>intended</em> send time, not from when it
 * was sent: a server that falls behind is charged for the whole queue it built (no coordinated
 * omission, as in wrk2). A connection that is late sends its overdue requests back to back until
 * it has caught up. The schedule runs on one thread: {@link FixedRateClient}.
 *
 * <pre>
 * --port N              the server (required); --host (default 127.0.0.1)
 * --path /              the request target
 * --connections C       (default 64)
 * --rate R              requests per second over all connections (default 10000)
 * --warmup 2s           load on the same schedule before measuring, not counted
 * --duration 5s         the measured window: requests whose intended time falls in it
 * --timeout 10s         the longest wait for one response (and for a connect)
 * --idle N              instead: open N connections, one request on each, print "ready ...",
 *                       hold them idle until stdin ends, then close them. Connects time out
 *                       after 2 s; after 1,000 failed connects the rest is not tried
 * </pre>
 *
 * <p>Prints a summary and a {@code result key=value ...} line for scripts; the failure counters
 * are described in {@link FixedRateClient}.
 */
public final class OpenLoop {
    /** {@code --idle}: handshakes in flight at once. */
    private static final int CONNECTING = 512;
    /** {@code --idle}: connect failures after which the rest is not tried. */
    private static final int GIVE_UP_AFTER = 1000;

    private OpenLoop() {
    }

    public static void main(String[] args) throws Exception {
        Flags f = Flags.parse(args, "host", "port", "path", "connections", "rate", "warmup",
                "duration", "timeout", "idle");
        if (!f.has("port")) {
            throw new IllegalArgumentException("--port is required");
        }
        String host = f.string("host", "127.0.0.1");
        int port = f.integer("port", 0);
        var address = new InetSocketAddress(host, port);
        byte[] request = ("GET " + f.string("path", "/") + " HTTP/1.1\r\nHost: " + host + ":" + port
                + "\r\n\r\n").getBytes(StandardCharsets.US_ASCII);
        Duration timeout = f.duration("timeout", Duration.ofSeconds(10));
        if (f.has("idle")) {
            idle(address, request, (int) timeout.toMillis(), f.integer("idle", 0));
            return;
        }
        int connections = f.integer("connections", 64);
        int rate = f.integer("rate", 10_000);
        Duration duration = f.duration("duration", Duration.ofSeconds(5));
        FixedRateClient c = new FixedRateClient(address, request, timeout.toNanos());
        c.run(connections, rate, f.duration("warmup", Duration.ofSeconds(2)).toNanos(), duration.toNanos());
        Histogram h = c.histogram();
        double seconds = duration.toNanos() / 1e9;
        System.out.printf(Locale.ROOT, "open loop: %d req/s offered over %d connections for %.1f s%n",
                rate, connections, seconds);
        System.out.printf(Locale.ROOT, "answered 2xx %d (%.0f/s), non-2xx %d, unsent %d; errors: connect %d, "
                        + "rejected %d, admitted %d; retried %d%n", c.ok, c.ok / seconds, c.non2xx, c.unsent,
                c.connectErrors, c.rejected, c.admittedErrors, c.retried);
        System.out.printf(Locale.ROOT, "latency from intended send time (us): p50 %.0f  p90 %.0f  p99 %.0f  "
                + "p99.9 %.0f  max %.0f%n", us(h, 50), us(h, 90), us(h, 99), us(h, 99.9), h.getMaxValue() / 1e3);
        System.out.printf(Locale.ROOT, "result offered_rps=%d scheduled=%d ok=%d goodput_rps=%.0f non2xx=%d unsent=%d "
                        + "connect_errors=%d rejected=%d admitted_errors=%d retried=%d connects=%d "
                        + "p50_us=%.1f p90_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f "
                        + "admitted_p50_us=%.1f admitted_p99_us=%.1f%n",
                rate, (long) Math.floor(rate * seconds), c.ok, c.ok / seconds, c.non2xx, c.unsent,
                c.connectErrors, c.rejected, c.admittedErrors, c.retried, c.reconnects,
                us(h, 50), us(h, 90), us(h, 99), us(h, 99.9), h.getMaxValue() / 1e3,
                us(c.admittedHistogram(), 50), us(c.admittedHistogram(), 99));
    }

    /**
     * {@code --idle N}: N connections, one request each, then held silent. Answers are awaited
     * until one deadline ({@code timeout} after the last request went out), so an engine that
     * leaves connections unserved costs seconds, not a timeout per connection.
     */
    private static void idle(InetSocketAddress address, byte[] request, int timeoutMillis, int n)
            throws Exception {
        // A few hundred handshakes at a time: all at once would overflow the listen backlog and
        // leave the rest to SYN retransmits seconds apart.
        IdleRun run = new IdleRun(address, request, Math.min(timeoutMillis, 2000), new Semaphore(CONNECTING),
                new AtomicLong(Long.MAX_VALUE), new LongAdder(), new LongAdder(), new HttpConnection[n]);
        List<Thread> threads = new ArrayList<>(n);
        int tried = 0;
        for (int i = 0; i < n; i++) {
            int slot = i;
            run.connecting().acquire();
            if (run.connectFailures().sum() >= GIVE_UP_AFTER) {
                // A server that stopped taking connections (a thread per connection, all busy):
                // the rest would only wait out their timeouts.
                run.connecting().release();
                break;
            }
            tried++;
            threads.add(Thread.ofVirtual().start(() -> run.hold(slot)));
        }
        run.connecting().acquire(CONNECTING); // every connect has ended
        run.deadline().set(System.nanoTime() + timeoutMillis * 1_000_000L);
        for (Thread t : threads) {
            t.join();
        }
        long answered = run.answered().sum();
        System.out.println("ready asked=" + n + " answered=" + answered + " failed="
                + (tried - answered) + " not_tried=" + (n - tried));
        System.out.flush();
        while (System.in.read() >= 0) {
            // Hold the connections until the script closes our stdin.
        }
        int open = 0;
        for (HttpConnection c : run.held()) {
            if (c != null) {
                open += c.stillOpen() ? 1 : 0;
                c.close();
            }
        }
        System.out.println("closed still_open=" + open);
    }

    /** What the connections of {@link #idle} share: one semaphore, one deadline, the counts. */
    private record IdleRun(InetSocketAddress address, byte[] request, int connectMillis, Semaphore connecting,
                           AtomicLong deadline, LongAdder connectFailures, LongAdder answered,
                           HttpConnection[] held) {

        /** Connects, sends the request, waits for the common deadline, then reads the answer. */
        void hold(int slot) {
            Socket s = new Socket();
            try {
                try {
                    s.setTcpNoDelay(true);
                    s.connect(address, connectMillis);
                    s.getOutputStream().write(request);
                } catch (IOException e) {
                    connectFailures.increment();
                    throw e;
                } finally {
                    connecting.release();
                }
                HttpConnection c = new HttpConnection(s);
                held[slot] = c;
                while (deadline.get() == Long.MAX_VALUE) {
                    Thread.sleep(10); // until every request is out
                }
                s.setSoTimeout((int) Math.max(1, (deadline.get() - System.nanoTime()) / 1_000_000));
                int status = c.readResponse();
                if (status >= 200 && status < 300 && !c.closeAfter()) {
                    answered.increment();
                }
            } catch (IOException | InterruptedException e) {
                Load.closeQuietly(s);
            }
        }
    }

    private static double us(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e3;
    }
}
