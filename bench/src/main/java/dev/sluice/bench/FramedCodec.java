package dev.sluice.bench;

import dev.sluice.core.Codec;
import dev.sluice.core.Output;
import dev.sluice.core.ProtocolException;
import java.nio.ByteBuffer;

/**
 * A length-framed request/response codec for benchmarks: a message is a 4-byte big-endian length
 * and that many bytes; the response is framed the same way. A frame over
 * {@value #MAX_FRAME_BYTES} bytes is a protocol error and ends the connection without an answer.
 * Unlike echo, a request is a whole frame however the bytes arrive, so a handler sees exactly one
 * request per client send.
 */
final class FramedCodec implements Codec<ByteBuffer, ByteBuffer> {
    static final int MAX_FRAME_BYTES = 1 << 20;

    private boolean partial;

    @Override
    public ByteBuffer decode(ByteBuffer in, Output out) throws ProtocolException {
        if (in.remaining() < 4) {
            partial = in.hasRemaining();
            return null;
        }
        int len = in.getInt(in.position());
        if (len < 0 || len > MAX_FRAME_BYTES) {
            throw new ProtocolException(1, "frame length out of range");
        }
        if (in.remaining() < 4 + len) {
            partial = true;
            return null;
        }
        int start = in.position() + 4;
        ByteBuffer body = ByteBuffer.allocate(len).put(in.slice(start, len)).flip();
        in.position(start + len);
        partial = in.hasRemaining();
        return body;
    }

    @Override
    public Progress progress() {
        return partial ? Progress.IN_HEAD : Progress.BETWEEN_MESSAGES;
    }

    @Override
    public boolean encode(ByteBuffer response, Output out, boolean closing) {
        ByteBuffer frame = ByteBuffer.allocate(4 + response.remaining());
        frame.putInt(response.remaining()).put(response).flip();
        out.write(frame);
        return true;
    }

    @Override
    public void encodeError(ProtocolException error, Output out) {
        // No error frame: the connection just closes.
    }

    @Override
    public boolean encodeFailure(Throwable failure, Output out, boolean closing) {
        return false;
    }

    @Override
    public void encodeTimeout(Output out) {
        // No timeout frame: the connection just closes.
    }
}
