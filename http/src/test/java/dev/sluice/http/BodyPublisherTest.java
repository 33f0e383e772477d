package dev.sluice.http;

import static dev.sluice.http.BodyStreamTest.ascii;
import static dev.sluice.http.BodyStreamTest.chunked;
import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.http.BodyStreamTest.FakeSource;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Flow;
import org.junit.jupiter.api.Test;

/**
 * The request body as a {@link Flow.Publisher}: the engine reads for it only as the subscriber
 * asks, {@code 100 Continue} goes at the first ask, framing and the body limit hold as for the
 * stream, and every way a body ends reaches the subscriber once.
 */
class BodyPublisherTest {
    private static final byte[] CONTINUE = "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Records what it is told; asks for nothing by itself. */
    static class Recorder implements Flow.Subscriber<ByteBuffer> {
        Flow.Subscription subscription;
        final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        final List<Integer> pieces = new ArrayList<>();
        int completions;
        Throwable error;
        /** Asked for again after each piece: one at a time. */
        boolean oneByOne;

        @Override
        public void onSubscribe(Flow.Subscription s) {
            subscription = s;
        }

        @Override
        public void onNext(ByteBuffer item) {
            pieces.add(item.remaining());
            byte[] b = new byte[item.remaining()];
            item.get(b);
            bytes.writeBytes(b);
            if (oneByOne) {
                subscription.request(1);
            }
        }

        @Override
        public void onError(Throwable e) {
            assertThat(error).as("one error at most").isNull();
            error = e;
        }

        @Override
        public void onComplete() {
            completions++;
        }

        String text() {
            return bytes.toString(StandardCharsets.US_ASCII);
        }
    }

    @Test
    void nothingIsReadOrContinuedUntilTheSubscriberAsksThenOnePieceAtATime() {
        FakeSource source = new FakeSource(ascii("0123456789GET"), 4);
        BodyStream body = new BodyStream(source, null, 10, CONTINUE);
        Recorder r = new Recorder();
        new BodyPublisher(body).subscribe(r);
        source.runTasks();
        assertThat(source.fills).as("no ask, no read").isZero();
        assertThat(source.sent).as("no ask, no 100").isEmpty();

        r.subscription.request(1);
        source.runTasks();
        assertThat(source.sent).hasSize(1);
        assertThat(r.pieces).as("one piece for one ask").containsExactly(4);
        int fills = source.fills;
        source.runTasks();
        assertThat(source.fills).as("no more reads without demand").isEqualTo(fills);

        r.oneByOne = true;
        r.subscription.request(1);
        source.runTasks();
        assertThat(r.text()).isEqualTo("0123456789");
        assertThat(r.completions).isEqualTo(1);
        assertThat(r.error).isNull();
        assertThat(source.sent).as("100 once").hasSize(1);
        assertThat(StandardCharsets.US_ASCII.decode(source.buffered()).toString())
                .as("the next request's bytes stay").isEqualTo("GE");
    }

    @Test
    void aChunkedBodySplitAtEveryOffsetArrivesWhole() {
        String wire = "5\r\nhello\r\n1;ext=1\r\n \r\n6\r\nworld!\r\n0\r\nX-Sum: 1\r\n\r\n";
        for (int readSize = 1; readSize <= wire.length(); readSize++) {
            FakeSource source = new FakeSource(ascii(wire), readSize);
            BodyStream body = new BodyStream(source, chunked(100), -1, null);
            Recorder r = new Recorder();
            new BodyPublisher(body).subscribe(r);
            r.subscription.request(Long.MAX_VALUE);
            source.runTasks();
            assertThat(r.text()).as("reads of %d", readSize).isEqualTo("hello world!");
            assertThat(r.completions).isEqualTo(1);
            assertThat(body.trailers().get("X-Sum")).isEqualTo("1");
            assertThat(body.drainable()).isZero();
        }
    }

    @Test
    void aChunkedBodyPastTheLimitIsAnErrorAndAnsweredAsTheCodecRefuses() {
        FakeSource source = new FakeSource(ascii("5\r\nhello\r\n64\r\n"), 3);
        BodyStream body = new BodyStream(source, chunked(10), -1, null);
        Recorder r = new Recorder();
        new BodyPublisher(body).subscribe(r);
        r.subscription.request(Long.MAX_VALUE);
        source.runTasks();
        assertThat(r.text()).isEqualTo("hello");
        assertThat(r.error).isInstanceOf(IOException.class);
        assertThat(body.refusal().status()).isEqualTo(413);
        assertThat(r.completions).isZero();
    }

