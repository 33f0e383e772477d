package dev.sluice.core;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.BlockingQueue;

/**
 * {@link ServerConfig#effectiveThreads()} platform threads ({@code sluice-worker-N}) and a queue of
 * at most {@link ServerConfig#effectiveQueue()} accepted connections waiting for one. A full queue
 * triggers the overload policy: {@code wait} blocks the acceptor (the backlog holds newcomers),
 * {@code reject} turns the newcomer away. A worker serves one connection until it closes, so a
 * keep-alive client holds its worker between requests, for up to the idle timeout.
 */
final class PoolEngine extends ConnectionEngine {
    private final BlockingQueue<ConnectionState> queue;
    private final List<Thread> workers = new ArrayList<>();
    private volatile boolean stopped;

    PoolEngine(EngineContext context) {
        super(context);
        this.queue = new ArrayBlockingQueue<>(context.config.effectiveQueue());
    }

    @Override
    void start() {
        int n = context.config.effectiveThreads();
        for (int i = 0; i < n; i++) {
            Thread t = Thread.ofPlatform().name("sluice-worker-" + i).start(this::work);
            workers.add(t);
        }
    }

    private void work() {
        while (!stopped) {
            ConnectionState c;
            try {
                c = queue.take();
            } catch (InterruptedException e) {
                if (stopped) {
                    return;
                }
                continue;
            }
            serve(c);
            Thread.interrupted(); // a stray interrupt must not end the next connection
        }
    }

    @Override
    void dispatch(ConnectionState c) {
        if (context.config.overload() == OverloadPolicy.REJECT) {
            if (!queue.offer(c)) {
                context.connections.reject(c);
            }
            return;
        }
        awaitCapacity(c, (time, unit) -> queue.offer(c, time, unit));
    }

    @Override
    void stop() {
        stopped = true;
        for (Thread t : workers) {
            t.interrupt();
        }
        for (ConnectionState c; (c = queue.poll()) != null; ) {
            context.connections.close(c, CloseReason.SHUTDOWN);
        }
    }

    @Override
    int queueDepth() {
        return queue.size();
    }
}
