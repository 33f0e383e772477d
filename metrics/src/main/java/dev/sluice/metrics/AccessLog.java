package dev.sluice.metrics;

import dev.sluice.http.Exchange;
import dev.sluice.http.HttpObserver;
import java.io.FileDescriptor;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.InstantSource;
import java.time.ZoneId;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;

/**
 * The access log, written off the request path. {@link #onExchange} (on a connection's thread)
 * copies what a line needs into a small {@link Entry} and offers it to a bounded lock-free queue;
 * when the queue is full the entry is dropped and counted ({@link #dropped()}), so a slow disk
 * never slows a request. One daemon thread, {@code sluice-access-log}, formats the entries and
 * writes them in batches of whole lines, one write each: when a batch reaches
 * {@value #BATCH_BYTES} bytes, and every {@value #FLUSH_MILLIS} ms; {@link #close()} writes what
 * is left. So a line reaches the file within about a second, and a busy server makes about one
 * write per {@value #BATCH_BYTES} bytes of log rather than one per request.
 *
 * <p>The writer sleeps between flushes; a request wakes it only when the queue passes a quarter of
 * its capacity, so the request path pays a wake-up (a system call) once per thousands of entries
 * under load, and never when it is light.
 *
 * <p>Threads: {@link #onExchange} from any thread, never blocking; the writer thread owns the
 * sink; {@link #close()} from any thread, any number of times (the first closes).
 */
public final class AccessLog implements HttpObserver, AutoCloseable {
    private static final System.Logger LOG = System.getLogger("dev.sluice.metrics");
    /** Entries waiting for the writer before new ones are dropped. */
    static final int DEFAULT_CAPACITY = 16 * 1024;
    static final int BATCH_BYTES = 64 * 1024;
    static final long FLUSH_MILLIS = 1_000;

    /** One line's worth of an exchange, copied on the request path; formatted by the writer. */
    record Entry(long epochMillis, InetAddress remote, String method, String target, String version,
                 int status, long bytes, long durationNanos, String userAgent, String referer) {
    }

    private final OutputStream sink;
    private final boolean closeSink;
    private final AccessLogFormat format;
    private final ZoneId zone;
    private final InstantSource clock;
    private final int capacity;
    private final int wakeAt;
    private final Queue<Entry> queue = new ConcurrentLinkedQueue<>();
    private final AtomicInteger queued = new AtomicInteger();
    private final LongAdder dropped = new LongAdder();
    private final Thread writer;
    private volatile boolean running = true;
    private volatile boolean sleeping;
    private boolean closed; // under this

    /**
     * Starts the writer thread.
     *
     * @param sink where lines go; closed by {@link #close()} when {@code closeSink}
     */
    AccessLog(OutputStream sink, boolean closeSink, AccessLogFormat format, ZoneId zone,
              InstantSource clock, int capacity) {
        this.sink = sink;
        this.closeSink = closeSink;
        this.format = format;
        this.zone = zone;
        this.clock = clock;
        this.capacity = capacity;
        this.wakeAt = Math.max(1, capacity / 4);
        this.writer = Thread.ofPlatform().daemon().name("sluice-access-log").start(this::drain);
    }

    @Override
    public void onExchange(Exchange e) {
        int n = queued.incrementAndGet();
        if (!running || n > capacity) {
            queued.decrementAndGet();
            dropped.increment();
            return;
        }
        long started = clock.millis() - TimeUnit.NANOSECONDS.toMillis(e.durationNanos());
        boolean headers = format.wantsHeaders();
        queue.offer(new Entry(started, e.clientAddress().getAddress(), e.method(), e.target(),
                e.version(), e.status(), e.bodyBytes(), e.durationNanos(),
                headers ? e.userAgent() : null, headers ? e.referer() : null));
        if (n >= wakeAt && sleeping) {
            LockSupport.unpark(writer);
        }
    }

