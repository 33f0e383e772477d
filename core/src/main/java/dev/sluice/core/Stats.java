package dev.sluice.core;

import java.util.concurrent.atomic.LongAdder;
import java.util.function.IntSupplier;

/**
 * Live counters and gauges of one {@link Server}. Counters only grow; gauges go up and down.
 * Writers use striped adders, so counting costs no contention on the hot path; a read sums the
 * stripes and is exact once the server is quiet. Safe to read from any thread at any time.
 */
public final class Stats {
    private final LongAdder accepted = new LongAdder();
    private final LongAdder rejected = new LongAdder();
    private final LongAdder rejectedPerIp = new LongAdder();
    private final LongAdder open = new LongAdder();
    private final LongAdder requests = new LongAdder();
    private final LongAdder bytesIn = new LongAdder();
    private final LongAdder bytesOut = new LongAdder();
    private final LongAdder busy = new LongAdder();
    private final LongAdder[] closes = new LongAdder[CloseReason.values().length];
    private final TlsStats tls = new TlsStats();
    private volatile IntSupplier queueDepth = () -> 0;
    private volatile IntSupplier idle = () -> 0;

    Stats() {
        for (int i = 0; i < closes.length; i++) {
            closes[i] = new LongAdder();
        }
    }

    /** The TLS handshakes of a TLS listener ({@link ServerConfig#withTls}); all zero otherwise. */
    public TlsStats tls() {
        return tls;
    }

    /** Connections taken from the listen backlog, rejected ones included. */
    public long accepted() {
        return accepted.sum();
    }

    /** Connections turned away at the connection limit ({@link OverloadPolicy#REJECT}). */
    public long rejected() {
        return rejected.sum();
    }

    /**
     * Connections turned away because their client address had
     * {@link ServerConfig#maxConnectionsPerIp()} open; not counted in {@link #rejected()}.
     */
    public long rejectedPerIp() {
        return rejectedPerIp.sum();
    }

    /** Connections open now (gauge). */
    public long open() {
        return open.sum();
    }

    /** Connections closed for {@code reason}. */
    public long closes(CloseReason reason) {
        return closes[reason.ordinal()].sum();
    }

    /** Requests decoded and handed to the handler. */
    public long requests() {
        return requests.sum();
    }

    /** Bytes read from clients. */
    public long bytesIn() {
        return bytesIn.sum();
    }

    /** Bytes written to clients. */
    public long bytesOut() {
        return bytesOut.sum();
    }

    /**
     * Threads serving a connection now (gauge): on the blocking engines every thread that holds a
     * connection, even one waiting for its client; on {@code event-loop} the handlers running on
     * virtual threads.
     */
    public long busyThreads() {
        return busy.sum();
    }

    /** Accepted connections waiting for a thread now ({@code pool}; 0 on the other engines). */
    public int queueDepth() {
        return queueDepth.getAsInt();
    }

    /**
     * Open connections waiting for the first byte of a next request (gauge): the ones that
     * would be closed to make room at the connection limit, or at shutdown. Counted when read,
     * by a pass over the open connections, so nothing is spent on it per request.
     */
    public int idle() {
        return idle.getAsInt();
    }

    void onAccepted() { accepted.increment(); }

    void onRejected() { rejected.increment(); }

    void onRejectedPerIp() { rejectedPerIp.increment(); }

    void onOpened() { open.increment(); }

    void onClosed(CloseReason reason) {
        open.decrement();
        closes[reason.ordinal()].increment();
    }

    void onClosedUnopened(CloseReason reason) {
        closes[reason.ordinal()].increment();
    }

    void onRequest() { requests.increment(); }

    void addBytesIn(long n) { bytesIn.add(n); }

    void addBytesOut(long n) { bytesOut.add(n); }

    void addBusy(int delta) { busy.add(delta); }

    void queueDepthFrom(IntSupplier supplier) { queueDepth = supplier; }

    void idleFrom(IntSupplier supplier) { idle = supplier; }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder();
        sb.append("open=").append(open()).append(" accepted=").append(accepted())
                .append(" rejected=").append(rejected()).append(" rejected_per_ip=").append(rejectedPerIp())
                .append(" requests=").append(requests())
                .append(" bytes_in=").append(bytesIn()).append(" bytes_out=").append(bytesOut())
                .append(" idle=").append(idle()).append(" busy_threads=").append(busyThreads())
                .append(" queue=").append(queueDepth());
        for (CloseReason r : CloseReason.values()) {
            sb.append(" closed_").append(r.logName()).append('=').append(closes(r));
        }
        return sb.toString();
    }
}
