package dev.sluice.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.ByteChannel;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SelectionKey;
import java.nio.channels.SocketChannel;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;

/**
 * TLS over one connection's socket, through the JDK's {@link SSLEngine}: what the protocol reads
 * and writes on an HTTPS listener. It follows the socket's mode: blocking, a read waits for
 * application bytes and a write for the socket to take every record; non-blocking (the event
 * loop), a read that cannot go on answers 0 and {@link #interest} says what it waits for.
 *
 * <p>The handshake happens inside {@link #read}, as the client's bytes arrive; its costly steps run
 * on the calling thread, or off an event loop ({@link DelegatedTasks}). The three buffers (records
 * in, plain text in, records out) are taken when needed and dropped once empty: none while idle.
 *
 * <p>Threads: the connection's owner; a delegated task on the executor.
 */
final class TlsChannel implements ByteChannel, GatheringByteChannel {
    static final byte HANDSHAKE_RECORD = 22; // the first byte of a TLS handshake record
    static final int RECORD_HEADER = 5;
    static final int BUFFERS_BYTES = 17 * 1024; // a record and its tag fit
    static final BufferPool BUFFERS = new BufferPool(256, BUFFERS_BYTES, false);
    static final ByteBuffer EMPTY = ByteBuffer.allocate(0); // no bytes, ever: shared by every channel
    private static final ByteBuffer[] NOTHING = {EMPTY};
    private static final int GO_ON = 0, WAIT = 2; // unwrapOnce: unwrap again; the next record is not all here
    private final SocketChannel raw;
    private final SSLEngine engine;
    private final byte[] notTls;
    private final TlsStats stats;
    private final ServerFlight flight = new ServerFlight(); // whether the handshake resumed a session
    private String failure; // why the handshake was refused, once it was
    private ByteBuffer netIn, appIn, netOut; // write mode
    final TlsEngines.Pools pools; // netOut's and a file's slices, heap or direct as the engine prefers
    private boolean firstByteSeen;
    private boolean handshakeDone;
    private boolean inboundDone;
    private int waitsFor = SelectionKey.OP_READ;
    private final DelegatedTasks tasks;

    /**
     * @param notTls what to answer, in clear, a client whose first byte shows it speaks plain
     *               text to this port (HTTP: a 400 that names https); empty to just close
     * @param stats where the handshake's outcome is counted
     * @param read the connection's first bytes (write mode), already read (after a PROXY header); or null
     */
    TlsChannel(SocketChannel raw, SSLEngine engine, byte[] notTls, TlsStats stats, ByteBuffer read) {
        this.raw = raw;
        this.engine = engine;
        this.notTls = notTls;
        this.stats = stats;
        this.tasks = new DelegatedTasks(engine);
        this.netIn = BUFFERS.dropIfEmpty(read);
        this.pools = TlsEngines.pools(engine);
    }

    /** From now on a handshake's costly steps run on {@code executor}, then {@code then} runs there. */
    void offloadTasks(Executor executor, Runnable then) {
        tasks.offload(executor, then);
    }

    boolean handshakeDone() {
        return handshakeDone;
    }

    /** Bytes of buffer this connection holds now: none while idle, its buffers dropped once empty. */
    int bufferedCapacity() {
        return Buffering.capacity(netIn) + Buffering.capacity(appIn) + Buffering.capacity(netOut);
    }

    /** The connection closed for {@code reason}: a handshake it cut short is counted as failed. */
    void onClose(CloseReason reason) {
        if (!handshakeDone) {
            stats.onFailure(failure != null ? failure
                    : reason == CloseReason.TLS_HANDSHAKE_TIMEOUT ? TlsStats.TIMEOUT : TlsStats.CLOSED);
        }
        tasks.whenIdle(() -> TlsEngines.release(engine)); // not under an unwrap off the loop
    }

    /** Blocking mode: completes the handshake; application bytes that came with it wait for {@link #read}. */
    void handshake() throws IOException {
        while (!handshakeDone) {
            if (unwrapSome(true) < 0) {
                throw new TlsException("client closed during the TLS handshake");
            }
        }
    }

    /** Application bytes: waits for some (non-blocking: 0 if none now), then adds what records read hold. */
    @Override
    public int read(ByteBuffer dst) throws IOException {
        int n = 0;
        while (dst.hasRemaining()) {
            if (appIn != null && appIn.position() > 0) {
                n += Buffering.transfer(appIn, dst);
                appIn = BUFFERS.dropIfEmpty(appIn);
                continue;
            }
            if (n > 0 && (netIn == null || netIn.position() == 0)) { // nothing more already read
                break;
            }
            int r = unwrapSome(n == 0);
            if (r <= 0) {
                if (!tasks.running()) { // else an unwrap off the loop holds it
                    appIn = BUFFERS.dropIfEmpty(appIn);
                }
                return n > 0 ? n : r;
            }
        }
        return n;
    }

