package dev.sluice.bench;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicLongArray;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * A closed-loop request/response load generator: each of {@code --connections} connections, on a
 * virtual thread of its own, sends a request and waits for the whole answer, then sends the next.
 * The offered load therefore adapts to the server: the latencies it reports are <b>closed-loop</b>
 * (a slow answer delays the requests behind it instead of being counted against them, so the
 * percentiles suffer coordinated omission and understate what an open-loop client would see).
 *
 * <pre>
 * --port N              the server (required); --host (default 127.0.0.1)
 * --connections C       (default 64)
 * --warmup 5s           load before measuring, not counted
 * --duration 10s        the measured window
 * --payload 64          bytes per request; the answer must be the same bytes
 * --protocol echo       echo: raw bytes; framed: a 4-byte length before the bytes ({@link FramedCodec})
 * --server-pid PID      read the server's CPU time at the window's edges: CPU per request
 * --connect-timeout 5s
 * --idle N              instead: open N connections, one exchange on each, print "ready ...", hold
 *                       them idle until stdin ends, then close them
 * </pre>
 *
 * <p>Prints a human summary and a {@code result key=value ...} line for scripts. Connections that
 * complete no request in the window are counted as {@code starved}: an engine that serves fewer
 * connections than it was given shows here, not in the latencies (which only cover answers).
 */
public final class Load {
    private final InetSocketAddress address;
    private final byte[] request;
    private final Duration connectTimeout;
    private final Recorder recorder = new Recorder(3);
    private final LongAdder done = new LongAdder();
    private final LongAdder errors = new LongAdder();
    private volatile boolean running = true;

    private Load(InetSocketAddress address, byte[] request, Duration connectTimeout) {
        this.address = address;
        this.request = request;
        this.connectTimeout = connectTimeout;
    }

    public static void main(String[] args) throws Exception {
        Flags f = Flags.parse(args, "host", "port", "connections", "warmup", "duration", "payload",
                "protocol", "server-pid", "connect-timeout", "idle", "exchange-timeout");
        if (!f.has("port")) {
            throw new IllegalArgumentException("--port is required");
        }
        var address = new InetSocketAddress(f.string("host", "127.0.0.1"), f.integer("port", 0));
        byte[] request = request(f.integer("payload", 64), f.string("protocol", "echo"));
        Load load = new Load(address, request, f.duration("connect-timeout", Duration.ofSeconds(5)));
        if (f.has("idle")) {
            IdleClient.run(load, f.integer("idle", 0), f.duration("exchange-timeout", Duration.ofSeconds(5)));
            return;
        }
        load.closedLoop(f.integer("connections", 64), f.duration("warmup", Duration.ofSeconds(5)),
                f.duration("duration", Duration.ofSeconds(10)), f.integer("server-pid", -1));
    }

    /** The bytes of one request; the answer is expected to be the same bytes. */
    static byte[] request(int payload, String protocol) {
        byte[] body = new byte[payload];
        for (int i = 0; i < payload; i++) {
            body[i] = (byte) ('a' + i % 26);
        }
        return switch (protocol) {
            case "echo" -> body;
            case "framed" -> java.nio.ByteBuffer.allocate(4 + payload).putInt(payload).put(body).array();
            default -> throw new IllegalArgumentException("unknown protocol '" + protocol
                    + "'; expected echo or framed");
        };
    }

    Socket connect() throws IOException {
        Socket s = new Socket();
        try {
            s.setTcpNoDelay(true);
            s.connect(address, (int) connectTimeout.toMillis());
            return s;
        } catch (IOException e) {
            s.close();
            throw e;
        }
    }

    /** One exchange: send the request, read the whole answer; false if it differs. */
    boolean exchange(Socket s, byte[] answer) throws IOException {
        OutputStream out = s.getOutputStream();
        InputStream in = s.getInputStream();
        out.write(request);
        int got = 0;
        while (got < answer.length) {
            int n = in.read(answer, got, answer.length - got);
            if (n < 0) {
                throw new IOException("end of stream after " + got + " of " + answer.length + " bytes");
            }
            got += n;
        }
        return Arrays.equals(answer, request);
    }

    byte[] newAnswerBuffer() {
        return new byte[request.length];
    }

