package dev.sluice.bench;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.net.SocketException;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.SplittableRandom;

/**
 * The soak's clients, each a loop that runs on a thread of its own until {@link #stop()}.
 * Ordinary clients ({@link #keepAlive}, {@link #perRequest}) check every answer byte for byte and
 * count a wrong or missing one as a failure. The others misbehave ({@link #slowHead},
 * {@link #slowBody}, {@link #resetMidRequest}, {@link #resetMidResponse}, {@link #neverRead}) and
 * count what the server did to them; a slow client the server lets stay longer than its timeout
 * plus {@code grace} is counted as uncut.
 */
final class SoakClients {
    /** Read timeout of ordinary requests: generous, this VM stalls for seconds at a time. */
    private static final int ORDINARY_READ_TIMEOUT_MS = 30_000;
    private static final int CONNECT_TIMEOUT_MS = 10_000;
    /** The pause between the bytes of a slow client. */
    private static final int DRIBBLE_MS = 250;
    /** Requests a never-reading client pipelines: 32 MiB, more than loopback socket buffers hold. */
    private static final int NEVER_READ_REQUESTS = 32;

    private final InetSocketAddress address;
    private final SoakFiles files;
    private final SoakCounters counters;
    private final Duration headerTimeout;
    private final Duration idleTimeout;
    private final Duration writeTimeout;
    private final Duration grace;
    private final int thinkMs;
    private final boolean expectBodyCut;
    private volatile boolean running = true;

    SoakClients(InetSocketAddress address, SoakFiles files, SoakCounters counters, Duration headerTimeout,
                Duration idleTimeout, Duration writeTimeout, Duration grace, int thinkMs, boolean expectBodyCut) {
        this.address = address;
        this.files = files;
        this.counters = counters;
        this.headerTimeout = headerTimeout;
        this.idleTimeout = idleTimeout;
        this.writeTimeout = writeTimeout;
        this.grace = grace;
        this.thinkMs = thinkMs;
        this.expectBodyCut = expectBodyCut;
    }

    void stop() {
        running = false;
    }

    /**
     * Keep-alive: one connection for request after request. A request on a reused connection
     * that the server closed before answering (its idle timeout raced our send) is sent again
     * once on a new connection, as RFC 9110 section 9.2.2 lets a client do for idempotent
     * methods; counted as {@code stale_retry}, a failure only if the retry fails too.
     */
    void keepAlive(long seed) {
        String kind = "keep_alive";
        SplittableRandom random = new SplittableRandom(seed);
        CountingInput in = null;
        while (running) {
            SoakRequest r = SoakRequest.pick(random, files);
            try {
                Sent sent = in == null ? send(open(), false, r) : send(in, true, r);
                in = sent.in();
                verdict(kind, r, sent.reply());
                if (sent.reply().closes()) {
                    Load.closeQuietly(in.socket);
                    in = null;
                }
            } catch (IOException | RuntimeException e) {
                counters.fail(kind, r + ": " + e);
                if (in != null) {
                    Load.closeQuietly(in.socket);
                }
                in = null;
            }
            think();
        }
        if (in != null) {
            Load.closeQuietly(in.socket);
        }
    }

    /** A reply and the connection it came on. */
    private record Sent(CountingInput in, HttpReply reply) {
    }

    /** A new keep-alive connection. */
    private CountingInput open() throws IOException {
        return new CountingInput(connect(ORDINARY_READ_TIMEOUT_MS));
    }

    /** Sends {@code r} on {@code in}; once more on a new connection if a {@code reused} one was stale. */
    private Sent send(CountingInput in, boolean reused, SoakRequest r) throws IOException {
        long before = in.count;
        try {
            return new Sent(in, exchange(in.socket, in, r, false));
        } catch (IOException e) {
            if (!reused || in.count != before || !stale(e)) {
                if (!reused) {
                    Load.closeQuietly(in.socket); // a caller holds only a connection it got back
                }
                throw e;
            }
            counters.count("keep_alive", "stale_retry");
            Load.closeQuietly(in.socket);
            CountingInput fresh = open();
            try {
                return new Sent(fresh, exchange(fresh.socket, fresh, r, false));
            } catch (IOException | RuntimeException again) {
                Load.closeQuietly(fresh.socket);
                throw again;
            }
        }
    }

    /** Whether {@code e}, with no byte of an answer read, says a reused connection had been closed. */
    private static boolean stale(IOException e) {
        return e instanceof HttpReply.NoResponseException || e instanceof SocketException;
    }

