package dev.sluice.core;

import java.nio.ByteBuffer;

/**
 * The Echo protocol (RFC 862): every byte a client sends comes back to it unchanged. A message is
 * whatever arrived in one read, so there is no head and no header timeout; the idle timeout closes
 * silent clients. Runs on every engine; its handler never blocks.
 */
public final class EchoProtocol {
    private EchoProtocol() {
    }

    /** A protocol that echoes. */
    public static Protocol<ByteBuffer, ByteBuffer> create() {
        return Protocol.of(info -> new EchoCodec(), Handler.nonBlocking(request -> request));
    }

    private static final class EchoCodec implements Codec<ByteBuffer, ByteBuffer> {
        @Override
        public ByteBuffer decode(ByteBuffer in, Output out) {
            if (!in.hasRemaining()) {
                return null;
            }
            ByteBuffer copy = ByteBuffer.allocate(in.remaining());
            copy.put(in).flip();
            return copy;
        }

        @Override
        public Progress progress() {
            return Progress.BETWEEN_MESSAGES;
        }

        @Override
        public boolean encode(ByteBuffer response, Output out, boolean closing) {
            out.write(response);
            return true;
        }

        @Override
        public void encodeError(ProtocolException error, Output out) {
            // Echo has no invalid input.
        }

        @Override
        public boolean encodeFailure(Throwable failure, Output out, boolean closing) {
            return false;
        }

        @Override
        public void encodeTimeout(Output out) {
            // Echo has no head, so no header timeout.
        }
    }
}
