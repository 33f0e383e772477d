package dev.sluice.core;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.GatheringByteChannel;
import java.nio.channels.SocketChannel;
import java.util.ArrayDeque;
import java.util.function.LongConsumer;

/**
 * The bytes encoded for one connection and not yet written, in order. Writes are copied into one
 * reusable chunk (grown when a response needs it) and file regions are queued as they are, so a
 * batch of pipelined responses goes out in one write. Used by one thread at a time.
 */
final class OutboundBuffer implements Output {
    private static final int CHUNK_BYTES = BufferPool.CHUNK_BYTES;
    /** A chunk grown past this for one large response is dropped once written, not kept. */
    private static final int MAX_KEPT_BYTES = 64 * 1024;
    private static final int MAX_GATHER = 16;

    /** Segments in write order: ByteBuffer (read mode) or FileRegion. */
    private final ArrayDeque<Object> queue = new ArrayDeque<>();
    /** The chunk small writes are copied into, in write mode; null until needed. */
    private ByteBuffer chunk;
    /** The chunk, once sealed into the queue, so it can be reused when written. */
    private ByteBuffer sealed;
    private final ByteBuffer[] gather = new ByteBuffer[MAX_GATHER];
    /** Set by a write that found the socket full (non-blocking): {@link #writeTo} stops there. */
    private boolean full;
    /** Where chunks come from and go back to once written; null: this buffer keeps its own. */
    private final BufferPool pool;

    /** A buffer that keeps its chunk (an event loop's, reused for every connection it serves). */
    OutboundBuffer() {
        this(null);
    }

    /** A connection's buffer: it borrows a chunk from {@code pool} only while it has bytes to send. */
    OutboundBuffer(BufferPool pool) {
        this.pool = pool;
    }

    /**
     * A queued file's weight in {@link #backlog()}: {@value Buffering#MAX_BUFFERED_OUT_BYTES} bytes of
     * backlog holds at most 16 open files.
     */
    static final int FILE_WEIGHT = 16 * 1024;

    /** A body still to be made, for the engine to run; null when none. */
    private BodyProducer producer;

    private record FileRegion(FileChannel file, long end, long[] position) {
    }

    @Override
    public void write(byte[] bytes, int off, int len) {
        ensureChunk(len).put(bytes, off, len);
    }

    @Override
    public void write(ByteBuffer buffer) {
        int len = buffer.remaining();
        if (len > 0) {
            ensureChunk(len).put(buffer);
        }
    }

    @Override
    public void transfer(FileChannel file, long position, long count) {
        seal();
        queue.add(new FileRegion(file, position + count, new long[] {position}));
    }

    /** Kept for the engine, which runs it once what is queued before it is sent ({@link #takeProducer}). */
    @Override
    public void produce(BodyProducer p) {
        if (producer != null) {
            throw new IllegalStateException("a body producer is already waiting");
        }
        producer = p;
    }

    /** The producer that ends the response encoded last, handed to the engine; null when none. */
    BodyProducer takeProducer() {
        BodyProducer p = producer;
        producer = null;
        return p;
    }

    private ByteBuffer ensureChunk(int len) {
        if (chunk == null) {
            // Reuse the last chunk once it is written, unless a large response grew it.
            boolean reuse = sealed != null && queue.isEmpty() && sealed.capacity() <= MAX_KEPT_BYTES;
            chunk = reuse ? sealed.clear()
                    : pool != null && len <= CHUNK_BYTES ? pool.take()
                    : ByteBuffer.allocateDirect(Math.max(CHUNK_BYTES, len));
            sealed = null;
        }
        if (chunk.remaining() < len) {
            ByteBuffer bigger = ByteBuffer.allocateDirect(Math.max(chunk.capacity() * 2, chunk.position() + len));
            bigger.put(chunk.flip());
            chunk = bigger;
        }
        return chunk;
    }

