package dev.sluice.core;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SocketChannel;

/**
 * Serves one connection on the calling thread with straight-line blocking code, on every blocking
 * engine: read, decode each whole request, handle it, encode the response, write the batch, read
 * again, until the client or the protocol ends it, a timeout fires, or the server shuts down.
 * Before each blocking call the connection's phase and deadline are set, so the {@link Timer} can
 * end a call that takes too long.
 */
final class BlockingConnection implements Runnable {
    /**
     * What a connection reads into while it waits for a request: most request heads fit, and an
     * idle connection holds no more than this.
     */
    static final int IDLE_READ_BYTES = 1024;
    /** The read buffer borrowed from the server while bytes stream in. */
    static final int READ_BYTES = 8 * 1024;

    private final Server server;
    private final ConnectionState c;
    private final SocketChannel ch;
    private final Stats stats;
    private final long idleNanos;
    private final long headerNanos;
    private final long writeNanos;
    private final long requestNanos;
    private final MinDataRate minBodyRate;
    private final MinDataRate minResponseRate;
    private final java.util.function.LongConsumer writeProgress;
    /** The codec, for {@link #requestTimedOut} on the timer thread; set once serving begins. */
    private volatile Codec<?, ?> codec;

    BlockingConnection(Server server, ConnectionState c) {
        this.server = server;
        this.c = c;
        this.ch = c.channel;
        this.stats = server.stats();
        ServerConfig config = server.config();
        this.idleNanos = config.idleTimeout().toNanos();
        this.headerNanos = config.headerTimeout().toNanos();
        this.writeNanos = config.writeTimeout().toNanos();
        this.requestNanos = config.requestTimeout().toNanos();
        this.minBodyRate = config.minBodyRate();
        this.minResponseRate = config.minResponseRate();
        this.writeProgress = n -> {
            c.writeBytes += n;
            if (!c.moveToWriting(writeNanos, System.nanoTime(), minResponseRate)) {
                throw new TerminatedException();
            }
        };
        c.attachment = this;
    }

    /**
     * Timer thread: the handler overran the request timeout, and the timer has moved the
     * connection out of the owner's hands ({@link ConnectionState#HANDLING} to terminated), so the codec is
     * free. Sends what the codec answers (HTTP: 503) as far as the socket takes it without
     * waiting, interrupts the handler, and closes. Whatever the handler returns later is discarded.
     */
    void requestTimedOut() {
        Server.LOG.log(Level.DEBUG, "conn={0,number,#} request_timeout", c.info.id());
        Codec<?, ?> codec = this.codec;
        OutboundBuffer out = new OutboundBuffer();
        try {
            if (codec != null) {
                codec.encodeRequestTimeout(out);
                ch.configureBlocking(false);
                stats.addBytesOut(out.writeTo(ch, null));
            }
        } catch (IOException | RuntimeException e) {
            Server.LOG.log(Level.DEBUG, "conn={0,number,#} io_error: {1}", c.info.id(), e.toString());
        } finally {
            out.release();
            // Only now: an interrupted handler returns, and its thread closes the connection too.
            c.interruptHandler();
            server.closeConn(c, CloseReason.REQUEST_TIMEOUT);
        }
    }

    /** A timer or shutdown terminated the connection while this thread was about to block. */
    static final class TerminatedException extends RuntimeException {
        private static final long serialVersionUID = 1L;

        TerminatedException() {
            super(null, null, false, false);
        }
    }

    @Override
    public void run() {
        stats.addBusy(1);
        CloseReason reason = CloseReason.ERROR;
        try {
            reason = server.rawHandler() != null ? serveRaw() : serve(server.protocol());
        } catch (IOException | TerminatedException e) {
            reason = afterFailure(e);
        } catch (RuntimeException | Error e) {
            Server.LOG.log(Level.WARNING, "conn=" + c.info.id() + " connection_failed", e);
        } finally {
            stats.addBusy(-1);
            server.closeConn(c, reason);
        }
    }

    private CloseReason afterFailure(Exception e) {
        CloseReason terminal = c.terminalReason();
        if (terminal != null) {
            return terminal;
        }
        if (server.isClosing()) {
            return CloseReason.SHUTDOWN;
        }
        // Resets and broken pipes are the client's business: DEBUG.
        Server.LOG.log(Level.DEBUG, "conn={0,number,#} io_error: {1}", c.info.id(), e.toString());
        return CloseReason.ERROR;
    }

    private CloseReason serveRaw() throws IOException {
        if (!c.move(ConnectionState.BUSY)) {
            return c.terminalReason();
        }
        server.rawHandler().handle(new StreamConnection(server, c, this::terminated));
        return CloseReason.NORMAL;
    }

    private IOException terminated() {
        CloseReason r = c.terminalReason();
        return new java.net.SocketTimeoutException(r == null ? "closed" : r.logName());
    }

