package dev.sluice.bench;

import java.io.BufferedInputStream;
import java.io.FilterInputStream;
import java.io.IOException;
import java.net.Socket;

/**
 * Counts the bytes read, to tell a connection that died before its answer from one that died in it
 * ({@link SoakClients#keepAlive}).
 */
final class CountingInput extends FilterInputStream {
    /** The connection read from. */
    final Socket socket;
    long count;

    CountingInput(Socket socket) throws IOException {
        super(new BufferedInputStream(socket.getInputStream(), 64 * 1024));
        this.socket = socket;
    }

    @Override
    public int read() throws IOException {
        int b = super.read();
        if (b >= 0) {
            count++;
        }
        return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        int n = super.read(b, off, len);
        if (n > 0) {
            count += n;
        }
        return n;
    }
}
