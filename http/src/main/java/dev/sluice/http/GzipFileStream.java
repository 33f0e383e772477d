package dev.sluice.http;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.CRC32;
import java.util.zip.CheckedInputStream;
import java.util.zip.Deflater;
import java.util.zip.DeflaterInputStream;

/**
 * A file read as gzip (RFC 1952), compressed as it is read: the body of an on-the-fly compressed
 * response. Nothing is opened until the first read, so a response that is never sent (HEAD, a
 * failed connection) holds no file and no {@link Deflater}; {@link #close} releases both. Memory
 * is the deflater's window and one buffer, whatever the file's size.
 */
final class GzipFileStream extends InputStream {
    /** Magic, deflate, no flags, no time, no extra flags, OS unknown. */
    private static final byte[] HEADER = {0x1f, (byte) 0x8b, 8, 0, 0, 0, 0, 0, 0, (byte) 0xff};
    /** Fast and still good on text: nginx's and Caddy's default is near it. */
    static final int LEVEL = 5;

    private final Path file;
    private InputStream file0;
    private Deflater deflater;
    private InputStream body;
    private final CRC32 crc = new CRC32();
    private int stage;

    GzipFileStream(Path file) {
        this.file = file;
    }

    @Override
    public int read() throws IOException {
        byte[] one = new byte[1];
        int n = read(one, 0, 1);
        return n < 0 ? -1 : one[0] & 0xFF;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
        while (true) {
            if (body == null) {
                body = next();
                if (body == null) {
                    return -1;
                }
            }
            int n = body.read(b, off, len);
            if (n >= 0) {
                return n;
            }
            body = null;
        }
    }

    /** The header, then the compressed file, then the trailer; null when all are read. */
    private InputStream next() throws IOException {
        switch (stage++) {
            case 0 -> {
                return new ByteArrayInputStream(HEADER);
            }
            case 1 -> {
                file0 = Files.newInputStream(file);
                deflater = new Deflater(LEVEL, true);
                return new DeflaterInputStream(new CheckedInputStream(file0, crc), deflater, 16 * 1024);
            }
            case 2 -> {
                long c = crc.getValue();
                long size = deflater.getBytesRead();
                byte[] trailer = new byte[8];
                for (int i = 0; i < 4; i++) {
                    trailer[i] = (byte) (c >>> (8 * i));
                    trailer[4 + i] = (byte) (size >>> (8 * i));
                }
                return new ByteArrayInputStream(trailer);
            }
            default -> {
                return null;
            }
        }
    }

    @Override
    public void close() throws IOException {
        stage = 3;
        body = null;
        if (deflater != null) {
            deflater.end();
        }
        if (file0 != null) {
            file0.close();
        }
    }
}
