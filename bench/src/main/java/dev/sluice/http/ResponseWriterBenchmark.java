package dev.sluice.http;

import dev.sluice.core.Output;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The response writer on one core, without sockets: the plaintext answer ({@code 200},
 * {@code Date}, {@code Server}, {@code Content-Type}, {@code Content-Length}, 13 bytes of body)
 * encoded into a reused buffer, as an event loop encodes into its scratch buffer before the one
 * write of a read batch. {@code single}: one response; {@code pipelined16}: the 16 answers to one
 * read of 16 pipelined requests. Lives in the http package to reach the package-private writer.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:ActiveProcessorCount=1"})
public class ResponseWriterBenchmark {
    private final HttpResponse hello = HttpResponse.ok("Hello, World!");
    private ResponseWriter writer;
    private final Sink sink = new Sink();

    /** An Output that copies into one reused array, as the loop's scratch chunk does. */
    static final class Sink implements Output {
        final byte[] bytes = new byte[64 * 1024];
        int len;

        @Override
        public void write(byte[] b, int off, int n) {
            System.arraycopy(b, off, bytes, len, n);
            len += n;
        }

        @Override
        public void write(ByteBuffer buffer) {
            int n = buffer.remaining();
            buffer.get(bytes, len, n);
            len += n;
        }

        @Override
        public void transfer(FileChannel file, long position, long count) {
            throw new UnsupportedOperationException();
        }
    }

    @Setup
    public void setUp() {
        writer = new ResponseWriter(DateCache.SYSTEM, HttpConfig.defaults().serverLine(), 1);
    }

    @Benchmark
    public int single() {
        sink.len = 0;
        writer.write(hello, RequestShape.FULL_1_1, Persistence.KEEP_ALIVE, sink);
        return sink.len;
    }

    @Benchmark
    public int pipelined16() {
        sink.len = 0;
        for (int i = 0; i < 16; i++) {
            writer.write(hello, RequestShape.FULL_1_1, Persistence.KEEP_ALIVE, sink);
        }
        return sink.len;
    }
}