    /** Opens {@code n} connections at once; a slot is null where the connect failed. */
    Socket[] connectAll(int n) throws InterruptedException {
        Socket[] sockets = new Socket[n];
        List<Thread> threads = new ArrayList<>(n);
        for (int i = 0; i < n; i++) {
            int slot = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    sockets[slot] = connect();
                } catch (IOException e) {
                    errors.increment();
                }
            }));
        }
        for (Thread t : threads) {
            t.join();
        }
        return sockets;
    }

    private void closedLoop(int connections, Duration warmup, Duration duration, long serverPid)
            throws InterruptedException {
        Socket[] sockets = connectAll(connections);
        long connectErrors = errors.sum();
        AtomicLongArray perConnection = new AtomicLongArray(connections);
        List<Thread> threads = new ArrayList<>(connections);
        for (int i = 0; i < connections; i++) {
            int slot = i;
            threads.add(Thread.ofVirtual().start(() -> {
                try {
                    drive(sockets, slot, perConnection);
                } catch (Throwable e) {
                    // drive() handles I/O failures itself; this is a safety net so that a
                    // connection that dies mid-window is counted, and one closed at the end is not.
                    if (running) {
                        errors.increment();
                        System.err.println("connection " + slot + " ended: " + e);
                    }
                }
            }));
        }
        Thread.sleep(warmup);
        Snapshot a = snapshot(perConnection, serverPid);
        recorder.getIntervalHistogram(); // drop the warmup's latencies
        Thread.sleep(duration);
        Snapshot b = snapshot(perConnection, serverPid);
        Histogram h = recorder.getIntervalHistogram();
        running = false;
        for (Socket s : sockets) {
            closeQuietly(s);
        }
        for (Thread t : threads) {
            t.join(Duration.ofSeconds(5));
        }
        report(connections, connectErrors, a, b, h);
    }

    /** Closed loop on one connection; reconnects after a failure. */
    private void drive(Socket[] sockets, int slot, AtomicLongArray perConnection) {
        byte[] answer = newAnswerBuffer();
        while (running) {
            Socket s = sockets[slot];
            try {
                if (s == null) {
                    Thread.sleep(10); // do not spin against a server that refuses
                    s = sockets[slot] = connect();
                }
                long start = System.nanoTime();
                boolean same = exchange(s, answer);
                long took = System.nanoTime() - start;
                if (!same) {
                    errors.increment();
                    continue;
                }
                recorder.recordValue(took);
                done.increment();
                perConnection.lazySet(slot, perConnection.get(slot) + 1);
            } catch (IOException e) {
                if (!running) {
                    return;
                }
                errors.increment();
                closeQuietly(s);
                sockets[slot] = null;
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    private record Snapshot(long nanos, long requests, long errors, long[] perConnection,
                            double serverCpu, double clientCpu) {
    }

    private Snapshot snapshot(AtomicLongArray perConnection, long serverPid) {
        long[] counts = new long[perConnection.length()];
        for (int i = 0; i < counts.length; i++) {
            counts[i] = perConnection.get(i);
        }
        return new Snapshot(System.nanoTime(), done.sum(), errors.sum(), counts,
                serverPid > 0 ? ProcStat.cpuSeconds(serverPid) : Double.NaN,
                ProcStat.cpuSeconds(ProcessHandle.current().pid()));
    }

    private void report(int connections, long connectErrors, Snapshot a, Snapshot b, Histogram h) {
        double seconds = (b.nanos - a.nanos) / 1e9;
        long requests = b.requests - a.requests;
        int served = 0;
        for (int i = 0; i < connections; i++) {
            if (b.perConnection[i] > a.perConnection[i]) {
                served++;
            }
        }
        double serverCpu = b.serverCpu - a.serverCpu;
        double clientCpu = b.clientCpu - a.clientCpu;
        double rps = requests / seconds;
        double cpuPerRequestMicros = requests == 0 ? Double.NaN : serverCpu * 1e6 / requests;
        System.out.printf(Locale.ROOT, "connections %d (connect errors %d), window %.1f s%n",
                connections, connectErrors, seconds);
        System.out.printf(Locale.ROOT, "requests %d, %.0f req/s, errors %d%n",
                requests, rps, b.errors - a.errors);
        System.out.printf(Locale.ROOT, "served %d of %d connections (%d starved: no answer in the window)%n",
                served, connections, connections - served);
        System.out.printf(Locale.ROOT, "closed-loop latency (us): p50 %.1f  p99 %.1f  p99.9 %.1f  max %.1f%n",
                us(h, 50), us(h, 99), us(h, 99.9), h.getMaxValue() / 1e3);
        System.out.printf(Locale.ROOT,
                "server cpu %.2f s (%.0f%% of a core), %.2f us/request; client cpu %.0f%% of a core%n",
                serverCpu, 100 * serverCpu / seconds, cpuPerRequestMicros, 100 * clientCpu / seconds);
        System.out.printf(Locale.ROOT, "result rps=%.0f requests=%d errors=%d connect_errors=%d served=%d "
                        + "connections=%d p50_us=%.1f p99_us=%.1f p999_us=%.1f max_us=%.1f "
                        + "server_cpu_s=%.2f server_util=%.3f cpu_us_per_req=%.2f client_util=%.3f%n",
                rps, requests, b.errors - a.errors, connectErrors, served, connections,
                us(h, 50), us(h, 99), us(h, 99.9), h.getMaxValue() / 1e3,
                serverCpu, serverCpu / seconds, cpuPerRequestMicros, clientCpu / seconds);
    }

    private static double us(Histogram h, double percentile) {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(percentile) / 1e3;
    }

    static void closeQuietly(Socket s) {
        if (s == null) {
            return;
        }
        try {
            s.close();
        } catch (IOException e) {
            // Closing is all that is left.
        }
    }

    /** Closes with SO_LINGER 0: the kernel sends RST instead of FIN. */
    static void reset(Socket s) {
        try {
            s.setSoLinger(true, 0);
        } catch (IOException e) {
            // already closed by the peer: closing is all that is left
        }
        closeQuietly(s);
    }
}
