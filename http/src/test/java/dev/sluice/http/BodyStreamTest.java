package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.core.RequestStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import org.junit.jupiter.api.Test;

class BodyStreamTest {

    /** Hands out {@code input} in reads of the given sizes, as an engine would. */
    static final class FakeSource implements RequestStream {
        private final Deque<byte[]> reads = new ArrayDeque<>();
        private ByteBuffer buf = ByteBuffer.allocate(0);
        final List<String> sent = new ArrayList<>();
        int fills;

        FakeSource(byte[] input, int readSize) {
            for (int i = 0; i < input.length; i += readSize) {
                reads.add(Arrays.copyOfRange(input, i, Math.min(input.length, i + readSize)));
            }
        }

        @Override
        public ByteBuffer buffered() {
            return buf;
        }

        @Override
        public boolean fill() {
            fills++;
            byte[] next = reads.poll();
            if (next == null) {
                return false;
            }
            ByteBuffer b = ByteBuffer.allocate(buf.remaining() + next.length).put(buf).put(next).flip();
            buf = b;
            return true;
        }

        @Override
        public void sendInterim(byte[] bytes) {
            sent.add(new String(bytes, StandardCharsets.US_ASCII));
        }

        /** Tasks wait for {@link #runTasks}, as an engine runs them after what it does now. */
        final Deque<Runnable> tasks = new ArrayDeque<>();

        @Override
        public void execute(Runnable task) {
            tasks.add(task);
        }

        @Override
        public void fillLater(Filled then) {
            tasks.add(() -> then.filled(fill(), null));
        }

        @Override
        public <T> T awaitAnswer(java.util.concurrent.CompletionStage<T> answer) {
            runTasks();
            return answer.toCompletableFuture().join();
        }

        /** Runs the tasks given, and those they give, until none is left; how many ran. */
        int runTasks() {
            int n = 0;
            for (Runnable t; (t = tasks.poll()) != null; n++) {
                t.run();
            }
            return n;
        }
    }

    static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.US_ASCII);
    }

    static ChunkedParser chunked(long limit) {
        ChunkedParser p = new ChunkedParser(HttpConfig.defaults());
        p.reset(limit);
        return p;
    }

    private static String readAll(BodyStream in, int chunk) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] b = new byte[chunk];
        for (int n; (n = in.read(b, 0, b.length)) >= 0; ) {
            out.write(b, 0, n);
        }
        return out.toString(StandardCharsets.US_ASCII);
    }

    @Test
    void readsAChunkedBodySplitAtEveryOffsetAndInSmallReads() throws IOException {
        String wire = "5\r\nhello\r\n1;ext=1\r\n \r\n6\r\nworld!\r\n0\r\nX-Sum: 1\r\n\r\nGET /next";
        for (int readSize = 1; readSize <= wire.length(); readSize++) {
            for (int chunk = 1; chunk <= 7; chunk += 3) {
                FakeSource source = new FakeSource(ascii(wire), readSize);
                BodyStream in = new BodyStream(source, chunked(100), -1, null);
                assertThat(readAll(in, chunk)).as("reads of %d, chunk %d", readSize, chunk)
                        .isEqualTo("hello world!");
                assertThat(in.done()).isTrue();
                assertThat(in.trailers().get("X-Sum")).isEqualTo("1");
                assertThat(in.drainable()).isZero();
            }
        }
    }

    @Test
    void readsAContentLengthBodyAndLeavesWhatFollows() throws IOException {
        FakeSource source = new FakeSource(ascii("0123456789GET"), 4);
        BodyStream in = new BodyStream(source, null, 10, null);
        assertThat(readAll(in, 3)).isEqualTo("0123456789");
        // What came in the body's last read stays for the next request; nothing more was read.
        assertThat(StandardCharsets.US_ASCII.decode(source.buffered()).toString()).isEqualTo("GE");
    }

    @Test
    void sendsContinueOnTheFirstReadOnly() throws IOException {
        FakeSource source = new FakeSource(ascii("abc"), 1);
        BodyStream in = new BodyStream(source, null, 3, ascii("HTTP/1.1 100 Continue\r\n\r\n"));
        assertThat(source.sent).isEmpty();
        assertThat(in.drainable()).as("the client waits: nothing to drain").isEqualTo(-1);
        assertThat(in.read()).isEqualTo('a');
        assertThat(source.sent).containsExactly("HTTP/1.1 100 Continue\r\n\r\n");
        assertThat(in.drainable()).isEqualTo(2);
        readAll(in, 8);
        assertThat(source.sent).hasSize(1);
    }

    @Test
    void refusesAChunkedBodyThatGrowsPastTheLimit() {
        FakeSource source = new FakeSource(ascii("4\r\nabcd\r\n4\r\nefgh\r\n0\r\n\r\n"), 64);
        BodyStream in = new BodyStream(source, chunked(6), -1, null);
        assertThatThrownBy(() -> readAll(in, 64)).isInstanceOf(IOException.class);
        assertThat(in.refusal().status()).isEqualTo(413);
        assertThat(in.drainable()).isEqualTo(-1);
    }

    @Test
    void aBodyCutShortFailsAndCannotBeDrained() {
        FakeSource source = new FakeSource(ascii("abc"), 2);
        BodyStream in = new BodyStream(source, null, 10, null);
        assertThatThrownBy(() -> readAll(in, 64)).isInstanceOf(EOFException.class);
        assertThat(in.drainable()).isEqualTo(-1);
    }

    @Test
    void readsWholeOnceAndThenNotAsAStream() throws IOException {
        FakeSource source = new FakeSource(ascii("abcdef"), 4);
        BodyStream in = new BodyStream(source, null, 6, null);
        assertThat(in.whole()).isEqualTo(ascii("abcdef"));
        assertThat(in.whole()).isSameAs(in.whole());
        BodyStream partly = new BodyStream(new FakeSource(ascii("abcdef"), 4), null, 6, null);
        partly.read();
        assertThatThrownBy(partly::whole).isInstanceOf(IllegalStateException.class);
    }
}
