package dev.sluice.http;

import dev.sluice.core.RequestStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.util.Objects;
import java.util.concurrent.Flow;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A streamed request body as a {@link Flow.Publisher}, for handlers that never block: each
 * {@code request(n)} lets the server read up to {@code n} more pieces (of at most
 * {@value #PIECE_BYTES} bytes) from the socket, and nothing more is read while the subscriber asks
 * for nothing, so a slow subscriber slows the client down. {@code 100 Continue} goes out at the
 * first piece asked for.
 *
 * <p>One subscriber. Its signals come on the thread that serves the connection's reads
 * ({@link RequestStream#execute}): the loop thread on {@code event-loop}, which the subscriber
 * must never block; on the blocking engines, the connection's thread while it waits for the
 * answer. Once the answer is complete, no signal comes any more: the server drains or gives up
 * what was not read, as for a handler that stops reading a stream.
 */
final class BodyPublisher implements Flow.Publisher<ByteBuffer> {
    static final int PIECE_BYTES = 16 * 1024;

    private final BodyStream body;
    private final AtomicBoolean taken = new AtomicBoolean();

    BodyPublisher(BodyStream body) {
        this.body = body;
    }

    @Override
    public void subscribe(Flow.Subscriber<? super ByteBuffer> subscriber) {
        Objects.requireNonNull(subscriber, "subscriber");
        if (!taken.compareAndSet(false, true)) {
            subscriber.onSubscribe(Nothing.INSTANCE);
            subscriber.onError(new IllegalStateException("a request body has one subscriber"));
            return;
        }
        Pull pull = new Pull(subscriber);
        subscriber.onSubscribe(pull);
    }

    /** The subscription: everything but {@link #request} and {@link #cancel} on the stream's thread. */
    private final class Pull implements Flow.Subscription {
        private final Flow.Subscriber<? super ByteBuffer> subscriber;
        private final RequestStream source = body.source();
        private volatile boolean cancelled;
        private long demand;
        private boolean waiting;
        private boolean finished;
        private boolean driving;

        Pull(Flow.Subscriber<? super ByteBuffer> subscriber) {
            this.subscriber = subscriber;
        }

        @Override
        public void request(long n) {
            source.execute(() -> {
                if (n <= 0) {
                    fail(new IllegalArgumentException("request(" + n + "): must be positive (Reactive Streams 3.9)"));
                    return;
                }
                demand = demand + n < 0 ? Long.MAX_VALUE : demand + n;
                drive();
            });
        }

        @Override
        public void cancel() {
            cancelled = true;
        }

        /** Hands out pieces while there is demand; asks for a read when none is buffered. */
        private void drive() {
            if (driving) {
                return; // a read answered at once, inside the loop below: it goes on there
            }
            driving = true;
            try {
                while (!finished && !cancelled && !waiting && (demand > 0 || body.done())) {
                    ByteBuffer piece = body.poll(PIECE_BYTES); // the end needs no demand
                    if (piece == null) {
                        finished = true;
                        tell(subscriber::onComplete);
                    } else if (!piece.hasRemaining()) {
                        waiting = true;
                        body.fillLater(this::filled);
                    } else {
                        demand--;
                        tell(() -> subscriber.onNext(piece));
                    }
                }
            } catch (IOException e) {
                fail(e);
            } finally {
                driving = false;
            }
        }

        /** Signals the subscriber; one that throws broke its contract, and hears no more. */
        private void tell(Runnable signal) {
            try {
                signal.run();
            } catch (RuntimeException e) {
                finished = true;
                ResponseWriter.LOG.log(System.Logger.Level.WARNING, "body subscriber failed", e);
            }
        }

        private void filled(boolean more, IOException failure) {
            waiting = false;
            if (!more) {
                try {
                    body.unfilled(failure);
                } catch (IOException e) {
                    fail(e);
                    return;
                }
            }
            drive();
        }

        private void fail(Throwable e) {
            if (!finished && !cancelled) {
                finished = true;
                tell(() -> subscriber.onError(e));
            }
        }
    }

    /**
     * A body that is all in memory, as a publisher: one piece (none when empty), then the end,
     * signalled on the thread that asks.
     */
    static Flow.Publisher<ByteBuffer> of(byte[] whole) {
        AtomicBoolean once = new AtomicBoolean();
        return subscriber -> {
            Objects.requireNonNull(subscriber, "subscriber");
            if (!once.compareAndSet(false, true)) {
                subscriber.onSubscribe(Nothing.INSTANCE);
                subscriber.onError(new IllegalStateException("a request body has one subscriber"));
                return;
            }
            subscriber.onSubscribe(new Flow.Subscription() {
                private boolean done;

                @Override
                public void request(long n) {
                    if (done) {
                        return;
                    }
                    done = true;
                    if (n <= 0) {
                        subscriber.onError(new IllegalArgumentException("request(" + n + "): must be positive"));
                        return;
                    }
                    if (whole.length > 0) {
                        subscriber.onNext(ByteBuffer.wrap(whole).asReadOnlyBuffer());
                    }
                    subscriber.onComplete();
                }

                @Override
                public void cancel() {
                    done = true;
                }
            });
        };
    }

    /** The subscription of a subscriber turned away. */
    enum Nothing implements Flow.Subscription {
        INSTANCE;

        @Override
        public void request(long n) {
        }

        @Override
        public void cancel() {
        }
    }
}
