package dev.sluice.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;

/**
 * The delegated tasks of one {@link TlsChannel}'s {@link SSLEngine} (the costly steps of a
 * handshake, such as the key exchange): run on the calling thread, or, once {@link #offload} is
 * set (an event loop, which must not block), on an executor, after which a callback drives the
 * connection again. An engine that hands out no tasks (Conscrypt) does its handshake's costly work
 * inside {@code unwrap}: on an event loop those unwraps are offloaded whole ({@link #offloadedUnwrap}).
 *
 * <p>Threads: the connection's owner; the tasks and the callback on the executor.
 */
final class DelegatedTasks {
    private final SSLEngine engine;
    private volatile boolean running;
    private Executor executor;
    private Runnable then;
    private volatile IOException failed; // what an offloaded step threw, for the owner to rethrow
    private Runnable afterStep; // guarded by this: what waits for the unwrap off the loop to end

    DelegatedTasks(SSLEngine engine) {
        this.engine = engine;
    }

    /** From now on the tasks run on {@code executor}, then {@code then} runs there. */
    void offload(Executor executor, Runnable then) {
        this.executor = executor;
        this.then = then;
    }

    /** A step of the connection's own, such as an unwrap, that may throw. */
    interface Step {
        void run() throws IOException;
    }

    /**
     * On an event loop, for an engine that hands out no tasks, runs the {@code unwrap} of a whole
     * handshake record {@code netIn} holds on the executor, then the callback: whether it did. What
     * it throws waits for {@link #rethrow}.
     */
    boolean offloadedUnwrap(ByteBuffer netIn, Step unwrap) {
        if (executor == null || TlsEngines.isJdks(engine) || !TlsEngines.wholeHandshakeRecord(netIn)) {
            return false;
        }
        running = true;
        executor.execute(() -> {
            try {
                unwrap.run();
            } catch (IOException e) {
                failed = e;
            } catch (RuntimeException e) {
                failed = new IOException(e);
            } finally {
                Runnable after;
                synchronized (this) {
                    running = false;
                    after = afterStep;
                    afterStep = null;
                }
                if (after != null) {
                    after.run();
                }
                then.run();
            }
        });
        return true;
    }

    /**
     * Runs {@code action} now, or, while an unwrap runs off the loop, once it has ended, on its
     * thread: the engine is not touched twice at once, and a closing loop does not wait for it.
     */
    void whenIdle(Runnable action) {
        synchronized (this) {
            if (running) {
                afterStep = action;
                return;
            }
        }
        action.run();
    }

    /** Throws, once, what the last offloaded step threw. */
    void rethrow() throws IOException {
        IOException e = failed;
        if (e != null) {
            failed = null;
            throw e;
        }
    }

    /** Whether tasks run on the executor now: the engine waits for them. */
    boolean running() {
        return running;
    }

    /** Runs the engine's tasks here, or on the executor: whether they are done. */
    boolean run() {
        Runnable all = () -> {
            for (Runnable t; (t = engine.getDelegatedTask()) != null; ) {
                t.run();
            }
        };
        if (executor == null) {
            all.run();
            return true;
        }
        running = true;
        executor.execute(() -> {
            all.run();
            running = false;
            then.run();
        });
        return false;
    }
}
