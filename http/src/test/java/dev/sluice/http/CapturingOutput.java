package dev.sluice.http;

import dev.sluice.core.Output;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;

/** An {@link Output} that keeps every byte, reading file transfers at once and closing the file. */
public final class CapturingOutput implements Output {
    private final ByteArrayOutputStream bytes = new ByteArrayOutputStream();
    int transfers;

    @Override
    public void write(byte[] b, int off, int len) {
        bytes.write(b, off, len);
    }

    @Override
    public void write(ByteBuffer buffer) {
        byte[] copy = new byte[buffer.remaining()];
        buffer.get(copy);
        bytes.writeBytes(copy);
    }

    @Override
    public void transfer(FileChannel file, long position, long count) {
        transfers++;
        try (file) {
            ByteBuffer buf = ByteBuffer.allocate((int) count);
            while (buf.hasRemaining() && file.read(buf, position + buf.position()) > 0) {
                // read until count bytes
            }
            bytes.write(buf.array(), 0, buf.position());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public byte[] toByteArray() {
        return bytes.toByteArray();
    }
}
