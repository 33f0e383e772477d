package dev.sluice.core;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The streams a {@link ConnectionHandler} sees, over the connection's blocking channel. Each read
 * runs under the idle timeout and each write under the write timeout (a slice of at most
 * {@value Buffering#WRITE_SLICE_BYTES} bytes at a time, so a slow but steady reader is not cut): when
 * one fires, the call throws a
 * {@link java.net.SocketTimeoutException} naming it.
 */
final class StreamConnection implements Connection {
    private final EngineContext context;
    private final ConnectionState c;
    private final Stats stats;
    private final InputStream input = new In();
    private final OutputStream output = new Out();

    private StreamConnection(EngineContext context, ConnectionState c) {
        this.context = context;
        this.c = c;
        this.stats = context.stats;
    }

    /** Runs the server's {@link ConnectionHandler} on {@code c}, on the calling thread. */
    static CloseReason serve(EngineContext context, ConnectionState c) throws IOException {
        if (c.tls != null) {
            c.tls.handshake(); // under the handshake deadline set at the accept
        }
        if (!c.toBusy()) {
            return c.terminalReason();
        }
        context.rawHandler.handle(new StreamConnection(context, c));
        return CloseReason.NORMAL;
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
        return context.draining();
    }

    private void entered(boolean moved) throws IOException {
        if (!moved) {
            throw HandlerWait.cut(c);
        }
    }

    private IOException failure(IOException e) {
        return c.terminalReason() != null ? HandlerWait.cut(c) : e;
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
            entered(c.toStreamRead(System.nanoTime()));
            int n;
            try {
                n = c.read(ByteBuffer.wrap(b, off, len));
            } catch (IOException e) {
                throw failure(e);
            }
            if (n < 0 && c.terminalReason() != null) {
                throw HandlerWait.cut(c);
            }
            entered(c.toBusy());
            if (n > 0) {
                stats.addBytesIn(n);
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
                    entered(c.toStreamWrite(System.nanoTime()));
                    int limit = buf.limit();
                    buf.limit(Math.min(limit, buf.position() + Buffering.WRITE_SLICE_BYTES));
                    int n = c.tls == null ? c.channel.write(buf) : c.tls.write(buf);
                    buf.limit(limit);
                    stats.addBytesOut(n);
                }
            } catch (IOException e) {
                throw failure(e);
            }
            entered(c.toBusy());
        }
    }
}