    /** Drives the engine: 1 (bytes, or the handshake finished), 0 (waits: socket, task, !mayRead), -1 (closed). */
    private int unwrapSome(boolean mayRead) throws IOException {
        while (true) {
            if (tasks.running()) {
                return 0;
            }
            tasks.rethrow();
            HandshakeStatus hs = engine.getHandshakeStatus();
            if (hs == HandshakeStatus.NEED_TASK) {
                if (!tasks.run()) {
                    return 0;
                }
                continue;
            }
            if (hs == HandshakeStatus.NEED_WRAP) {
                int step = wrapHandshake();
                if (step != GO_ON) {
                    return step == WAIT ? 0 : step;
                }
                continue;
            }
            if (inboundDone) {
                return -1;
            }
            if ((netIn == null || netIn.position() == 0) && hs != HandshakeStatus.NEED_UNWRAP_AGAIN) {
                int r = mayRead ? fill() : 0;
                if (r <= 0) {
                    return r;
                }
            }
            checkFirstByte();
            if (!handshakeDone && tasks.offloadedUnwrap(netIn, () -> unwrapOnce(false))) {
                return 0;
            }
            int step = unwrapOnce(mayRead);
            if (step != GO_ON) {
                return step == WAIT ? 0 : step;
            }
        }
    }

    /** A handshake wrap, sent: 1 (the handshake finished), {@link #WAIT} (for the socket) or {@link #GO_ON}. */
    private int wrapHandshake() throws IOException {
        boolean done = handshakeDone;
        wrap(NOTHING, 0, 1); // FINISHED shows only in its result, never in getHandshakeStatus()
        if (!flushNet()) {
            waitsFor = SelectionKey.OP_WRITE;
            return WAIT;
        }
        return handshakeDone != done ? 1 : GO_ON;
    }

    /** One unwrap: 1 (bytes, or the handshake finished), -1 (the end), {@link #WAIT} or {@link #GO_ON}. */
    private int unwrapOnce(boolean mayRead) throws IOException {
        ByteBuffer src = netIn == null ? EMPTY : netIn.flip();
        appIn = appIn == null ? BUFFERS.take(engine.getSession().getApplicationBufferSize()) : appIn;
        SSLEngineResult res;
        try {
            refuseRenegotiation(src);
            res = engine.unwrap(src, appIn);
        } catch (SSLException e) {
            sendAlert(e);
            throw e;
        } finally {
            if (netIn != null) {
                netIn.compact();
                netIn = BUFFERS.dropIfEmpty(netIn);
            }
        }
        switch (res.getStatus()) {
            case BUFFER_UNDERFLOW -> {
                int r = mayRead ? fill() : 0;
                return r < 0 ? -1 : r == 0 ? WAIT : GO_ON;
            }
            case BUFFER_OVERFLOW -> {
                appIn = Buffering.grow(appIn, engine.getSession().getApplicationBufferSize());
                return GO_ON;
            }
            case CLOSED -> {
                inboundDone = true;
                return appIn.position() > 0 ? 1 : -1;
            }
            default -> {
                return finished(res.getHandshakeStatus()) || appIn.position() > 0 ? 1 : GO_ON;
            }
        }
    }

    /** Refuses renegotiation before the engine sees it: after a TLS 1.2 handshake a handshake record is one. */
    private void refuseRenegotiation(ByteBuffer src) throws TlsException {
        if (handshakeDone && src.hasRemaining() && src.get(src.position()) == HANDSHAKE_RECORD
                && "TLSv1.2".equals(engine.getSession().getProtocol())) {
            sendAlert(null);
            stats.onRenegotiationRefused();
            throw new TlsException("client-initiated renegotiation refused");
        }
    }

    private boolean finished(HandshakeStatus hs) {
        if (hs != HandshakeStatus.FINISHED || handshakeDone) {
            return false;
        }
        handshakeDone = true;
        Quietly.ackNow(raw);
        stats.onHandshake(engine.getSession(), flight.resumed());
        return true;
    }

    /** Reads records from the socket: bytes read, 0 (non-blocking, nothing there), or -1. */
    private int fill() throws IOException {
        int packet = engine.getSession().getPacketBufferSize();
        appIn = BUFFERS.dropIfEmpty(appIn); // none is held while the next record is awaited
        boolean idle = netIn == null && raw.isBlocking(); // waits in a record header: an idle one holds no buffer
        ByteBuffer into = idle ? ByteBuffer.allocate(RECORD_HEADER) : netIn == null ? BUFFERS.take(packet)
                : netIn.hasRemaining() ? netIn : Buffering.grow(netIn, packet);
        int r = raw.read(into);
        if (r < 0) {
            inboundDone = true;
            return -1;
        }
        netIn = idle ? BUFFERS.take(packet).put(into.flip()) : into;
        if (r == 0) {
            waitsFor = SelectionKey.OP_READ;
            netIn = BUFFERS.dropIfEmpty(netIn);
            return 0;
        }
        return r;
    }

