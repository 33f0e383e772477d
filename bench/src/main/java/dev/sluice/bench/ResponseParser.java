package dev.sluice.bench;

import java.nio.ByteBuffer;
import java.util.Locale;

/**
 * An incremental parser of one HTTP/1.1 response at a time, for {@link FixedRateClient}: fed the
 * bytes as they arrive, it says when the response is complete and whether the server will close.
 * Bodies are skipped, not kept. Framing (RFC 9112 6.3): chunked, else {@code Content-Length}, else
 * none for 1xx/204/304, else to the close. A chunked body ends at the first {@code 0\r\n\r\n}:
 * enough for benchmark servers' short bodies, not a general parser. Not thread-safe.
 */
final class ResponseParser {
    private static final String LAST_CHUNK = "0\r\n\r\n";

    private final StringBuilder head = new StringBuilder();
    private boolean inBody;
    private boolean chunked;
    private boolean toClose;
    private boolean closeAfter;
    private long remaining;
    private int status;
    private int lastChunkMatched;

    /** Forgets the previous response. */
    void reset() {
        head.setLength(0);
        inBody = chunked = toClose = closeAfter = false;
        remaining = 0;
        status = 0;
        lastChunkMatched = 0;
    }

    /**
     * Consumes {@code in} up to the end of the response; returns its status code once it is
     * complete, else 0 (feed more). A response whose body runs to the close never completes
     * here: see {@link #endsAtClose()}.
     *
     * @throws IllegalStateException if the bytes are not an HTTP/1.x response
     */
    int parse(ByteBuffer in) {
        while (in.hasRemaining()) {
            if (!inBody) {
                char ch = (char) (in.get() & 0xff);
                head.append(ch);
                int len = head.length();
                if (ch == '\n' && len >= 4 && head.charAt(len - 2) == '\r' && head.charAt(len - 3) == '\n') {
                    parseHead();
                    inBody = true;
                    if (!chunked && !toClose && remaining == 0) {
                        return status;
                    }
                }
            } else if (chunked) {
                byte b = in.get();
                lastChunkMatched = b == LAST_CHUNK.charAt(lastChunkMatched) ? lastChunkMatched + 1 : (b == '0' ? 1 : 0);
                if (lastChunkMatched == LAST_CHUNK.length()) {
                    return status;
                }
            } else {
                int take = (int) Math.min(remaining, in.remaining());
                in.position(in.position() + take);
                remaining -= take;
                if (remaining == 0 && !toClose) {
                    return status;
                }
            }
        }
        return 0;
    }

    /** The status code, once the head has been read. */
    int status() {
        return status;
    }

    /** The head has been read and the body runs to the end of the stream. */
    boolean endsAtClose() {
        return inBody && toClose;
    }

    /** The server will close after this response ({@code Connection: close}, or HTTP/1.0). */
    boolean closeAfter() {
        return closeAfter;
    }

    private void parseHead() {
        String[] lines = head.toString().split("\r\n");
        if (!lines[0].startsWith("HTTP/1.") || lines[0].length() < 12) {
            throw new IllegalStateException("not an HTTP/1.x status line: " + lines[0]);
        }
        status = Integer.parseInt(lines[0].substring(9, 12));
        boolean keepAlive = lines[0].startsWith("HTTP/1.1");
        long length = -1;
        for (int i = 1; i < lines.length; i++) {
            String l = lines[i].toLowerCase(Locale.ROOT);
            int colon = l.indexOf(':');
            if (colon < 0) {
                continue;
            }
            String value = l.substring(colon + 1).trim();
            switch (l.substring(0, colon).trim()) {
                case "content-length" -> length = Long.parseLong(value);
                case "transfer-encoding" -> chunked = value.contains("chunked");
                case "connection" ->
                        keepAlive = value.contains("keep-alive") || (keepAlive && !value.contains("close"));
                default -> { }
            }
        }
        if (!chunked) {
            if (length >= 0 || status == 204 || status == 304 || status < 200) {
                remaining = Math.max(0, length);
            } else {
                toClose = true; // RFC 9112 6.3: no length: the body runs to the close
                remaining = Long.MAX_VALUE;
                keepAlive = false;
            }
        }
        closeAfter = !keepAlive;
    }
}
