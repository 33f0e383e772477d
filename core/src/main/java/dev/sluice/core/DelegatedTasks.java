package dev.sluice.core;

import java.util.concurrent.Executor;
import javax.net.ssl.SSLEngine;

/**
 * The delegated tasks of one {@link TlsChannel}'s {@link SSLEngine} (the costly steps of a
 * handshake, such as the key exchange): run on the calling thread, or, once {@link #offload} is
 * set (an event loop, which must not block), on an executor, after which a callback drives the
 * connection again.
 *
 * <p>Threads: the connection's owner; the tasks and the callback on the executor.
 */
final class DelegatedTasks {
    private final SSLEngine engine;
    private volatile boolean running;
    private Executor executor;
    private Runnable then;

    DelegatedTasks(SSLEngine engine) {
        this.engine = engine;
    }

    /** From now on the tasks run on {@code executor}, then {@code then} runs there. */
    void offload(Executor executor, Runnable then) {
        this.executor = executor;
        this.then = then;
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