    /** Moves the chunk into the queue, so what is appended next goes after it. */
    private void seal() {
        if (chunk != null && chunk.position() > 0) {
            chunk.flip();
            queue.add(chunk);
            sealed = chunk;
            chunk = null;
        }
    }

    boolean isEmpty() {
        return queue.isEmpty() && (chunk == null || chunk.position() == 0);
    }

    /**
     * What waits to be written, as pipelining's back-pressure counts it: the bytes held in memory,
     * plus {@value #FILE_WEIGHT} for each queued file region, whose open file is the scarcer
     * resource (a client pipelining small-file requests it does not read would otherwise hold a
     * descriptor per request).
     */
    long backlog() {
        long n = chunk == null ? 0 : chunk.position();
        for (Object o : queue) {
            n += o instanceof ByteBuffer b ? b.remaining() : FILE_WEIGHT;
        }
        return n;
    }

    /**
     * Writes what the channel takes without blocking (non-blocking mode), or everything, a slice
     * at a time so that {@code progress}, told the bytes of each write, can restart the write
     * deadline (blocking mode).
     *
     * @return bytes written
     */
    long writeTo(SocketChannel ch, LongConsumer progress) throws IOException {
        return writeTo(ch, ch.isBlocking(), progress);
    }

    /**
     * As {@link #writeTo(SocketChannel, LongConsumer)}, to the connection's protocol side: through
     * TLS when it has it. In non-blocking mode TLS may hold the last records of what this buffer
     * gave it ({@link TlsChannel#hasPendingOutput}): the caller waits to write those too.
     */
    long writeTo(ConnectionState c, LongConsumer progress) throws IOException {
        if (c.tls == null) {
            return writeTo(c.channel, progress);
        }
        boolean blocking = c.channel.isBlocking();
        if (!c.tls.flushNet()) {
            full = true;
            return 0;
        }
        return writeTo(c.tls, blocking, progress);
    }

    private long writeTo(GatheringByteChannel ch, boolean blocking, LongConsumer progress) throws IOException {
        seal();
        long total = 0;
        full = false;
        while (!queue.isEmpty()) {
            long n = queue.peek() instanceof FileRegion f ? writeFile(f, ch, blocking) : writeBuffers(ch, blocking);
            total += n;
            if (full) {
                return total;
            }
            if (blocking && n > 0) {
                progress.accept(n);
            }
        }
        giveBack();
        return total;
    }

    /** Sends the file region at the head; sets {@link #full} when the socket takes no more now. */
    private long writeFile(FileRegion f, GatheringByteChannel ch, boolean blocking) throws IOException {
        long count = f.end - f.position[0];
        long n = ch instanceof TlsChannel tls ? writeFileSlice(f, tls, count)
                : f.file.transferTo(f.position[0], blocking ? Math.min(count, 1 << 20) : count, ch);
        if (n == 0 && blocking && !(ch instanceof TlsChannel) && f.file.size() > f.position[0]) {
            // On a virtual thread a blocking socket is non-blocking underneath, and
            // transferTo answers 0 when the socket buffer is full instead of waiting: an
            // ordinary blocking write parks until the client reads or the write timeout
            // closes the channel, where calling transferTo again would spin.
            n = copySlice(f, ch, count);
        }
        f.position[0] += n;
        if (f.position[0] >= f.end) {
            queue.poll();
            Quietly.close(f.file);
        } else if (n == 0) {
            if (f.file.size() <= f.position[0]) {
                // The file shrank while it was being sent: the promised length cannot be kept.
                throw new IOException("file shrank to " + f.file.size() + " bytes while being sent");
            }
            full = !blocking;
        }
        return n;
    }