    @Test
    void aClientThatStopsMidBodyIsAnEndOfStreamError() {
        FakeSource source = new FakeSource(ascii("012"), 2);
        BodyStream body = new BodyStream(source, null, 10, null);
        Recorder r = new Recorder();
        new BodyPublisher(body).subscribe(r);
        r.subscription.request(Long.MAX_VALUE);
        source.runTasks();
        assertThat(r.text()).isEqualTo("012");
        assertThat(r.error).isInstanceOf(EOFException.class);
        assertThat(body.drainable()).as("broken: never drained").isEqualTo(-1);
    }

    @Test
    void aSecondSubscriberABadRequestAndALateAskAreErrors() {
        FakeSource source = new FakeSource(ascii("0123456789"), 4);
        BodyStream body = new BodyStream(source, null, 10, null);
        BodyPublisher publisher = new BodyPublisher(body);
        Recorder first = new Recorder();
        publisher.subscribe(first);
        Recorder second = new Recorder();
        publisher.subscribe(second);
        assertThat(second.error).isInstanceOf(IllegalStateException.class);

        Recorder third = new Recorder();
        body.publisher().subscribe(third);
        Recorder fourth = new Recorder();
        body.publisher().subscribe(fourth);
        assertThat(fourth.error).as("the request's publisher is one, however often asked for")
                .isInstanceOf(IllegalStateException.class);

        first.subscription.request(0);
        source.runTasks();
        assertThat(first.error).isInstanceOf(IllegalArgumentException.class);

        FakeSource late = new FakeSource(ascii("0123456789"), 4);
        BodyStream over = new BodyStream(late, null, 10, null);
        Recorder r = new Recorder();
        new BodyPublisher(over).subscribe(r);
        over.over(); // the handler answered
        r.subscription.request(1);
        late.runTasks();
        assertThat(late.fills).as("nothing read for a late ask").isZero();
        assertThat(r.error).isInstanceOf(IOException.class);
    }

    @Test
    void aCancelledSubscriptionHearsNothingMoreAndReadsNothingMore() {
        FakeSource source = new FakeSource(ascii("0123456789"), 2);
        BodyStream body = new BodyStream(source, null, 10, null);
        Recorder r = new Recorder();
        new BodyPublisher(body).subscribe(r);
        r.subscription.request(1);
        source.runTasks();
        r.subscription.cancel();
        r.subscription.request(5);
        int fills = source.fills;
        source.runTasks();
        assertThat(r.pieces).hasSize(1);
        assertThat(source.fills).isEqualTo(fills);
        assertThat(r.completions).isZero();
        assertThat(r.error).isNull();
    }

    @Test
    void aSubscriberThatThrowsHearsNothingMoreAndTheEngineNothingOfIt() {
        FakeSource source = new FakeSource(ascii("0123456789"), 2);
        BodyStream body = new BodyStream(source, null, 10, null);
        Recorder r = new Recorder() {
            @Override
            public void onNext(ByteBuffer item) {
                super.onNext(item);
                throw new IllegalStateException("a bug in the subscriber");
            }
        };
        new BodyPublisher(body).subscribe(r);
        r.subscription.request(5);
        source.runTasks(); // throws nothing
        r.subscription.request(5);
        source.runTasks();
        assertThat(r.pieces).as("no signal after the throw").hasSize(1);
        assertThat(r.completions).isZero();
        assertThat(r.error).isNull();
    }

    @Test
    void aBodyInMemoryIsOnePieceThenTheEnd() {
        Recorder r = new Recorder();
        Flow.Publisher<ByteBuffer> p = BodyPublisher.of(ascii("hello"));
        p.subscribe(r);
        assertThat(r.pieces).isEmpty();
        r.subscription.request(1);
        assertThat(r.text()).isEqualTo("hello");
        assertThat(r.completions).isEqualTo(1);

        Recorder empty = new Recorder();
        BodyPublisher.of(new byte[0]).subscribe(empty);
        empty.subscription.request(1);
        assertThat(empty.pieces).isEmpty();
        assertThat(empty.completions).isEqualTo(1);
        Recorder again = new Recorder();
        p.subscribe(again);
        assertThat(again.error).isInstanceOf(IllegalStateException.class);
    }
}
