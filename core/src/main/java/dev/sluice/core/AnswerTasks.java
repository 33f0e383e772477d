package dev.sluice.core;

import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * On a blocking engine, what a handler that {@linkplain Handler#answersLater() answers later} has
 * the connection's thread do while that thread waits for its answer: the reads of a streamed body
 * and the callbacks that follow them ({@link RequestStream#execute}), so that the connection's
 * bytes are only ever touched by its own thread. Holds no queue until a handler first gives it a task.
 */
final class AnswerTasks {
    private static final Runnable WAKE = () -> { };
    private LinkedBlockingQueue<Runnable> queue;

    private synchronized LinkedBlockingQueue<Runnable> queue() {
        if (queue == null) {
            queue = new LinkedBlockingQueue<>();
        }
        return queue;
    }

    /** Any thread: runs {@code task} on the connection's thread, while it waits in {@link #await}. */
    void execute(Runnable task) {
        queue().add(task);
    }

    /** The connection's thread, in a task: one blocking read of {@code source}, as a task of its own. */
    void fillLater(RequestStream source, RequestStream.Filled then) {
        execute(() -> {
            boolean more;
            try {
                more = source.fill();
            } catch (IOException e) {
                then.filled(false, e);
                return;
            }
            then.filled(more, null);
        });
    }

    /**
     * The connection's thread: runs the tasks given until {@code answer} is complete; those left
     * then are dropped. An interrupt (the request timeout) cancels the answer.
     */
    <T> T await(CompletionStage<T> answer) throws InterruptedException, ExecutionException {
        CompletableFuture<T> f = answer.toCompletableFuture();
        LinkedBlockingQueue<Runnable> q = queue();
        f.whenComplete((r, e) -> q.add(WAKE));
        try {
            while (!f.isDone()) {
                q.take().run();
            }
        } catch (InterruptedException e) {
            f.cancel(true);
            throw e;
        } finally {
            q.clear();
        }
        return f.get();
    }
}
