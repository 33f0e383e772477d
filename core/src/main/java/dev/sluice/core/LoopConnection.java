package dev.sluice.core;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.SocketTimeoutException;
import java.nio.ByteBuffer;
import java.nio.channels.SelectionKey;

/**
 * One connection served by an {@link EventLoop}, and everything that happens to it there: read,
 * decode, handle (inline, or offloaded to a virtual thread and completed back on the loop),
 * encode, write, and the phase and interest that follow. The loop owns the selector, the list of
 * its connections and the close; this class owns the connection's protocol.
 *
 * <p>Threads: the loop's, except an offloaded handler call, which runs on a virtual thread (reading
 * a streamed body through {@link LoopStream}) and posts its answer back ({@link EventLoop#post}),
 * the stage of a handler that answers later, which posts its answer back too, and the making of a
 * stream answer ({@link LoopProducer}). Reads go into the loop's one read buffer and answers are encoded
 * into the loop's one scratch buffer; a connection holds buffers of its own only for the bytes of
 * an unfinished request or an answer the client has not yet read.
 *
 * @param <Q> the request type
 * @param <R> the response type
 */
final class LoopConnection<Q, R> extends Exchange<Q, R> {
    final EventLoop loop;
    SelectionKey key;
    /** Index in the loop's list of connections; -1 once closed. */
    int index;
    ByteBuffer pendingIn; // read mode; null when nothing is left over
    private OutboundBuffer pendingOut; // null when everything was written
    private boolean inFlight; // a handler runs on a virtual thread, or owes its answer
    private boolean eof; // the client closed its side
    private CloseReason closeAfterFlush;
    private boolean inMessage;
    private long headStart;
    long handlerStart;
    /** Decoding paused: the answers not yet written reached the bound; resumed once written. */
    private boolean stalled;
    /** Reads the PROXY header, on a listener that takes one, until it is in; then null. */
    private ProxyHeaderReader proxyHeader;
    private final LoopStream stream = new LoopStream(this); // the body a handler reads as it arrives
    private LoopProducer producer; // makes the body of the answer being sent; null when none does

    LoopConnection(ConnectionState c, EventLoop loop, Protocol<Q, R> protocol) {
        super(c, protocol, false);
        this.loop = loop;
        if (loop.context.config.proxyProtocol() != null) {
            proxyHeader = new ProxyHeaderReader(loop.context, c); // the header names the client first
        } else {
            newCodec();
            loop.offloadTlsTasks(this);
        }
    }

    /** The PROXY header is in: the codec is made for the client it names, and the next phase entered. */
    void proxyHeaderIn() {
        proxyHeader = null;
        newCodec();
        loop.offloadTlsTasks(this);
        updatePhase();
    }

    /** The socket can take more: decode what was held back, or write what waits. */
    void onWritable() {
        if (c.tls != null && !c.tls.handshakeDone()) {
            onReadable(); // the handshake waited to send
        } else if (stalled && pendingOut == null) { // the client read what was pending: decode what was held back
            stalled = false;
            goOn();
        } else {
            flush();
        }
    }

    void onReadable() {
        if (inFlight || proxyHeader != null && !proxyHeader.readOn(this)) {
            if (inFlight && stream.reading()) { // read only for a handler reading a body
                stream.onReadable();
            }
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

    void endOfStream() {
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
        if (handler.answersLater()) { // on the loop, which its body's reads and its answer come back to
            if (!callLater(request, () -> loop.post(this::complete))) {
                startFlight();
                return;
            }
        } else if (handler.mayBlock() || codec.progress() == Codec.Progress.IN_BODY) {
            startFlight(); // on a virtual thread: a body still to come is read by the handler, which waits for it
            Thread t = loop.handlerThreads.newThread(() -> {
                call(request);
                loop.post(this::complete);
            });
            c.handler.enter(t);
            t.start();
            return;
        } else {
            call(request);
        }
        encode(); // answered at once
    }

    private void startFlight() {
        handlerStart = System.nanoTime(); // the request timeout's start: a handler answering at once has none
        inFlight = true;
        loop.stats.addBusy(1);
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
        BodyProducer p = loop.scratch.takeProducer();
        if (p != null) { // the body is made off the loop; nothing else happens here until it is sent
            inFlight = true;
            producer = new LoopProducer(this, p);
            loop.handlerThreads.newThread(producer).start();
        }
    }

    /** Loop: sends a produced piece, from the producer's own buffer when nothing else waits (no copy). */
    void send(OutboundBuffer piece) {
        if (pendingOut == null && loop.scratch.isEmpty()) {
            pendingOut = piece;
        } else {
            piece.moveTo(loop.scratch);
        }
        flush();
    }

    /** Loop: the producer is done, {@code failed} or not: go on with the input, or close. */
    void produced(boolean failed) {
        producer = null;
        inFlight = false;
        if (failed && !c.isClosed()) {
            loop.close(this, CloseReason.ERROR); // the client sees the body cut short
        } else if (!c.isClosed()) {
            goOn();
        }
    }

    /** Decodes what waits in {@link #pendingIn} if it may be decoded now; else writes what waits. */
    private void goOn() {
        if (pendingIn != null && !inFlight && closeAfterFlush == null) {
            process(pendingIn, System.nanoTime());
        } else {
            flush();
        }
    }

    /** Loop thread: a handler offloaded or answering later finished: write its answer, go on with the input. */
    private void complete() {
        loop.stats.addBusy(-1);
        inFlight = false;
        c.handler.leave();
        ByteBuffer left = stream.takeBack(); // the handler has returned: its thread is done with it
        if (left != null) {
            pendingIn = left;
        }
        if (c.isClosed()) {
            dropAnswer(); // timed out or shut down: the late response is dropped
            return;
        }
        try {
            encode();
            goOn();
        } catch (RuntimeException | Error e) {
            failed(e);
        }
    }

    /** Writes what is encoded; what the client does not take now waits for OP_WRITE. */
    void flush() {
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
        if (producer != null) {
            producer.caughtUp(); // the next piece may come
            return true;
        }
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

    void setInterest() {
        int ops = (pendingOut != null || (stalled && !inFlight) ? SelectionKey.OP_WRITE
                : inFlight || eof || closeAfterFlush != null ? 0 : SelectionKey.OP_READ)
                | (stream.reading() ? SelectionKey.OP_READ : 0); // a handler reads its body
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
        } else if (producer != null) {
            moved = c.toBusy(); // the next piece is being made
        } else if (inFlight) {
            moved = stream.awaitingClient() ? c.toBody(now) : c.toHandling(handlerStart);
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

    @Override
    RequestStream requestStream() {
        return stream;
    }

    /** A codec or protocol bug surfaced while serving this connection: close it, keep the loop. */
    void failed(Throwable e) {
        Log.CORE.log(Level.WARNING, "conn=" + c.info.id() + " connection_failed", e);
        loop.scratch.release();
        loop.close(this, CloseReason.ERROR);
    }

    void ioFailed(IOException e) {
        Log.CORE.log(Level.DEBUG, "conn={0,number,#} io_error: {1}", c.info.id(), e.toString());
        loop.close(this, CloseReason.ERROR);
    }

    /** The loop closed the connection: drops the buffers it held. */
    void released() {
        stream.fail(new SocketTimeoutException("connection closed"));
        if (pendingOut != null) {
            pendingOut.release();
            pendingOut = null;
        }
        pendingIn = null;
    }
}
