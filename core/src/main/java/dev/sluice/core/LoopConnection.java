package dev.sluice.core;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;

/**
 * One connection served by an {@link EventLoop}, and everything that happens to it there: read,
 * decode, handle (inline, or offloaded to a virtual thread and completed back on the loop),
 * encode, write, and the phase and interest that follow. The loop owns the selector, the list of
 * its connections and the close; this class owns the connection's protocol.
 *
 * <p>Threads: the loop's, except {@link #offload}'s handler call, which runs on a virtual thread
 * and hands its answer back through {@link EventLoop#post}. Reads go into the loop's one read
 * buffer and answers are encoded into the loop's one scratch buffer; a connection holds buffers of
 * its own only for the bytes of an unfinished request or an answer the client has not yet read.
 *
 * @param <Q> the request type
 * @param <R> the response type
 */
final class LoopConnection<Q, R> extends Exchange<Q, R> {
    final EventLoop loop;
    SelectionKey key;
    /** Index in the loop's list of connections; -1 once closed. */
    int index;
    private ByteBuffer pendingIn; // read mode; null when nothing is left over
    private OutboundBuffer pendingOut; // null when everything was written
    private boolean inFlight; // a handler runs on a virtual thread
    private boolean eof; // the client closed its side
    private CloseReason closeAfterFlush;
    private boolean inMessage;
    private long headStart;
    private long handlerStart;
    /** Decoding paused: the answers not yet written reached the bound; resumed once written. */
    private boolean stalled;
    /** Reads the PROXY header, on a listener that takes one, until it is in; then null. */
    private ProxyHeaderReader proxyHeader;

    LoopConnection(ConnectionState c, EventLoop loop, Protocol<Q, R> protocol) {
        super(c, protocol, loop.context.config.proxyProtocol() == null); // else the header names the client first
        this.loop = loop;
        if (codec == null) {
            proxyHeader = new ProxyHeaderReader(loop.context, c);
        } else {
            offloadTlsTasks();
        }
    }

    /** The TLS handshake's costly steps run off the loop; their end drives the connection again. */
    private void offloadTlsTasks() {
        if (c.tls != null) {
            c.tls.offloadTasks(loop.tlsTasks, () -> loop.post(() -> {
                if (index >= 0) {
                    onReadable();
                }
            }));
        }
    }

    /**
     * Reads on in the PROXY header: whether it is in and the connection, its codec made and its
     * next phase entered, goes on to read what came after it.
     */
    private boolean proxyHeaderIn() {
        CloseReason refused = proxyHeader.readNow();
        if (refused != null || !proxyHeader.done()) {
            if (refused == CloseReason.LIMIT) {
                loop.turnAway(this); // the rejection, then a lingering close, as the acceptor's
            } else if (refused != null) {
                loop.close(this, refused);
            }
            return false;
        }
        proxyHeader = null;
        newCodec();
        offloadTlsTasks();
        updatePhase();
        return !c.isClosed();
    }

    /** The socket can take more: decode what was held back, or write what waits. */
    void onWritable() {
        if (c.tls != null && !c.tls.handshakeDone()) {
            onReadable(); // the handshake waited to send
        } else if (stalled && pendingOut == null) {
            resume();
        } else {
            flush();
        }
    }

    void onReadable() {
        if (proxyHeader != null && !proxyHeaderIn()) {
            return;
        }
        ByteBuffer buf = loop.readBuffer.clear();
        int n;
        try {
            n = c.read(buf);
        } catch (IOException e) {
            ioFailed(e);
            return;
        }
        if (n <= 0) {
            if (n < 0) {
                endOfStream();
            } else if (c.tls != null) {
                setInterest(); // TLS may wait to write, or for a task, or has finished its handshake
                updatePhase();
            }
            return;
        }
        loop.stats.addBytesIn(n);
        if (c.phase() == ConnectionState.BODY) {
            c.pace.bodyRead(n);
        }
        if (!c.toBusy()) {
            loop.close(this, c.terminalReason());
            return;
        }
        ByteBuffer in = pendingIn == null ? buf.flip() : Buffering.append(pendingIn, buf.flip());
        if (in == null) {
            Log.CORE.log(Level.WARNING, "conn={0,number,#} codec_stalled", c.info.id());
            loop.close(this, CloseReason.ERROR);
            return;
        }
        process(in, System.nanoTime());
    }