    /**
     * A log appending to {@code file} (created if missing), times in the local zone. Pass it to
     * {@code HttpProtocol.create(config, handler, log)} and close it after the server.
     *
     * @throws IOException when the file cannot be opened
     */
    public static AccessLog open(Path file, AccessLogFormat format) throws IOException {
        return new AccessLog(Files.newOutputStream(file, StandardOpenOption.CREATE,
                StandardOpenOption.APPEND, StandardOpenOption.WRITE), true, format,
                ZoneId.systemDefault(), InstantSource.system(), DEFAULT_CAPACITY);
    }

    /** A log writing to standard output (which it leaves open), times in the local zone. */
    public static AccessLog stdout(AccessLogFormat format) {
        return new AccessLog(new FileOutputStream(FileDescriptor.out), false, format,
                ZoneId.systemDefault(), InstantSource.system(), DEFAULT_CAPACITY);
    }

    /** Entries dropped because the queue was full (or the log closed). */
    public long dropped() {
        return dropped.sum();
    }

    private void drain() {
        StringBuilder line = new StringBuilder(256);
        byte[] batch = new byte[BATCH_BYTES];
        int len = 0;
        long interval = TimeUnit.MILLISECONDS.toNanos(FLUSH_MILLIS);
        long flushBy = System.nanoTime() + interval;
        boolean failing = false;
        while (true) {
            boolean stopping = !running; // read first: after it, nothing more is queued
            for (Entry e; (e = queue.poll()) != null; ) {
                queued.decrementAndGet();
                line.setLength(0);
                format.append(line, e, zone);
                line.append('\n');
                if (len + line.length() > batch.length) {
                    failing = write(batch, len, failing);
                    len = 0;
                    if (line.length() > batch.length) {
                        batch = new byte[line.length()];
                    }
                }
                for (int i = 0; i < line.length(); i++) {
                    batch[len++] = (byte) line.charAt(i); // ASCII: the formats escape the rest
                }
            }
            if (stopping || System.nanoTime() - flushBy >= 0) {
                if (len > 0) {
                    failing = write(batch, len, failing);
                    len = 0;
                }
                flushBy = System.nanoTime() + interval;
            }
            if (stopping) {
                return;
            }
            sleepUntil(flushBy);
        }
    }

    /** Parks the writer until {@code flushBy} or until enough is queued to wake it. */
    private void sleepUntil(long flushBy) {
        sleeping = true;
        if (queued.get() < wakeAt && running) { // re-checked after announcing the sleep
            LockSupport.parkNanos(this, Math.max(0, flushBy - System.nanoTime()));
        }
        sleeping = false;
    }

    /**
     * Writes and flushes {@code len} bytes of {@code batch}, whole lines; logs a failure once until
     * a write succeeds again.
     *
     * @return whether writing is failing
     */
    private boolean write(byte[] batch, int len, boolean failing) {
        try {
            sink.write(batch, 0, len);
            sink.flush();
            if (failing) {
                LOG.log(Level.INFO, "access_log_recovered");
            }
            return false;
        } catch (IOException e) {
            if (!failing) {
                LOG.log(Level.WARNING, "access_log_write_failed: {0}", e.toString());
            }
            return true;
        }
    }

    /** Stops taking entries, writes every queued one, flushes, and closes the file (not stdout). */
    @Override
    public synchronized void close() {
        if (closed) {
            return;
        }
        closed = true;
        running = false;
        LockSupport.unpark(writer);
        boolean interrupted = false;
        while (writer.isAlive()) {
            try {
                writer.join();
            } catch (InterruptedException e) {
                interrupted = true;
            }
        }
        if (closeSink) {
            try {
                sink.close();
            } catch (IOException e) {
                LOG.log(Level.WARNING, "access_log_close_failed: {0}", e.toString());
            }
        }
        if (interrupted) {
            Thread.currentThread().interrupt();
        }
    }
}
