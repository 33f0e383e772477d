package dev.sluice.core;

import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

/**
 * One tick of deadline checking over {@code connections} open connections, none of them expired
 * (the common case: the cost a tick adds to a busy server). {@code timer}: the blocking engines'
 * {@link Timer#sweep}, over the server's concurrent set of connections. {@code eventLoop}: an
 * event loop's {@link EventLoop#sweep}, over the array of the connections it owns. Lives in the
 * core's package to reach both; no sockets are opened (the loop's selector is, and never used).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:ActiveProcessorCount=1"})
public class DeadlineSweepBenchmark {
    @Param({"1000", "10000"})
    public int connections;

    private EngineContext context;
    private Timer timer;
    private EventLoop loop;
    private long now;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        ServerConfig config = ServerConfig.defaults().withPort(0).withIdleTimeout(Duration.ofMinutes(1));
        context = new EngineContext(config, new Stats(), EchoProtocol.create(), null, null);
        timer = new Timer(context, System::nanoTime);
        loop = new EventLoop(context, 0);
        now = System.nanoTime();
        InetSocketAddress peer = new InetSocketAddress("127.0.0.1", 40000);
        for (int i = 0; i < connections; i++) {
            ConnectionState c = new ConnectionState(new ConnectionInfo(i, peer, peer), null, context.timeouts);
            // Idle deadlines spread over the next minute, as keep-alive clients leave them.
            c.move(ConnectionState.IDLE, Duration.ofSeconds(1 + i % 60).toNanos(), now);
            context.connections.add(c);
            loop.adopt(new LoopConnection<>(c, loop, context.protocol));
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        loop.stop();
    }

    @Benchmark
    public void timer() {
        timer.sweep(now);
    }

    @Benchmark
    public void eventLoop() {
        loop.sweep(now);
    }
}