    private void endOfStream() {
        eof = true;
        if (inFlight || pendingOut != null) {
            setInterest(); // answer what was asked, then close
        } else {
            loop.close(this, CloseReason.NORMAL);
        }
    }

    /** Decodes and answers every whole request in {@code in}, then flushes. */
    private void process(ByteBuffer in, long readAt) {
        OutboundBuffer scratch = loop.scratch;
        while (!inFlight && closeAfterFlush == null) {
            if (scratch.backlog() + (pendingOut == null ? 0 : pendingOut.backlog())
                    >= Buffering.MAX_BUFFERED_OUT_BYTES) {
                stalled = true; // pipelined requests wait in pendingIn until the client reads
                break;
            }
            Q request;
            try {
                request = codec.decode(in, scratch);
            } catch (ProtocolException e) {
                encodeProtocolError(e, scratch);
                closeAfterFlush = CloseReason.ERROR;
                break;
            }
            if (request == null) {
                break;
            }
            answer(request);
        }
        keepUndecoded(in);
        if (!inMessage && (pendingIn != null || codec.progress() != Codec.Progress.BETWEEN_MESSAGES)) {
            inMessage = true; // the header deadline runs from this read
            headStart = readAt;
        }
        flush();
    }

    private void answer(Q request) {
        inMessage = false;
        c.requestDecoded();
        loop.stats.onRequest();
        if (handler.mayBlock()) {
            offload(request);
        } else {
            call(request);
            encode();
        }
    }

    /** Keeps what is left of {@code in} for the next read, unless the connection is to close. */
    private void keepUndecoded(ByteBuffer in) {
        if (in.hasRemaining() && closeAfterFlush == null) {
            if (in != pendingIn) {
                pendingIn = ByteBuffer.allocate(Math.max(in.remaining(), 1024)).put(in).flip();
            }
        } else {
            pendingIn = null;
        }
    }

    private void encode() {
        boolean closing = loop.context.leaving();
        if (!encodeAnswer(loop.scratch, closing) || closing) {
            closeAfterFlush = closing ? CloseReason.SHUTDOWN : CloseReason.NORMAL;
        }
    }

    /** The client read what was pending: decode the pipelined requests that were held back. */
    private void resume() {
        stalled = false;
        if (pendingIn != null && !inFlight && closeAfterFlush == null) {
            process(pendingIn, System.nanoTime());
        } else {
            flush();
        }
    }

    private void offload(Q request) {
        inFlight = true;
        handlerStart = System.nanoTime();
        loop.stats.addBusy(1);
        Thread t = loop.handlerThreads.newThread(() -> {
            call(request);
            loop.post(this::complete);
        });
        c.handler.enter(t);
        t.start();
    }

    /** Loop thread: a handler on a virtual thread finished: write its answer, then go on with the input. */
    private void complete() {
        loop.stats.addBusy(-1);
        inFlight = false;
        c.handler.leave();
        if (c.isClosed()) {
            dropAnswer(); // timed out or shut down: the late response is dropped
            return;
        }
        try {
            encode();
            if (pendingIn != null && closeAfterFlush == null) {
                process(pendingIn, System.nanoTime());
            } else {
                flush();
            }
        } catch (RuntimeException | Error e) {
            failed(e);
        }
    }

    /** Writes what is encoded; what the client does not take now waits for OP_WRITE. */
    private void flush() {
        OutboundBuffer scratch = loop.scratch;
        if (c.isClosed()) {
            scratch.release();
            return;
        }
        OutboundBuffer out = scratch;
        if (pendingOut != null) {
            scratch.moveTo(pendingOut);
            out = pendingOut;
        }
        if (unsent(out) && !write(out)) {
            return;
        }
        if (unsent(out)) {
            if (out == scratch) {
                pendingOut = new OutboundBuffer();
                scratch.moveTo(pendingOut);
            }
        } else if (!caughtUp()) {
            return;
        }
        setInterest();
        updatePhase();
    }

    /** Whether {@code out} or the TLS records made of it still wait for the socket. */
    private boolean unsent(OutboundBuffer out) {
        return !out.isEmpty() || (c.tls != null && c.tls.hasPendingOutput());
    }

