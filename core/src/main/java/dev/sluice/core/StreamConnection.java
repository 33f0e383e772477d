package dev.sluice.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.util.function.Supplier;

/**
 * The streams a {@link ConnectionHandler} sees, over the connection's blocking channel. Each read
 * runs under the idle timeout and each write under the write timeout (a slice of at most {@value Buffering#WRITE_SLICE_BYTES} bytes
 * at a time, so a slow but steady reader is not cut): when one fires, the call throws a
 * {@link java.net.SocketTimeoutException} naming it.
 */
final class StreamConnection implements Connection {
    private final Server server;
    private final ConnectionState c;
    private final Supplier<IOException> terminated;
    private final long idleNanos;
    private final long writeNanos;
    private final InputStream input = new In();
    private final OutputStream output = new Out();

    StreamConnection(Server server, ConnectionState c, Supplier<IOException> terminated) {
        this.server = server;
        this.c = c;
        this.terminated = terminated;
        this.idleNanos = server.config().idleTimeout().toNanos();
        this.writeNanos = server.config().writeTimeout().toNanos();
    }

    @Override
    public ConnectionInfo info() {
        return c.info;
    }

    @Override
    public InputStream input() {
        return input;
    }

    @Override
    public OutputStream output() {
        return output;
    }

    @Override
    public boolean closing() {
        return server.isClosing();
    }

    private void enter(int phase, long timeoutNanos) throws IOException {
        if (!c.move(phase, timeoutNanos, System.nanoTime())) {
            throw terminated.get();
        }
    }

    private void leave() throws IOException {
        c.deadline = Long.MAX_VALUE;
        if (!c.move(ConnectionState.BUSY)) {
            throw terminated.get();
        }
    }

    private IOException failure(IOException e) {
        return c.terminalReason() != null ? terminated.get() : e;
    }

    private final class In extends InputStream {
        @Override
        public int read() throws IOException {
            byte[] one = new byte[1];
            int n = read(one, 0, 1);
            return n < 0 ? -1 : one[0] & 0xff;
        }

        @Override
        public int read(byte[] b, int off, int len) throws IOException {
            if (len == 0) {
                return 0;
            }
            enter(ConnectionState.BODY, idleNanos);
            int n;
            try {
                n = c.channel.read(ByteBuffer.wrap(b, off, len));
            } catch (IOException e) {
                throw failure(e);
            }
            if (n < 0 && c.terminalReason() != null) {
                throw terminated.get();
            }
            leave();
            if (n > 0) {
                server.stats().addBytesIn(n);
            }
            return n;
        }
    }

    private final class Out extends OutputStream {
        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            ByteBuffer buf = ByteBuffer.wrap(b, off, len);
            try {
                while (buf.hasRemaining()) {
                    enter(ConnectionState.WRITING, writeNanos);
                    int limit = buf.limit();
                    buf.limit(Math.min(limit, buf.position() + Buffering.WRITE_SLICE_BYTES));
                    int n = c.channel.write(buf);
                    buf.limit(limit);
                    server.stats().addBytesOut(n);
                }
            } catch (IOException e) {
                throw failure(e);
            }
            leave();
        }
    }
}
