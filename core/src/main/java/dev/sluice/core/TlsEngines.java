package dev.sluice.core;

import java.nio.ByteBuffer;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLException;

/** What the transport does with a TLS provider's {@link SSLEngine} beyond the handshake and the records. */
final class TlsEngines {
    private static final String JDK_ENGINES = "sun.security.ssl.";
    private static final int FOUR_RECORDS = 4 * TlsChannel.BUFFERS_BYTES; // a file's records: four to a write
    private static final int FILE_SLICE = 64 * 1024; // four records' worth of a file
    private static final Pools HEAP = new Pools(TlsChannel.BUFFERS, new BufferPool(64, FOUR_RECORDS, false),
            new BufferPool(64, FILE_SLICE, false));
    private static final Pools DIRECT = new Pools(new BufferPool(256, TlsChannel.BUFFERS_BYTES, true),
            new BufferPool(64, FOUR_RECORDS, true), new BufferPool(64, FILE_SLICE, true));

    private TlsEngines() {
    }

    /** Whether {@code engine} is the JDK's own, which hands its handshake's costly steps out as delegated tasks. */
    static boolean isJdks(SSLEngine engine) {
        return engine.getClass().getName().startsWith(JDK_ENGINES);
    }

    /**
     * Where a TLS connection writes its records out ({@code recordOut}: one record; {@code
     * recordsOut}: four, a file's) and reads a file's slices into.
     */
    record Pools(BufferPool recordOut, BufferPool recordsOut, BufferPool fileSlices) {
    }

    /**
     * {@code engine}'s pools: direct buffers for an engine in native code (Conscrypt, tcnative),
     * which reads a file's slice and encrypts into a record with no copy, and whose records the
     * socket writes as they are, where a heap buffer costs a copy on each side; heap buffers for the
     * JDK's, which works on arrays.
     */
    static Pools pools(SSLEngine engine) {
        return isJdks(engine) ? HEAP : DIRECT;
    }

    /**
     * Whether {@code netIn} (write mode) starts with a whole handshake record in clear: in TLS 1.3 the
     * ClientHello alone, whose answer costs the key exchange and the signature; in TLS 1.2 also the
     * key exchange and Finished. An unwrap of it will not ask for more bytes.
     */
    static boolean wholeHandshakeRecord(ByteBuffer netIn) {
        int header = TlsChannel.RECORD_HEADER; // type, version, length
        return netIn != null && netIn.position() >= header && netIn.get(0) == TlsChannel.HANDSHAKE_RECORD
                && netIn.position() >= header + (netIn.getShort(3) & 0xffff);
    }

    /**
     * Closes {@code engine} both ways once its connection has closed, so that it frees what it holds
     * now, not when it is collected: Conscrypt keeps a native session and a pipe (two descriptors)
     * per engine until then, and a server that makes connections faster than its heap fills would
     * run out of descriptors. Conscrypt counts its outbound side done only once the close_notify it
     * queues has been wrapped: that record is wrapped and dropped, the socket being closed. Not the
     * JDK's engine: it holds nothing native, and closing its inbound side before the client's
     * close_notify is a fatal error that invalidates the session, which would end resumption by
     * session id.
     */
    static void release(SSLEngine engine) {
        if (isJdks(engine)) {
            return;
        }
        engine.closeOutbound();
        ByteBuffer sink = TlsChannel.BUFFERS.take();
        try {
            for (int i = 0; i < 4 && !engine.isOutboundDone(); i++) {
                sink.clear();
                engine.wrap(TlsChannel.EMPTY, sink);
            }
        } catch (SSLException | RuntimeException e) {
            // The engine is past use: it frees itself when both ways are closed, or when collected.
        } finally {
            TlsChannel.BUFFERS.give(sink);
        }
        try {
            engine.closeInbound();
        } catch (SSLException e) {
            // No close_notify came first: the connection is closed either way.
        }
    }
}