    /** Writes the buffers at the head; sets {@link #full} when the socket takes no more now. */
    private long writeBuffers(GatheringByteChannel ch, boolean blocking) throws IOException {
        int k = 0;
        for (Object o : queue) {
            if (!(o instanceof ByteBuffer b) || k == MAX_GATHER) {
                break;
            }
            gather[k++] = b;
        }
        // One buffer (the usual case: a batch encoded into one chunk) is a plain write: the
        // JDK's gathering write looks up a thread-local iovec array and calls writev.
        long n = blocking ? writeSlice(ch, gather[0]) : k == 1 ? ch.write(gather[0]) : ch.write(gather, 0, k);
        while (!queue.isEmpty() && queue.peek() instanceof ByteBuffer b && !b.hasRemaining()) {
            queue.poll();
        }
        java.util.Arrays.fill(gather, 0, k, null);
        full = !blocking && !queue.isEmpty() && queue.peek() instanceof ByteBuffer b && b.hasRemaining();
        return n;
    }

    /** Everything is written: a pooled buffer returns its chunk, so an idle connection holds none. */
    private void giveBack() {
        if (pool == null) {
            return;
        }
        if (sealed != null) {
            pool.give(sealed);
            sealed = null;
        }
        if (chunk != null && chunk.position() == 0) {
            pool.give(chunk);
            chunk = null;
        }
    }

    /**
     * Reads up to 64 KiB of {@code f} at its position and writes what TLS takes: four full records,
     * one system call. Not {@link FileChannel#transferTo}, which hands a channel of another kind
     * 8 KiB at a time: a record of half the size and a system call for each.
     */
    private static long writeFileSlice(FileRegion f, TlsChannel tls, long count) throws IOException {
        ByteBuffer b = tls.pools.fileSlices().take();
        try {
            b.limit((int) Math.min(count, b.capacity()));
            return f.file.read(b, f.position[0]) <= 0 ? 0 : tls.write(b.flip());
        } finally {
            tls.pools.fileSlices().give(b);
        }
    }

    /** Reads up to 64 KiB of {@code f} at its position and writes them with a blocking write. */
    private static long copySlice(FileRegion f, GatheringByteChannel ch, long count) throws IOException {
        ByteBuffer b = ByteBuffer.allocate((int) Math.min(count, 64 << 10));
        int read = f.file.read(b, f.position[0]);
        if (read <= 0) {
            return 0;
        }
        b.flip();
        long n = 0;
        while (b.hasRemaining()) {
            n += ch.write(b);
        }
        return n;
    }

    /**
     * One blocking write of at most {@value Buffering#WRITE_SLICE_BYTES} bytes, so a slow reader shows
     * progress slice by slice.
     */
    private static int writeSlice(GatheringByteChannel ch, ByteBuffer b) throws IOException {
        int limit = b.limit();
        b.limit(Math.min(limit, b.position() + Buffering.WRITE_SLICE_BYTES));
        try {
            return ch.write(b);
        } finally {
            b.limit(limit);
        }
    }

    /** Drops everything queued and closes queued files (the connection is closing). */
    void release() {
        for (Object o : queue) {
            if (o instanceof FileRegion f) {
                Quietly.close(f.file);
            }
        }
        queue.clear();
        if (producer != null) {
            takeProducer().abandon();
        }
        if (chunk != null) {
            chunk.clear();
        }
        giveBack();
        chunk = null;
        sealed = null;
    }

    /** Moves this buffer's unwritten bytes to the end of {@code target}. */
    void moveTo(OutboundBuffer target) {
        seal();
        while (!queue.isEmpty()) {
            Object o = queue.poll();
            if (o == sealed) {
                ByteBuffer copy = ByteBuffer.allocate(sealed.remaining());
                copy.put(sealed).flip();
                target.seal();
                target.queue.add(copy);
            } else if (o instanceof ByteBuffer b) {
                target.seal();
                target.queue.add(b);
            } else {
                target.seal();
                target.queue.add(o);
            }
        }
        if (sealed != null) {
            // Keep the chunk for the next response, unless one large response grew it.
            chunk = sealed.capacity() <= MAX_KEPT_BYTES ? sealed.clear() : null;
            sealed = null;
        }
    }

}