    private <Q, R> CloseReason serve(Protocol<Q, R> protocol) throws IOException {
        Codec<Q, R> codec = protocol.newCodec(c.info);
        this.codec = codec;
        Handler<Q, R> handler = protocol.handler();
        OutboundBuffer out = new OutboundBuffer(server.chunks());
        ByteBuffer small = ByteBuffer.allocate(IDLE_READ_BYTES);
        ByteBuffer in = small;
        int n = 0;
        boolean inMessage = false;
        long headStart = 0;
        try {
            while (true) {
                Codec.Progress progress = codec.progress();
                if (in != small && in.position() == 0 && n < in.capacity()
                        && progress == Codec.Progress.BETWEEN_MESSAGES) {
                    // The client paused between messages: wait for the next one in the small buffer.
                    server.readBuffers().give(in);
                    in = small;
                }
                boolean between = progress == Codec.Progress.BETWEEN_MESSAGES && in.position() == 0;
                if (between && server.draining()) {
                    // Shutting down: serve only a request that has already arrived.
                    n = readAvailable(in);
                    if (n <= 0) {
                        return CloseReason.SHUTDOWN;
                    }
                } else {
                    long now = System.nanoTime();
                    boolean moved;
                    if (between) {
                        moved = c.move(ConnectionState.IDLE, idleNanos, now);
                    } else if (progress != Codec.Progress.IN_BODY) {
                        c.deadline = headerNanos > 0 ? headStart + headerNanos : Long.MAX_VALUE;
                        moved = c.move(ConnectionState.HEAD);
                    } else {
                        moved = c.moveToBody(idleNanos, now, minBodyRate);
                    }
                    if (!moved) {
                        return c.terminalReason();
                    }
                    n = ch.read(in);
                    if (n < 0) {
                        return endOfStream(codec, out);
                    }
                    stats.addBytesIn(n);
                    if (progress == Codec.Progress.IN_BODY) {
                        c.bodyBytes += n;
                    }
                }
                long readAt = System.nanoTime();
                if (!c.move(ConnectionState.BUSY)) {
                    return endOfStream(codec, out);
                }
                c.deadline = Long.MAX_VALUE;
                in.flip();
                while (true) {
                    Q request;
                    try {
                        request = codec.decode(in, out);
                    } catch (ProtocolException e) {
                        Server.LOG.log(Level.DEBUG, "conn={0,number,#} protocol_error code={1,number,#} reason={2}",
                                c.info.id(), e.code(), e.reason());
                        codec.encodeError(e, out);
                        flush(out);
                        return CloseReason.ERROR;
                    }
                    if (request == null) {
                        break;
                    }
                    inMessage = false;
                    c.bodyStart = -1;
                    stats.onRequest();
                    R response = null;
                    Throwable failure = null;
                    c.enterHandler(Thread.currentThread());
                    c.deadline = requestNanos > 0 ? System.nanoTime() + requestNanos : Long.MAX_VALUE;
                    if (!c.move(ConnectionState.HANDLING)) {
                        c.leaveHandler();
                        return c.terminalReason();
                    }
                    try {
                        response = handler.handle(request);
                    } catch (Throwable e) { // even an Error: the client gets an answer
                        failure = e;
                    }
                    boolean timedOut = !c.move(ConnectionState.BUSY);
                    c.leaveHandler();
                    Thread.interrupted(); // an interrupt meant for the handler must not end this connection's I/O
                    if (timedOut) {
                        return c.terminalReason(); // the timer answered; the late response is dropped
                    }
                    c.deadline = Long.MAX_VALUE;
                    boolean closing = server.draining(); // read after the handler: it may have begun meanwhile
                    boolean keep = ConnectionEngine.encodeAnswer(codec, c, response, failure, out, closing);
                    if (!keep || closing) {
                        flush(out);
                        return closing ? CloseReason.SHUTDOWN : CloseReason.NORMAL;
                    }
                    if (out.backlog() >= Buffering.MAX_BUFFERED_OUT_BYTES) {
                        flush(out); // a pipelining client must read before more is decoded for it
                    }
                }
                if (!inMessage && (in.hasRemaining()
                        || codec.progress() != Codec.Progress.BETWEEN_MESSAGES)) {
                    inMessage = true; // the header deadline runs from this read
                    headStart = readAt;
                }
                flush(out);
                in.compact();
                if (!in.hasRemaining() || (in == small && n == small.capacity())) {
                    // Full, or bytes are streaming in: read into a larger buffer from now on.
                    if (in.capacity() >= Buffering.MAX_UNDECODED_BYTES) {
                        Server.LOG.log(Level.WARNING, "conn={0,number,#} codec_stalled: {1,number,#} bytes unconsumed",
                                c.info.id(), in.capacity());
                        return CloseReason.ERROR;
                    }
                    ByteBuffer larger = in == small ? server.readBuffers().take()
                            : ByteBuffer.allocate(in.capacity() * 2);
                    larger.put(in.flip());
                    if (in != small) {
                        server.readBuffers().give(in);
                    }
                    in = larger;
                }
            }
        } finally {
            out.release();
            if (in != small) {
                server.readBuffers().give(in.clear());
            }
        }
    }

    /** The read saw end of stream: the client left, or a timer or shutdown ended the read. */
    private <Q, R> CloseReason endOfStream(Codec<Q, R> codec, OutboundBuffer out) throws IOException {
        CloseReason terminal = c.terminalReason();
        if (terminal != null && terminal.cutsARequest()) {
            Server.LOG.log(Level.DEBUG, "conn={0,number,#} {1}", c.info.id(), terminal.logName());
            codec.encodeTimeout(out);
            c.deadline = writeNanos > 0 ? System.nanoTime() + writeNanos : Long.MAX_VALUE;
            stats.addBytesOut(out.writeTo(ch, n -> { }));
        }
        return terminal != null ? terminal : CloseReason.NORMAL;
    }

    /** Reads what has already arrived without waiting; -1 at end of stream. */
    private int readAvailable(ByteBuffer in) throws IOException {
        ch.configureBlocking(false);
        try {
            int n = ch.read(in);
            if (n > 0) {
                stats.addBytesIn(n);
            }
            return n;
        } finally {
            ch.configureBlocking(true);
        }
    }

    private void flush(OutboundBuffer out) throws IOException {
        if (out.isEmpty()) {
            return;
        }
        c.writeStart = -1; // the response rate is measured per batch
        writeProgress.accept(0);
        long n = out.writeTo(ch, writeProgress);
        stats.addBytesOut(n);
        if (!c.move(ConnectionState.BUSY)) {
            throw new TerminatedException();
        }
        c.deadline = Long.MAX_VALUE;
    }
}