    /** Once, at the first bytes read: a client speaking plain text (HTTP) to the TLS port is told so, then closed. */
    private void checkFirstByte() throws IOException {
        if (firstByteSeen || netIn == null || netIn.position() == 0) {
            return;
        }
        firstByteSeen = true;
        byte b = netIn.get(0);
        if (b == HANDSHAKE_RECORD || b < 'A' || b > 'Z' || notTls.length == 0) {
            return;
        }
        raw.configureBlocking(false);
        raw.write(ByteBuffer.wrap(notTls));
        failure = TlsStats.PLAINTEXT;
        throw new TlsException("plain text sent to the TLS port");
    }

    /** Wraps into {@link #netOut}: the bytes of the sources consumed. */
    private long wrap(ByteBuffer[] srcs, int offset, int length) throws IOException {
        int packet = engine.getSession().getPacketBufferSize();
        netOut = netOut == null ? pools.recordOut().take(packet) : netOut;
        while (true) {
            SSLEngineResult res;
            int from = netOut.position();
            try {
                res = engine.wrap(srcs, offset, length, netOut);
            } catch (SSLException e) {
                sendAlert(e);
                throw e;
            }
            if (!handshakeDone) {
                flight.observe(netOut, from);
            }
            switch (res.getStatus()) {
                case BUFFER_OVERFLOW -> netOut = Buffering.grow(netOut, packet);
                case CLOSED -> {
                    if (res.bytesConsumed() == 0 && srcs != NOTHING) {
                        throw new ClosedChannelException(); // no application bytes after close_notify
                    }
                    return res.bytesConsumed();
                }
                default -> {
                    finished(res.getHandshakeStatus());
                    return res.bytesConsumed();
                }
            }
        }
    }

    /** After a failure ({@code cause}): sends the alert the engine has for the client, best effort. */
    private void sendAlert(Throwable cause) {
        try {
            engine.closeOutbound();
            wrap(NOTHING, 0, 1);
            failure = handshakeDone || failure != null ? failure : TlsStats.refusal(netOut, cause);
            flushNet();
        } catch (IOException | RuntimeException e) {
            // The alert is a courtesy: the connection closes either way.
        }
    }

    /** Writes the records waiting; whether all went (in blocking mode, always). */
    boolean flushNet() throws IOException {
        if (netOut == null) {
            return true;
        }
        netOut.flip();
        try {
            while (netOut.hasRemaining()) {
                if (raw.write(netOut) == 0 && !raw.isBlocking()) {
                    return false;
                }
            }
        } finally {
            netOut.compact();
            netOut = (netOut.capacity() == BUFFERS_BYTES ? pools.recordOut() : pools.recordsOut()).dropIfEmpty(netOut);
        }
        return true;
    }

    /** Records wrapped but not yet taken by the socket. */
    boolean hasPendingOutput() {
        return netOut != null && netOut.position() > 0;
    }

    /** The selector interest: TLS's own in the handshake or a task, then {@code ops}, OP_WRITE while records wait. */
    int interest(int ops) {
        if (tasks.running()) {
            return 0;
        }
        if (!handshakeDone) {
            return waitsFor;
        }
        return hasPendingOutput() ? ops | SelectionKey.OP_WRITE : ops;
    }

    @Override
    public int write(ByteBuffer src) throws IOException {
        return (int) write(new ByteBuffer[] {src}, 0, 1);
    }

    @Override
    public long write(ByteBuffer[] srcs) throws IOException {
        return write(srcs, 0, srcs.length);
    }

    /** Wraps and writes all (blocking), or what goes, records perhaps left waiting ({@link #hasPendingOutput}). */
    @Override
    public long write(ByteBuffer[] srcs, int offset, int length) throws IOException {
        if (!handshakeDone) {
            throw new TlsException("nothing can be sent before the TLS handshake is done");
        }
        int packet = engine.getSession().getPacketBufferSize();
        long consumed = 0;
        while (Buffering.remaining(srcs, offset, length) > 0) {
            if (netOut != null && netOut.remaining() < packet && !flushNet()) {
                return consumed; // the socket takes no more now
            }
            netOut = netOut == null ? pools.recordsOut().take() : netOut;
            consumed += wrap(srcs, offset, length);
        }
        flushNet();
        return consumed;
    }

    /** Sends close_notify if the socket takes it at once: a client that reads nothing holds no one. */
    void closeNotify() {
        try {
            engine.closeOutbound();
            if (!handshakeDone || !raw.isOpen()) {
                return;
            }
            raw.configureBlocking(false);
            wrap(NOTHING, 0, 1);
            flushNet();
        } catch (IOException | RuntimeException e) {
            // Closing either way.
        }
    }

    @Override
    public boolean isOpen() {
        return raw.isOpen();
    }

    @Override
    public void close() throws IOException {
        raw.close();
    }
}