    /** Connection per request: {@code Connection: close}, and the server must then close. */
    void perRequest(long seed) {
        String kind = "per_request";
        SplittableRandom random = new SplittableRandom(seed);
        while (running) {
            SoakRequest r = SoakRequest.pick(random, files);
            try (Socket s = connect(ORDINARY_READ_TIMEOUT_MS)) {
                InputStream in = new BufferedInputStream(s.getInputStream());
                HttpReply reply = exchange(s, in, r, true);
                if (!reply.closes()) {
                    counters.fail(kind, r + ": no Connection: close in the answer to one");
                } else if (in.read() >= 0) {
                    counters.fail(kind, r + ": bytes after the answer on a closing connection");
                } else {
                    verdict(kind, r, reply);
                }
            } catch (IOException | RuntimeException e) {
                counters.fail(kind, r + ": " + e);
            }
            think();
        }
    }

    private static HttpReply exchange(Socket s, InputStream in, SoakRequest r, boolean close) throws IOException {
        OutputStream out = s.getOutputStream();
        out.write(r.bytes(close));
        out.flush();
        return HttpReply.read(in, r.method());
    }

    private void verdict(String kind, SoakRequest r, HttpReply reply) {
        String wrong = r.check(reply);
        if (wrong == null) {
            counters.count(kind, "ok");
        } else {
            counters.fail(kind, r + ": " + wrong);
        }
    }

    /**
     * Slowloris: a request head sent a byte every {@value #DRIBBLE_MS} ms, never finished. The
     * server must answer 408 and close within the header timeout plus the grace.
     */
    void slowHead() {
        String kind = "slow_head";
        byte[] start = "GET /small-1.bin HTTP/1.1\r\nHost: soak\r\n".getBytes(StandardCharsets.ISO_8859_1);
        byte[] filler = "X-Slow: aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\r\n".getBytes(StandardCharsets.ISO_8859_1);
        while (running) {
            dribbleUntilCut(kind, start, filler, headerTimeout, true);
        }
    }

    /**
     * Slow bodies, in turn: a head promising 100,000 body bytes followed by 100 of them and then
     * nothing (the idle timeout must cut it), or by a byte every {@value #DRIBBLE_MS} ms. The
     * dribble makes progress, so only a minimum body rate cuts it: a dribble still open after the
     * header and idle timeouts plus the grace is uncut when {@code expectBodyCut}, else counted
     * as {@code still_open}.
     */
    void slowBody() {
        String kind = "slow_body";
        byte[] head = ("POST /small-1.bin HTTP/1.1\r\nHost: soak\r\nContent-Length: 100000\r\n\r\n"
                + "x".repeat(100)).getBytes(StandardCharsets.ISO_8859_1);
        byte[] body = "y".repeat(100_000).getBytes(StandardCharsets.ISO_8859_1);
        boolean stall = true;
        while (running) {
            if (stall) {
                dribbleUntilCut(kind + "_stalled", head, new byte[0], idleTimeout, true);
            } else {
                dribbleUntilCut(kind + "_dribbled", head, body, headerTimeout.plus(idleTimeout), expectBodyCut);
            }
            stall = !stall;
        }
    }

    /**
     * Sends {@code start}, then {@code filler} a byte at a time, {@value #DRIBBLE_MS} ms apart,
     * until the server answers or closes; counts the outcome under {@code kind}: the status
     * ({@code 408}), {@code closed} without an answer, or after {@code timeout} + grace uncut
     * ({@code required}) or {@code still_open}.
     */
    private void dribbleUntilCut(String kind, byte[] start, byte[] filler, Duration timeout, boolean required) {
        long t0 = System.nanoTime();
        long limit = timeout.plus(grace).toNanos();
        try (Socket s = connect(DRIBBLE_MS)) {
            OutputStream out = s.getOutputStream();
            InputStream in = new BufferedInputStream(s.getInputStream());
            out.write(start);
            out.flush();
            for (int i = 0; ; i++) {
                if (!running) {
                    counters.count(kind, "stopped");
                    return;
                }
                if (System.nanoTime() - t0 > limit) {
                    if (required) {
                        counters.uncut(kind, "still open after " + ms(System.nanoTime() - t0) + " ms");
                    } else {
                        counters.count(kind, "still_open");
                    }
                    return;
                }
                Dribble.sendQuietly(out, filler, i);
                int b = Dribble.peek(in);
                if (b == Dribble.NOTHING_YET) {
                    continue; // the pause between two bytes
                }
                if (b >= 0) {
                    s.setSoTimeout(ORDINARY_READ_TIMEOUT_MS);
                }
                counters.count(kind, b >= 0 ? Dribble.answer(in) : "closed");
                counters.max(kind, "max_cut_ms", ms(System.nanoTime() - t0));
                return;
            }
        } catch (IOException e) {
            counters.fail(kind, "connect: " + e);
        }
    }

