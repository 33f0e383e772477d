package dev.sluice.core;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.nio.ByteBuffer;
import java.nio.channels.ClosedChannelException;
import java.nio.channels.SelectionKey;
import java.nio.channels.Selector;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayList;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One selector thread and the connections it owns. Everything here runs on that thread except
 * {@link #add}, {@link #wake}, {@link #drain} and {@link #stop}, which post tasks to it. The loop:
 * run posted tasks, select, serve ready connections, and every tick sweep its connections'
 * deadlines (no timer object per connection).
 *
 * <p>Memory per idle connection is kept small: reads go into one buffer per loop and responses
 * are encoded into one buffer per loop; a connection holds buffers of its own only for the bytes
 * of an unfinished request or a response the client has not yet read.
 */
final class EventLoop implements Runnable {
    private static final int READ_BYTES = 64 * 1024;
        /** Connections accepted per readiness of the listener, so serving the others is not starved. */
    private static final int ACCEPT_BATCH = 64;

    private final Server server;
    private final Stats stats;
    private final Thread thread;
    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BYTES);
    private final OutboundBuffer scratch = new OutboundBuffer();
    private final ArrayList<LoopConn<?, ?>> conns = new ArrayList<>();
    private final ThreadFactory handlerThreads = Thread.ofVirtual().name("sluice-handler").factory();
    private final long idleNanos;
    private final long headerNanos;
    private final long writeNanos;
    private final long requestNanos;
    private final MinDataRate minBodyRate;
    private final MinDataRate minResponseRate;
    private final long tickNanos;
    private long nextSweep;
    private volatile boolean stopped;
    /** Set on the loop that accepts: the listener's key and who admits its newcomers. */
    private SelectionKey acceptKey;
    private Acceptor acceptor;
    /** Accepting waits (no permit, or accept backs off); retried each tick and after a close. */
    private boolean acceptPaused;
    private boolean closedSome;
    /**
     * Channels of closed connections whose keys are cancelled but still registered. Closing a
     * registered channel costs the JDK a getsockopt and a shutdown and defers the close to the next
     * select anyway; closed after {@link Selector#selectNow} has deregistered them, a close is one
     * syscall, and a batch of them shares one selectNow.
     */
    private final ArrayList<SocketChannel> unregistered = new ArrayList<>();

    /** A connection's state as this loop sees it. */
    private static final class LoopConn<Q, R> {
        final ConnectionState c;
        final EventLoop loop;
        final Codec<Q, R> codec;
        final Handler<Q, R> handler;
        SelectionKey key;
        ByteBuffer pendingIn; // read mode; null when nothing is left over
        OutboundBuffer pendingOut; // null when everything was written
        boolean inFlight; // a handler runs on a virtual thread
        boolean eof; // the client closed its side
        CloseReason closeAfterFlush;
        boolean inMessage;
        long headStart;
        long handlerStart;
        /** Decoding paused: the responses not yet written reached the bound; resumed once written. */
        boolean stalled;
        int index;

        LoopConn(ConnectionState c, EventLoop loop, Protocol<Q, R> protocol) {
            this.c = c;
            this.loop = loop;
            this.codec = protocol.newCodec(c.info);
            this.handler = protocol.handler();
        }
    }

    EventLoop(Server server, int index) throws IOException {
        this.server = server;
        this.stats = server.stats();
        this.selector = Selector.open();
        ServerConfig config = server.config();
        this.idleNanos = config.idleTimeout().toNanos();
        this.headerNanos = config.headerTimeout().toNanos();
        this.writeNanos = config.writeTimeout().toNanos();
        this.requestNanos = config.requestTimeout().toNanos();
        this.minBodyRate = config.minBodyRate();
        this.minResponseRate = config.minResponseRate();
        this.tickNanos = Timer.tick(config);
        this.thread = Thread.ofPlatform().name("sluice-loop-" + index).unstarted(this);
    }

    /** Before {@link #start}: this loop accepts from {@code listener}, admitting through {@code acceptor}. */
    void listen(ServerSocketChannel listener, Acceptor acceptor) throws IOException {
        listener.configureBlocking(false);
        this.acceptor = acceptor;
        this.acceptKey = listener.register(selector, SelectionKey.OP_ACCEPT, acceptor);
        acceptor.servedByLoop(selector::wakeup, () -> post(this::retryAccept));
    }

    void start() {
        thread.start();
    }

    // ---- called from other threads ----

    void add(ConnectionState c) {
        if (Thread.currentThread() == thread) {
            register(c); // accepted by this loop: no task, no wakeup
        } else {
            post(() -> register(c));
        }
    }

    /** Another thread terminated {@code c} (evicted, shut down): its loop closes it. */
    static void closeTerminated(ConnectionState c) {
        if (c.attachment instanceof LoopConn<?, ?> lc) {
            lc.loop.post(() -> lc.loop.close(lc, c.terminalReason()));
        }
    }

    void drain() {
        post(() -> {
            for (int i = conns.size() - 1; i >= 0; i--) {
                updatePhase(conns.get(i));
            }
        });
    }

    void stop() {
        stopped = true;
        selector.wakeup();
    }

    void join() {
        try {
            thread.join(5_000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void post(Runnable task) {
        tasks.add(task);
        if (Thread.currentThread() != thread && wakeupPending.compareAndSet(false, true)) {
            selector.wakeup();
        }
    }

    // ---- the loop thread ----

    @Override
    public void run() {
        nextSweep = System.nanoTime() + tickNanos;
        try {
            while (!stopped) {
                if (tasks.isEmpty()) {
                    selector.select(this::onKey, Math.max(1, tickNanos / 1_000_000));
                } else { // posted by this thread, which wakes no selector
                    selector.selectNow(this::onKey);
                }
                wakeupPending.set(false);
                for (Runnable task; (task = tasks.poll()) != null; ) {
                    task.run();
                }
                long now = System.nanoTime();
                boolean tick = now - nextSweep >= 0;
                if (tick) {
                    sweep(now);
                    nextSweep = now + tickNanos;
                }
                if (acceptPaused && (tick || closedSome)) {
                    accept();
                }
                closedSome = false;
                closeChannels();
            }
        } catch (IOException | RuntimeException e) {
            if (!stopped) {
                Server.LOG.log(Level.ERROR, "event_loop_failed " + thread.getName(), e);
            }
        } finally {
            for (Runnable task; (task = tasks.poll()) != null; ) {
                task.run();
            }
            for (int i = conns.size() - 1; i >= 0; i--) {
                close(conns.get(i), CloseReason.SHUTDOWN);
            }
            if (acceptor != null) {
                acceptor.dropHeld();
            }
            Quietly.close(selector); // deregisters every channel
            for (SocketChannel ch : unregistered) {
                Quietly.close(ch);
            }
            unregistered.clear();
        }
    }

    private void register(ConnectionState c) {
        LoopConn<?, ?> lc;
        try {
            lc = new LoopConn<>(c, this, server.protocol());
        } catch (RuntimeException e) { // the protocol's codec factory failed
            Server.LOG.log(System.Logger.Level.WARNING, "conn=" + c.info.id() + " codec_failed", e);
            server.closeConn(c, CloseReason.ERROR);
            return;
        }
        c.attachment = lc;
        try {
            lc.key = c.channel.register(selector, SelectionKey.OP_READ, lc);
        } catch (ClosedChannelException e) {
            server.closeConn(c, server.isClosing() ? CloseReason.SHUTDOWN : CloseReason.ERROR);
            return;
        }
        lc.index = conns.size();
        conns.add(lc);
        updatePhase(lc);
    }

    private void onKey(SelectionKey key) {
        if (key == acceptKey) {
            accept();
            return;
        }
        LoopConn<?, ?> lc = (LoopConn<?, ?>) key.attachment();
        if (!key.isValid()) {
            return;
        }
        try {
            int ready = key.readyOps();
            if ((ready & SelectionKey.OP_WRITE) != 0) {
                if (lc.stalled && lc.pendingOut == null) {
                    resume(lc);
                } else {
                    flush(lc);
                }
            }
            if ((ready & SelectionKey.OP_READ) != 0 && key.isValid()) {
                onReadable(lc);
            }
        } catch (RuntimeException | Error e) {
            failed(lc, e);
        }
    }

    /** A permit freed for a newcomer that waits: offer it again. */
    private void retryAccept() {
        if (acceptPaused) {
            accept();
        }
    }

    /** Accepts what is pending; pauses the listener's interest while the acceptor says to wait. */
    private void accept() {
        boolean more = acceptor.acceptPending(ACCEPT_BATCH);
        if (more == acceptPaused && acceptKey.isValid()) {
            acceptKey.interestOps(more ? SelectionKey.OP_ACCEPT : 0);
        }
        acceptPaused = !more;
    }

    /** A codec or protocol bug surfaced while serving {@code lc}: close it, keep the loop. */
    private void failed(LoopConn<?, ?> lc, Throwable e) {
        Server.LOG.log(System.Logger.Level.WARNING, "conn=" + lc.c.info.id() + " connection_failed", e);
        scratch.release();
        close(lc, CloseReason.ERROR);
    }

    private void onReadable(LoopConn<?, ?> lc) {
        ByteBuffer buf = readBuffer.clear();
        int n;
        try {
            n = lc.c.channel.read(buf);
        } catch (IOException e) {
            Server.LOG.log(Level.DEBUG, "conn={0,number,#} io_error: {1}", lc.c.info.id(), e.toString());
            close(lc, CloseReason.ERROR);
            return;
        }
        if (n < 0) {
            lc.eof = true;
            if (lc.inFlight || lc.pendingOut != null) {
                setInterest(lc); // answer what was asked, then close
            } else {
                close(lc, CloseReason.NORMAL);
            }
            return;
        }
        if (n == 0) {
            return;
        }
        stats.addBytesIn(n);
        if (lc.c.phase() == ConnectionState.BODY) {
            lc.c.bodyBytes += n;
        }
        if (!lc.c.move(ConnectionState.BUSY)) {
            close(lc, lc.c.terminalReason());
            return;
        }
        buf.flip();
        ByteBuffer in = buf;
        if (lc.pendingIn != null) {
            in = append(lc.pendingIn, buf);
            if (in == null) {
                Server.LOG.log(Level.WARNING, "conn={0,number,#} codec_stalled", lc.c.info.id());
                close(lc, CloseReason.ERROR);
                return;
            }
        }
        process(lc, in, System.nanoTime());
    }

    private static ByteBuffer append(ByteBuffer pending, ByteBuffer more) {
        int need = pending.remaining() + more.remaining();
        if (need > Buffering.MAX_UNDECODED_BYTES) {
            return null;
        }
        if (pending.capacity() - pending.remaining() < more.remaining()) {
            ByteBuffer bigger = ByteBuffer.allocate(Math.max(need, pending.capacity() * 2));
            return bigger.put(pending).put(more).flip();
        }
        return pending.compact().put(more).flip();
    }

    /** Decodes and answers every whole request in {@code in}, then flushes. */
    private <Q, R> void process(LoopConn<Q, R> lc, ByteBuffer in, long readAt) {
        Codec<Q, R> codec = lc.codec;
        while (!lc.inFlight && lc.closeAfterFlush == null) {
            if (scratch.backlog() + (lc.pendingOut == null ? 0 : lc.pendingOut.backlog())
                    >= Buffering.MAX_BUFFERED_OUT_BYTES) {
                lc.stalled = true; // pipelined requests wait in pendingIn until the client reads
                break;
            }
            Q request;
            try {
                request = codec.decode(in, scratch);
            } catch (ProtocolException e) {
                Server.LOG.log(Level.DEBUG, "conn={0,number,#} protocol_error code={1,number,#} reason={2}",
                        lc.c.info.id(), e.code(), e.reason());
                codec.encodeError(e, scratch);
                lc.closeAfterFlush = CloseReason.ERROR;
                break;
            }
            if (request == null) {
                break;
            }
            lc.inMessage = false;
            lc.c.bodyStart = -1;
            stats.onRequest();
            if (lc.handler.mayBlock()) {
                offload(lc, request);
            } else {
                R response = null;
                Throwable failure = null;
                try {
                    response = lc.handler.handle(request);
                } catch (Throwable e) { // even an Error: the client gets an answer, the loop lives on
                    failure = e;
                }
                encode(lc, response, failure);
            }
        }
        if (in.hasRemaining() && lc.closeAfterFlush == null) {
            if (in != lc.pendingIn) {
                lc.pendingIn = ByteBuffer.allocate(Math.max(in.remaining(), 1024)).put(in).flip();
            }
        } else {
            lc.pendingIn = null;
        }
        if (!lc.inMessage && (lc.pendingIn != null
                || codec.progress() != Codec.Progress.BETWEEN_MESSAGES)) {
            lc.inMessage = true; // the header deadline runs from this read
            lc.headStart = readAt;
        }
        flush(lc);
    }

    private <Q, R> void encode(LoopConn<Q, R> lc, R response, Throwable failure) {
        boolean closing = server.draining();
        boolean keep = ConnectionEngine.encodeAnswer(lc.codec, lc.c, response, failure, scratch, closing);
        if (!keep || closing) {
            lc.closeAfterFlush = closing ? CloseReason.SHUTDOWN : CloseReason.NORMAL;
        }
    }

    /** The client read what was pending: decode the pipelined requests that were held back. */
    private void resume(LoopConn<?, ?> lc) {
        lc.stalled = false;
        if (lc.pendingIn != null && !lc.inFlight && lc.closeAfterFlush == null) {
            process(lc, lc.pendingIn, System.nanoTime());
        } else {
            flush(lc);
        }
    }

    private <Q, R> void offload(LoopConn<Q, R> lc, Q request) {
        lc.inFlight = true;
        lc.handlerStart = System.nanoTime();
        stats.addBusy(1);
        Thread t = handlerThreads.newThread(() -> {
            R response = null;
            Throwable failure = null;
            try {
                response = lc.handler.handle(request);
            } catch (Throwable e) { // even an Error: the client gets an answer, the loop lives on
                failure = e;
            }
            R r = response;
            Throwable f = failure;
            post(() -> complete(lc, r, f));
        });
        lc.c.enterHandler(t);
        t.start();
    }

    /** A handler on a virtual thread finished: write its response, then go on with the input. */
    private <Q, R> void complete(LoopConn<Q, R> lc, R response, Throwable failure) {
        stats.addBusy(-1);
        lc.inFlight = false;
        lc.c.leaveHandler();
        if (lc.c.isClosed()) {
            return; // timed out or shut down: the late response is dropped
        }
        try {
            encode(lc, response, failure);
            if (lc.pendingIn != null && lc.closeAfterFlush == null) {
                process(lc, lc.pendingIn, System.nanoTime());
            } else {
                flush(lc);
            }
        } catch (RuntimeException | Error e) {
            failed(lc, e);
        }
    }

    /** Writes what is encoded; what the client does not take now waits for OP_WRITE. */
    private void flush(LoopConn<?, ?> lc) {
        if (lc.c.isClosed()) {
            scratch.release();
            return;
        }
        OutboundBuffer out = scratch;
        if (lc.pendingOut != null) {
            scratch.moveTo(lc.pendingOut);
            out = lc.pendingOut;
        }
        if (!out.isEmpty()) {
            try {
                long n = out.writeTo(lc.c.channel, null);
                stats.addBytesOut(n);
                if (n > 0 && lc.pendingOut != null) {
                    lc.c.writeBytes += n;
                    lc.c.moveToWriting(writeNanos, System.nanoTime(), minResponseRate);
                }
            } catch (IOException e) {
                Server.LOG.log(Level.DEBUG, "conn={0,number,#} io_error: {1}", lc.c.info.id(), e.toString());
                scratch.release();
                close(lc, CloseReason.ERROR);
                return;
            }
        }
        if (!out.isEmpty()) {
            if (out == scratch) {
                lc.pendingOut = new OutboundBuffer();
                scratch.moveTo(lc.pendingOut);
            }
        } else {
            lc.pendingOut = null;
            lc.c.writeStart = -1;
            if (lc.closeAfterFlush != null) {
                close(lc, lc.closeAfterFlush);
                return;
            }
            if (lc.eof && !lc.inFlight && !lc.stalled) {
                close(lc, CloseReason.NORMAL);
                return;
            }
        }
        setInterest(lc);
        updatePhase(lc);
    }

    private void setInterest(LoopConn<?, ?> lc) {
        int ops = lc.pendingOut != null || (lc.stalled && !lc.inFlight) ? SelectionKey.OP_WRITE
                : lc.inFlight || lc.eof || lc.closeAfterFlush != null ? 0 : SelectionKey.OP_READ;
        if (lc.key.isValid() && lc.key.interestOps() != ops) {
            lc.key.interestOps(ops);
        }
    }

    /** Sets the phase and deadline that fit where the connection stands now. */
    private void updatePhase(LoopConn<?, ?> lc) {
        ConnectionState c = lc.c;
        if (c.isClosed()) {
            return;
        }
        long now = System.nanoTime();
        boolean moved;
        if (lc.pendingOut != null) {
            moved = c.phase() == ConnectionState.WRITING || c.moveToWriting(writeNanos, now, minResponseRate);
        } else if (lc.inFlight) {
            c.deadline = requestNanos > 0 ? lc.handlerStart + requestNanos : Long.MAX_VALUE;
            moved = c.move(ConnectionState.HANDLING);
        } else {
            Codec.Progress progress = lc.codec.progress();
            if (progress == Codec.Progress.BETWEEN_MESSAGES && lc.pendingIn == null) {
                if (server.draining()) {
                    close(lc, CloseReason.SHUTDOWN);
                    return;
                }
                moved = c.move(ConnectionState.IDLE, idleNanos, now);
            } else if (progress == Codec.Progress.IN_BODY) {
                moved = c.moveToBody(idleNanos, now, minBodyRate);
            } else {
                c.deadline = headerNanos > 0 ? lc.headStart + headerNanos : Long.MAX_VALUE;
                moved = c.move(ConnectionState.HEAD);
            }
        }
        if (!moved) {
            close(lc, c.terminalReason());
        }
    }

    /**
     * Benchmarks only, before {@link #start}: tracks {@code c}'s deadline as a registered connection
     * would be, without a channel or a key, so {@link #sweep} can be measured at any count.
     */
    void track(ConnectionState c) {
        LoopConn<?, ?> lc = new LoopConn<>(c, this, server.protocol());
        lc.index = conns.size();
        conns.add(lc);
    }

    /** Closes what has passed its deadline: one read of a volatile long per connection. */
    void sweep(long now) {
        for (int i = conns.size() - 1; i >= 0; i--) {
            LoopConn<?, ?> lc = conns.get(i);
            ConnectionState c = lc.c;
            if (c.deadline - now > 0) {
                continue;
            }
            int phase = c.phase();
            CloseReason reason = c.expiryReason(phase);
            if (reason == null || !c.terminate(phase, reason)) {
                continue;
            }
            if (reason.cutsARequest() || reason == CloseReason.REQUEST_TIMEOUT) {
                Server.LOG.log(Level.DEBUG, "conn={0,number,#} {1}", c.info.id(), reason.logName());
                if (reason == CloseReason.REQUEST_TIMEOUT) {
                    c.interruptHandler(); // its response, should it come, finds the connection closed
                    lc.codec.encodeRequestTimeout(scratch);
                } else {
                    lc.codec.encodeTimeout(scratch);
                }
                try {
                    stats.addBytesOut(scratch.writeTo(c.channel, null));
                } catch (IOException e) {
                    // The client is gone; closing is all that is left.
                }
                scratch.release();
            }
            close(lc, reason);
        }
    }

    private void close(LoopConn<?, ?> lc, CloseReason reason) {
        if (lc.index < 0) {
            return;
        }
        int last = conns.size() - 1;
        LoopConn<?, ?> moved = conns.remove(last);
        if (moved != lc) {
            conns.set(lc.index, moved);
            moved.index = lc.index;
        }
        lc.index = -1;
        closedSome = true;
        if (lc.pendingOut != null) {
            lc.pendingOut.release();
            lc.pendingOut = null;
        }
        lc.pendingIn = null;
        SelectionKey key = lc.key;
        boolean deferred = key != null && key.isValid() && !stopped;
        if (deferred) {
            key.cancel();
        }
        if (server.closeConn(lc.c, reason == null ? CloseReason.ERROR : reason, !deferred) && deferred) {
            unregistered.add(lc.c.channel);
        }
    }

    /** Closes the channels of connections closed this round, once the selector lets go of them. */
    private void closeChannels() throws IOException {
        while (!unregistered.isEmpty()) {
            int n = unregistered.size();
            selector.selectNow(this::onKey); // deregisters the cancelled keys; serves what is ready
            for (int i = 0; i < n; i++) {
                Quietly.close(unregistered.get(i));
            }
            // What onKey closed meanwhile waits for the next selectNow.
            unregistered.subList(0, n).clear();
        }
    }
}
