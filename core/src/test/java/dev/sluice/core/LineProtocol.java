package dev.sluice.core;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;

/**
 * A test protocol: a request is one line ending in LF, its "head" is the line itself. The handler
 * answers with a String (sent with a trailing LF) or a ByteBuffer (sent as is); the answer
 * {@code "CLOSE"} closes the connection; the answer {@code "EXPLODE"} makes {@code encode} throw. Timeouts answer {@code TIMEOUT}, rejections {@code BUSY}.
 * A line {@code BODY n} is followed by a body of {@code n} bytes, and the request is
 * {@code "BODY n"} once the body is read whole; an overrun handler is answered {@code UNAVAILABLE}.
 */
final class LineProtocol {
    static final int MAX_LINE = 64 * 1024;

    private LineProtocol() {
    }

    /** An answer that sends {@code count} bytes of {@code file}, which may promise more than it holds. */
    record FileSlice(java.nio.file.Path file, long count) {
    }

    static Protocol<String, Object> create(Handler<String, Object> handler) {
        return Protocol.of(info -> new LineCodec(), handler)
                .withRejection("BUSY\n".getBytes(StandardCharsets.US_ASCII));
    }

    static final class LineCodec implements Codec<String, Object> {
        private final ByteArrayOutputStream line = new ByteArrayOutputStream();
        private String bodyOf;
        private long bodyLeft;

        @Override
        public String decode(ByteBuffer in, Output out) throws ProtocolException {
            while (in.hasRemaining()) {
                if (bodyOf != null) {
                    int skip = (int) Math.min(bodyLeft, in.remaining());
                    in.position(in.position() + skip);
                    bodyLeft -= skip;
                    if (bodyLeft > 0) {
                        return null;
                    }
                    String s = bodyOf;
                    bodyOf = null;
                    return s;
                }
                byte b = in.get();
                if (b == '\n') {
                    String s = line.toString(StandardCharsets.UTF_8);
                    line.reset();
                    if (s.startsWith("BODY ")) {
                        bodyOf = s;
                        bodyLeft = Long.parseLong(s.substring(5));
                        continue;
                    }
                    return s;
                }
                if (line.size() == MAX_LINE) {
                    throw new ProtocolException(400, "line too long");
                }
                line.write(b);
            }
            return null;
        }

        @Override
        public Progress progress() {
            return bodyOf != null ? Progress.IN_BODY
                    : line.size() > 0 ? Progress.IN_HEAD : Progress.BETWEEN_MESSAGES;
        }

        @Override
        public boolean encode(Object response, Output out, boolean closing) {
            if ("EXPLODE".equals(response)) {
                throw new IllegalStateException("a codec bug, on purpose");
            }
            if (response instanceof ByteBuffer b) {
                out.write(b);
                return true;
            }
            if (response instanceof FileSlice f) {
                try {
                    out.transfer(java.nio.channels.FileChannel.open(f.file()), 0, f.count());
                } catch (java.io.IOException e) {
                    throw new java.io.UncheckedIOException(e);
                }
                return true;
            }
            out.write((response + "\n").getBytes(StandardCharsets.UTF_8));
            return !"CLOSE".equals(response);
        }

        @Override
        public void encodeError(ProtocolException error, Output out) {
            out.write(("ERROR " + error.code() + "\n").getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public boolean encodeFailure(Throwable failure, Output out, boolean closing) {
            out.write("FAILED\n".getBytes(StandardCharsets.US_ASCII));
            return true;
        }

        @Override
        public void encodeTimeout(Output out) {
            out.write("TIMEOUT\n".getBytes(StandardCharsets.US_ASCII));
        }

        @Override
        public void encodeRequestTimeout(Output out) {
            out.write("UNAVAILABLE\n".getBytes(StandardCharsets.US_ASCII));
        }
    }
}