    /** Part of a request head, then a reset (SO_LINGER 0) instead of the rest. */
    void resetMidRequest(long seed) {
        String kind = "reset_mid_request";
        SplittableRandom random = new SplittableRandom(seed);
        byte[] request = SoakRequest.pick(random, files).bytes(false);
        while (running) {
            try {
                Socket s = connect(ORDINARY_READ_TIMEOUT_MS);
                s.getOutputStream().write(request, 0, 1 + random.nextInt(request.length - 1));
                s.getOutputStream().flush();
                pause(random.nextInt(50));
                Load.reset(s);
                counters.count(kind, "reset");
            } catch (IOException e) {
                counters.fail(kind, "connect: " + e);
            }
            pause(5);
        }
    }

    /** A request for the big file, part of the answer read, then a reset. */
    void resetMidResponse(long seed) {
        String kind = "reset_mid_response";
        SplittableRandom random = new SplittableRandom(seed);
        byte[] request = ("GET /" + SoakFiles.BIG_NAME + " HTTP/1.1\r\nHost: soak\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        while (running) {
            try {
                Socket s = connect(ORDINARY_READ_TIMEOUT_MS);
                s.getOutputStream().write(request);
                s.getOutputStream().flush();
                int want = 1 + random.nextInt(SoakFiles.BIG_BYTES / 2);
                byte[] buf = new byte[8192];
                int got = 0;
                for (int n; got < want && (n = s.getInputStream().read(buf)) > 0; ) {
                    got += n;
                }
                Load.reset(s);
                counters.count(kind, got >= want ? "reset" : "server_closed_first");
            } catch (IOException e) {
                counters.fail(kind, e.toString());
            }
            pause(5);
        }
    }

    /**
     * Pipelines {@value #NEVER_READ_REQUESTS} requests for the big file and reads nothing for
     * the write timeout plus 2 s; then reads what arrived. Fewer bytes than asked for means the
     * server cut it ({@code cut}); all of them means it was still writing when we began to read,
     * 2 s after its write timeout should have fired (socket buffers hold a few MiB, not 32): uncut.
     */
    void neverRead() {
        String kind = "never_read";
        byte[] one = ("GET /" + SoakFiles.BIG_NAME + " HTTP/1.1\r\nHost: soak\r\n\r\n")
                .getBytes(StandardCharsets.ISO_8859_1);
        byte[] request = new byte[one.length * NEVER_READ_REQUESTS];
        for (int i = 0; i < NEVER_READ_REQUESTS; i++) {
            System.arraycopy(one, 0, request, i * one.length, one.length);
        }
        while (running) {
            try (Socket s = connect(5_000)) {
                s.getOutputStream().write(request);
                s.getOutputStream().flush();
                long until = System.nanoTime() + writeTimeout.plusSeconds(2).toNanos();
                while (running && System.nanoTime() < until) {
                    pause(100);
                }
                if (!running) {
                    counters.count(kind, "stopped");
                    return;
                }
                long got = 0;
                byte[] buf = new byte[64 * 1024];
                try {
                    for (int n; (n = s.getInputStream().read(buf)) > 0; ) {
                        got += n;
                    }
                } catch (IOException e) {
                    // reset or timeout: what arrived is counted below
                }
                if (got < (long) NEVER_READ_REQUESTS * SoakFiles.BIG_BYTES) {
                    counters.count(kind, "cut");
                } else {
                    counters.uncut(kind, "all " + got + " bytes arrived: the write timeout did not fire");
                }
            } catch (IOException e) {
                counters.fail(kind, e.toString());
            }
        }
    }

    private Socket connect(int readTimeoutMs) throws IOException {
        Socket s = new Socket();
        try {
            s.connect(address, CONNECT_TIMEOUT_MS);
            s.setSoTimeout(readTimeoutMs);
            s.setTcpNoDelay(true);
            return s;
        } catch (IOException e) {
            Load.closeQuietly(s);
            throw e;
        }
    }

    private void think() {
        if (thinkMs > 0) {
            pause(thinkMs);
        }
    }

    private static void pause(long ms) {
        try {
            Thread.sleep(ms);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long ms(long nanos) {
        return nanos / 1_000_000;
    }
}
