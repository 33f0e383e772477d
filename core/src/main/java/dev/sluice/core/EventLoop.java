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
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * One selector thread and the connections it owns: run posted tasks, select, hand ready
 * connections to their {@link LoopConnection}, accept when this loop holds the listener, and every
 * tick sweep its connections' deadlines (no timer object per connection); close what is done.
 * Everything here runs on that thread except {@link #add}, {@link #closeTerminated},
 * {@link #drain}, {@link #post} and {@link #stop}, which post tasks to it.
 *
 * <p>Memory per idle connection is kept small: reads go into one buffer per loop and answers
 * are encoded into one buffer per loop ({@link LoopConnection} says when a connection holds its own).
 */
final class EventLoop implements Runnable {
    private static final int READ_BYTES = 64 * 1024;
    /** Connections accepted per readiness of the listener, so serving the others is not starved. */
    private static final int ACCEPT_BATCH = 64;

    final EngineContext context;
    final Stats stats;
    /** Where every connection of this loop reads. */
    final ByteBuffer readBuffer = ByteBuffer.allocateDirect(READ_BYTES);
    /** Where every connection of this loop encodes; emptied before the loop serves another. */
    final OutboundBuffer scratch = new OutboundBuffer();
    final ThreadFactory handlerThreads = Thread.ofVirtual().name("sluice-handler").factory();
    /** Where the TLS handshakes' delegated tasks (the key exchange) run: off the loop. */
    final Executor tlsTasks = task -> Thread.ofVirtual().name("sluice-tls-task").start(task);
    private final Thread thread;
    private final Selector selector;
    private final Queue<Runnable> tasks = new ConcurrentLinkedQueue<>();
    private final AtomicBoolean wakeupPending = new AtomicBoolean();
    private final ArrayList<LoopConnection<?, ?>> conns = new ArrayList<>();
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
    /** As {@link #unregistered}, for connections turned away: handed to {@link Acceptor#linger}, not closed. */
    private final ArrayList<SocketChannel> lingering = new ArrayList<>();

    EventLoop(EngineContext context, int index) throws IOException {
        this.context = context;
        this.stats = context.stats;
        this.selector = Selector.open();
        this.tickNanos = context.timeouts.tickNanos();
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
        if (inLoop()) {
            register(c); // accepted by this loop: no task, no wakeup
        } else {
            post(() -> register(c));
        }
    }

    /** Another thread terminated {@code c} (evicted, shut down): its loop closes it. */
    static void closeTerminated(ConnectionState c) {
        if (c.attachment instanceof LoopConnection<?, ?> lc) {
            lc.loop.post(() -> lc.loop.close(lc, c.terminalReason()));
        }
    }

    void drain() {
        post(() -> {
            for (int i = conns.size() - 1; i >= 0; i--) {
                conns.get(i).updatePhase();
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

    /** Whether the calling thread is this loop's. */
    boolean inLoop() {
        return Thread.currentThread() == thread;
    }

    /** Runs {@code task} on this loop's thread, soon. */
    void post(Runnable task) {
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
                turn();
            }
        } catch (IOException | RuntimeException e) {
            if (!stopped) {
                Log.CORE.log(Level.ERROR, "event_loop_failed " + thread.getName(), e);
            }
        } finally {
            closeEverything();
        }
    }

    /** One turn of the loop: select and serve, run the posted tasks, sweep on a tick, close. */
    private void turn() throws IOException {
        // Cleared before the look at the tasks, never after a select: a selectNow (here or in
        // closeChannels) may swallow a wakeup, and a flag left set would then stop every later
        // post from waking this loop, whose tasks would wait for the tick.
        wakeupPending.set(false);
        if (tasks.isEmpty()) {
            selector.select(this::onKey, Math.max(1, tickNanos / 1_000_000));
        } else { // posted by this thread, which wakes no selector; or a wakeup was swallowed
            selector.selectNow(this::onKey);
        }
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

    /** The loop ends: runs what was posted, then closes every connection and the selector. */
    private void closeEverything() {
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

    private void register(ConnectionState c) {
        LoopConnection<?, ?> lc;
        try {
            lc = new LoopConnection<>(c, this, context.protocol);
        } catch (RuntimeException e) { // the protocol's codec factory failed
            Log.CORE.log(Level.WARNING, "conn=" + c.info.id() + " codec_failed", e);
            context.connections.close(c, CloseReason.ERROR);
            return;
        }
        c.attachment = lc;
        try {
            lc.key = c.channel.register(selector, SelectionKey.OP_READ, lc);
        } catch (ClosedChannelException e) {
            context.connections.close(c, context.draining() ? CloseReason.SHUTDOWN : CloseReason.ERROR);
            return;
        }
        adopt(lc);
        lc.updatePhase();
    }

    /** Takes {@code lc} into this loop's list, so it is swept and closed with the others. */
    void adopt(LoopConnection<?, ?> lc) {
        lc.index = conns.size();
        conns.add(lc);
    }

    private void onKey(SelectionKey key) {
        if (key == acceptKey) {
            accept();
            return;
        }
        LoopConnection<?, ?> lc = (LoopConnection<?, ?>) key.attachment();
        if (!key.isValid()) {
            return;
        }
        try {
            int ready = key.readyOps();
            if ((ready & SelectionKey.OP_WRITE) != 0) {
                lc.onWritable();
            }
            if ((ready & SelectionKey.OP_READ) != 0 && key.isValid()) {
                lc.onReadable();
            }
        } catch (RuntimeException | Error e) {
            lc.failed(e);
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

    /** Closes what has passed its deadline: one read of a volatile long per connection. */
    void sweep(long now) {
        boolean draining = context.draining();
        for (int i = conns.size() - 1; i >= 0; i--) {
            LoopConnection<?, ?> lc = conns.get(i);
            CloseReason reason = lc.c.expire(now);
            if (reason == null && draining && lc.c.terminateIdle(now)) {
                reason = CloseReason.SHUTDOWN; // a first request that did not come in its grace
            }
            if (reason != null) {
                expired(lc, reason);
            }
        }
    }

    /**
     * A sweep expired the connection for {@code reason}: tells a client cut mid-request (HTTP:
     * 408) or whose handler overran (HTTP: 503) as far as the socket takes it, then closes.
     */
    private void expired(LoopConnection<?, ?> lc, CloseReason reason) {
        if (reason.cutsARequest() || reason == CloseReason.REQUEST_TIMEOUT) {
            Log.CORE.log(Level.DEBUG, "conn={0,number,#} {1}", lc.c.info.id(), reason.logName());
            if (reason == CloseReason.REQUEST_TIMEOUT) {
                lc.c.handler.interrupt(); // its response, should it come, finds the connection closed
                lc.codec.encodeRequestTimeout(scratch);
            } else {
                lc.codec.encodeTimeout(scratch);
            }
            try {
                stats.addBytesOut(scratch.writeTo(lc.c, null));
            } catch (IOException e) {
                // The client is gone; closing is all that is left.
            }
            scratch.release();
        }
        close(lc, reason);
    }

    /** The TLS handshake's costly steps of {@code lc} run off the loop; their end drives it again. */
    void offloadTlsTasks(LoopConnection<?, ?> lc) {
        if (lc.c.tls != null) {
            lc.c.tls.offloadTasks(tlsTasks, () -> post(() -> {
                if (lc.index >= 0) {
                    lc.onReadable();
                }
            }));
        }
    }

    /** Closes {@code lc} (once): out of the list, its key cancelled, its channel closed after the next select. */
    void close(LoopConnection<?, ?> lc, CloseReason reason) {
        close(lc, reason, unregistered);
    }

    /**
     * Closes {@code lc}, turned away at a limit once it had been admitted (the per-IP cap, which a
     * PROXY header's client meets only after its accept): the rejection is sent and the close
     * lingers ({@link Acceptor#linger}), so that what the client sent does not make it a reset.
     */
    void turnAway(LoopConnection<?, ?> lc) {
        close(lc, CloseReason.LIMIT, lingering);
    }

    private void close(LoopConnection<?, ?> lc, CloseReason reason, List<SocketChannel> later) {
        if (lc.index < 0) {
            return;
        }
        int last = conns.size() - 1;
        LoopConnection<?, ?> moved = conns.remove(last);
        if (moved != lc) {
            conns.set(lc.index, moved);
            moved.index = lc.index;
        }
        lc.index = -1;
        closedSome = true;
        if (lc.c.tls != null && (reason == CloseReason.NORMAL || reason == CloseReason.SHUTDOWN)) {
            lc.c.tls.closeNotify();
        }
        lc.released();
        if (reason != null && reason.resets()) {
            Quietly.resetOnClose(lc.c.channel);
        }
        SelectionKey key = lc.key;
        boolean deferred = key != null && key.isValid() && !stopped;
        if (deferred) {
            key.cancel();
        }
        if (context.connections.close(lc.c, reason == null ? CloseReason.ERROR : reason, !deferred) && deferred) {
            later.add(lc.c.channel);
        }
    }
    /** Closes the channels of connections closed this round, once the selector lets go of them. */
    private void closeChannels() throws IOException {
        while (!unregistered.isEmpty() || !lingering.isEmpty()) {
            int n = unregistered.size();
            int m = lingering.size();
            selector.selectNow(this::onKey); // deregisters the cancelled keys; serves what is ready
            for (int i = 0; i < n; i++) {
                Quietly.close(unregistered.get(i));
            }
            for (int i = 0; i < m; i++) {
                context.acceptor.linger(lingering.get(i)); // deregistered: it may block now
            }
            // What onKey closed meanwhile waits for the next selectNow.
            unregistered.subList(0, n).clear();
            lingering.subList(0, m).clear();
        }
    }
}