    /** Writes what the socket takes now; false when the write failed and the connection closed. */
    private boolean write(OutboundBuffer out) {
        try {
            long n = out.writeTo(c, null);
            loop.stats.addBytesOut(n);
            if (n > 0 && pendingOut != null) {
                c.wrote(n, System.nanoTime());
            }
            return true;
        } catch (IOException e) {
            loop.scratch.release();
            ioFailed(e);
            return false;
        }
    }

    /** Everything was written; false when that was the last of the connection, now closed. */
    private boolean caughtUp() {
        pendingOut = null;
        c.pace.caughtUp();
        if (closeAfterFlush != null) {
            loop.close(this, closeAfterFlush);
            return false;
        }
        if (eof && !inFlight && !stalled) {
            loop.close(this, CloseReason.NORMAL);
            return false;
        }
        return true;
    }

    private void setInterest() {
        int ops = pendingOut != null || (stalled && !inFlight) ? SelectionKey.OP_WRITE
                : inFlight || eof || closeAfterFlush != null ? 0 : SelectionKey.OP_READ;
        if (c.tls != null) {
            ops = c.tls.interest(ops);
        }
        if (key.isValid() && key.interestOps() != ops) {
            key.interestOps(ops);
        }
    }

    /** Enters the phase that fits where the connection stands now, or closes it. */
    void updatePhase() {
        if (c.isClosed()) {
            return;
        }
        long now = System.nanoTime();
        boolean moved;
        if (proxyHeader != null) {
            moved = c.move(ConnectionState.PROXY); // stays in the phase entered at the accept, with its deadline
        } else if (c.tls != null && !c.tls.handshakeDone()) {
            moved = c.toHandshake(now); // stays in the phase entered at the accept, with its deadline
        } else if (pendingOut != null) {
            moved = c.phase() == ConnectionState.WRITING || c.toWriting(now);
        } else if (inFlight) {
            moved = c.toHandling(handlerStart);
        } else {
            Codec.Progress progress = codec.progress();
            if (progress == Codec.Progress.BETWEEN_MESSAGES && pendingIn == null) {
                if (loop.context.draining() && c.answered()) {
                    loop.close(this, CloseReason.SHUTDOWN);
                    return;
                }
                moved = c.toIdle(now);
            } else {
                moved = progress == Codec.Progress.IN_BODY ? c.toBody(now) : c.toHead(headStart);
            }
        }
        if (!moved) {
            loop.close(this, c.terminalReason());
        }
    }

    /**
     * A sweep expired the connection for {@code reason}: tells a client cut mid-request (HTTP:
     * 408) or whose handler overran (HTTP: 503) as far as the socket takes it, then closes.
     */
    void expired(CloseReason reason) {
        if (reason.cutsARequest() || reason == CloseReason.REQUEST_TIMEOUT) {
            Log.CORE.log(Level.DEBUG, "conn={0,number,#} {1}", c.info.id(), reason.logName());
            OutboundBuffer scratch = loop.scratch;
            if (reason == CloseReason.REQUEST_TIMEOUT) {
                c.handler.interrupt(); // its response, should it come, finds the connection closed
                codec.encodeRequestTimeout(scratch);
            } else {
                codec.encodeTimeout(scratch);
            }
            try {
                loop.stats.addBytesOut(scratch.writeTo(c, null));
            } catch (IOException e) {
                // The client is gone; closing is all that is left.
            }
            scratch.release();
        }
        loop.close(this, reason);
    }

    /** A codec or protocol bug surfaced while serving this connection: close it, keep the loop. */
    void failed(Throwable e) {
        Log.CORE.log(Level.WARNING, "conn=" + c.info.id() + " connection_failed", e);
        loop.scratch.release();
        loop.close(this, CloseReason.ERROR);
    }

    private void ioFailed(IOException e) {
        Log.CORE.log(Level.DEBUG, "conn={0,number,#} io_error: {1}", c.info.id(), e.toString());
        loop.close(this, CloseReason.ERROR);
    }

    /** The loop closed the connection: drops the buffers it held. */
    void released() {
        if (pendingOut != null) {
            pendingOut.release();
            pendingOut = null;
        }
        pendingIn = null;
    }
}
