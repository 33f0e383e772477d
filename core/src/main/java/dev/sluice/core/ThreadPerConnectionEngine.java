package dev.sluice.core;

import java.util.concurrent.Semaphore;

/**
 * A new platform thread ({@code sluice-conn-ID}) per connection, at most
 * {@link ServerConfig#effectiveThreads()} alive. At the bound the acceptor waits for a thread to
 * end and the kernel's backlog holds newcomers.
 */
final class ThreadPerConnectionEngine extends ConnectionEngine {
    private final Semaphore threads;

    ThreadPerConnectionEngine(EngineContext context) {
        super(context);
        this.threads = new Semaphore(context.config.effectiveThreads());
    }

    @Override
    void dispatch(ConnectionState c) {
        if (!awaitCapacity(c, threads::tryAcquire)) {
            return;
        }
        try {
            Thread.ofPlatform().name("sluice-conn-" + c.info.id()).start(() -> {
                try {
                    serve(c);
                } finally {
                    threads.release();
                }
            });
        } catch (OutOfMemoryError | RuntimeException e) { // the machine refused a thread
            threads.release();
            Log.CORE.log(System.Logger.Level.WARNING, "conn={0,number,#} thread_start_failed: {1}",
                    c.info.id(), e.toString());
            context.connections.close(c, CloseReason.ERROR);
        }
    }
}
