package dev.sluice.http;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * A response: a status, header fields, and a body of bytes, a stream, a file or a region of one.
 * Immutable: each {@code with} method returns a new response, so a bytes response can be built
 * once and returned many times. A stream response is single-use.
 *
 * <p>The codec frames the body itself: {@code Content-Length} for bytes and files,
 * {@code Transfer-Encoding: chunked} for a stream to an HTTP/1.1 client (an HTTP/1.0 client gets
 * the stream read whole and a {@code Content-Length}). So those two fields cannot be set here; nor
 * can {@code Connection} be forced open: a {@code Connection: close} set here closes the connection
 * after this response. A {@code Date} set here replaces the server's. Responses to HEAD, and
 * 204 and 304 responses, are sent without a body.
 *
 * <pre>{@code
 * HttpResponse.ok("hello\n");
 * HttpResponse.status(201).withHeader("Location", "/items/7");
 * HttpResponse.status(200).withHeader("Content-Type", "image/png").withFile(Path.of("logo.png"));
 * }</pre>
 *
 * <p>A file server needs nothing more: {@link #withFile(Path, long, long)} sends one range of a
 * file, {@link #withSegments} a {@code multipart/byteranges} body of several ({@code StaticFiles}
 * is built on these alone).
 */
public final class HttpResponse {
    private static final String[] NO_HEADERS = {};
    private static final byte[] NO_BODY = {};
    private static final String TEXT_PLAIN = "text/plain; charset=utf-8";

    private final int status;
    /** Name, value, name, value... */
    private final String[] headers;
    private final byte[] body;
    private final InputStream stream;
    private final Path file;
    /** A body of file regions and bytes, sent in order; null unless set. */
    private final BodySegment[] segments;
    /**
     * The header fields as the writer sends them, made on first use, so a response built once and
     * returned for every request (as {@code sluice respond}'s) is encoded once. A racy cache: two
     * threads may both make it, and its final fields make any thread see it whole.
     */
    private EncodedFields encoded;

    /**
     * The fields less {@code Connection} (the codec decides it), one {@code Name: value\r\n} line
     * each in order, and whether {@code Date} and {@code Server} were among them.
     */
    record EncodedFields(byte[] lines, boolean hasDate, boolean hasServer) {
    }

    private HttpResponse(int status, String[] headers, byte[] body, InputStream stream, Path file,
                         BodySegment[] segments) {
        this.status = status;
        this.headers = headers;
        this.body = body;
        this.stream = stream;
        this.file = file;
        this.segments = segments;
    }

    /**
     * A response with {@code status} and no body.
     *
     * @throws IllegalArgumentException unless {@code 200 <= status <= 999} (interim 1xx responses are the
     *     codec's business)
     */
    public static HttpResponse status(int status) {
        if (status < 200 || status > 999) {
            throw new IllegalArgumentException("status must be in 200..999, got " + status);
        }
        return new HttpResponse(status, NO_HEADERS, NO_BODY, null, null, null);
    }

    /** 200 with {@code text} as a UTF-8 {@code text/plain} body. */
    public static HttpResponse ok(String text) {
        return text(200, text);
    }

    /** {@code status} with {@code text} as a UTF-8 {@code text/plain} body. */
    public static HttpResponse text(int status, String text) {
        return status(status).withHeader("Content-Type", TEXT_PLAIN).withBody(text);
    }

    /** This response with another status; same rules as {@link #status(int)}. */
    public HttpResponse withStatus(int status) {
        return new HttpResponse(status(status).status, headers, body, stream, file, segments);
    }

    /**
     * This response with {@code name} set to {@code value}, replacing every field of that name
     * (ignoring case).
     *
     * @throws IllegalArgumentException if the name is not a token, the value holds CR, LF, NUL or
     *     another control character or a character above U+00FF, or the name is
     *     {@code Content-Length} or {@code Transfer-Encoding}
     */
    public HttpResponse withHeader(String name, String value) {
        check(name, value);
        String[] kept = new String[headers.length + 2];
        int n = 0;
        for (int i = 0; i < headers.length; i += 2) {
            if (!headers[i].equalsIgnoreCase(name)) {
                kept[n++] = headers[i];
                kept[n++] = headers[i + 1];
            }
        }
        kept[n++] = name;
        kept[n++] = value;
        return new HttpResponse(status, Arrays.copyOf(kept, n), body, stream, file, segments);
    }

    /** This response with one more {@code name: value} field (for {@code Set-Cookie}, say). */
    public HttpResponse withAddedHeader(String name, String value) {
        check(name, value);
        String[] more = Arrays.copyOf(headers, headers.length + 2);
        more[headers.length] = name;
        more[headers.length + 1] = value;
        return new HttpResponse(status, more, body, stream, file, segments);
    }

    /** This response with {@code body}, which is not copied: do not change it afterwards. */
    public HttpResponse withBody(byte[] body) {
        return new HttpResponse(status, headers, Objects.requireNonNull(body, "body"), null, null, null);
    }

    /** This response with {@code text}, UTF-8 encoded, as its body. The content type is unchanged. */
    public HttpResponse withBody(String text) {
        return withBody(text.getBytes(StandardCharsets.UTF_8));
    }

    /**
     * This response with a body read from {@code stream} when the response is encoded, on the
     * connection's thread (on {@code event-loop}, the loop thread: give it a stream that does not
     * block), and sent chunked; the stream is closed afterwards. If it fails midway the connection
     * is closed, so the client sees a truncated body rather than a complete wrong one. The core
     * buffers the whole encoded body before writing it, so this bounds nothing in memory.
     */
    public HttpResponse withBody(InputStream stream) {
        return new HttpResponse(status, headers, null, Objects.requireNonNull(stream, "stream"), null, null);
    }

    /**
     * This response with the contents of {@code file} as its body, sent with
     * {@code FileChannel.transferTo} (zero-copy where the engine and OS allow). The file is opened
     * when the response is encoded; if it is missing then, the client gets 404, if it cannot be read,
     * 500.
     */
    public HttpResponse withFile(Path file) {
        return new HttpResponse(status, headers, null, null, Objects.requireNonNull(file, "file"), null);
    }

    /**
     * This response with {@code length} bytes of {@code file} from {@code offset} as its body, sent
     * like {@link #withFile(Path)}: zero-copy, the file opened when the response is encoded (and
     * closed once sent). The status and fields are the caller's: a partial response is 206 with a
     * {@code Content-Range}. If the file is missing then, the client gets 404; if it cannot be read,
     * or has become shorter than {@code offset + length} since, 500, and none of it is sent.
     *
     * @throws IllegalArgumentException if {@code offset} or {@code length} is negative or their sum
     *     overflows
     */
    public HttpResponse withFile(Path file, long offset, long length) {
        return withSegments(List.of(new BodySegment.FileRegion(file, offset, length)));
    }

    /**
     * This response with a body made of {@code segments}, bytes and file regions sent in order,
     * with a {@code Content-Length} of their sum: how {@code multipart/byteranges} goes out (RFC
     * 9110 14.6). The status and fields are the caller's. Each file is opened when the response is
     * encoded, as for {@link #withFile(Path, long, long)}: if one is missing then, the client gets
     * 404; if one cannot be read or has become shorter than its region, 500, and none is sent.
     *
     * @throws NullPointerException if the list or a segment is null
     */
    public HttpResponse withSegments(List<BodySegment> segments) {
        BodySegment[] copy = segments.toArray(BodySegment[]::new);
        for (BodySegment s : copy) {
            Objects.requireNonNull(s, "segment");
        }
        return new HttpResponse(status, headers, null, null, null, copy);
    }

    public int status() {
        return status;
    }

    /** The value of the first field named {@code name} (ignoring case), or {@code null}. */
    public String header(String name) {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase(name)) {
                return headers[i + 1];
            }
        }
        return null;
    }

    String[] headerArray() {
        return headers;
    }

    /** The body bytes, or null for a stream, file or segmented body. */
    byte[] body() {
        return body;
    }

    InputStream stream() {
        return stream;
    }

    Path file() {
        return file;
    }

    /** The segments of a region or multipart body, or null. The array is shared: do not change it. */
    BodySegment[] segments() {
        return segments;
    }

    EncodedFields encodedFields() {
        EncodedFields e = encoded;
        if (e == null) {
            e = encodeFields(headers);
            encoded = e;
        }
        return e;
    }

    private static EncodedFields encodeFields(String[] headers) {
        StringBuilder sb = new StringBuilder();
        boolean date = false;
        boolean server = false;
        for (int i = 0; i < headers.length; i += 2) {
            String name = headers[i];
            date |= name.equalsIgnoreCase("Date");
            server |= name.equalsIgnoreCase("Server");
            if (!name.equalsIgnoreCase("Connection")) {
                sb.append(name).append(": ").append(headers[i + 1]).append("\r\n");
            }
        }
        // Values were checked to be ISO-8859-1: one byte per char.
        return new EncodedFields(sb.toString().getBytes(StandardCharsets.ISO_8859_1), date, server);
    }

    /** Whether a {@code Connection} field set here holds the {@code close} option. */
    boolean requestsClose() {
        for (int i = 0; i < headers.length; i += 2) {
            if (headers[i].equalsIgnoreCase("Connection")) {
                for (String option : headers[i + 1].split(",")) {
                    if (option.strip().equalsIgnoreCase("close")) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    private static void check(String name, String value) {
        if (name.isEmpty()) {
            throw new IllegalArgumentException("empty header name");
        }
        for (int i = 0; i < name.length(); i++) {
            char c = name.charAt(i);
            if (c > 0x7F || !Grammar.isTchar((byte) c)) {
                throw new IllegalArgumentException("header name is not a token: " + name);
            }
        }
        String lower = name.toLowerCase(Locale.ROOT);
        if (lower.equals("content-length") || lower.equals("transfer-encoding")) {
            throw new IllegalArgumentException(name + " is set by the codec from the body");
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (c > 0xFF || (c < 0x20 && c != '\t') || c == 0x7F) {
                throw new IllegalArgumentException("invalid character in value of " + name);
            }
        }
    }
}
