package dev.sluice.http;

import dev.sluice.core.ConnectionInfo;
import java.net.InetSocketAddress;

/**
 * One request and the response encoded for it, as an {@link HttpObserver} sees it. Immutable and
 * safe to share; the request's strings (method aside) are made only when asked for, so an
 * observer pays only for what it reads.
 *
 * <p>The request is absent ({@link #method()}, {@link #target()}, {@link #rawPath()} and
 * {@link #version()} are {@code null}, {@link #header} too) when its head was never read whole:
 * a malformed request line or field, a head too large, a head that took too long (408).
 *
 * <p>Times are {@link System#nanoTime()} readings, for durations only: from the first byte of the
 * request consumed by the codec to its response encoded, which is before the response's bytes
 * are written to the socket (a slow reader does not lengthen it) and, for pipelined requests,
 * after the previous response (the wait for it is not counted).
 */
public final class Exchange {
    private final ConnectionInfo connection;
    private final HttpRequest request;
    private final int status;
    private final long requestBytes;
    private final long responseBytes;
    private final long bodyBytes;
    private final long startNanos;
    private final long endNanos;

    Exchange(ConnectionInfo connection, HttpRequest request, int status, long requestBytes,
             long responseBytes, long bodyBytes, long startNanos, long endNanos) {
        this.connection = connection;
        this.request = request;
        this.status = status;
        this.requestBytes = requestBytes;
        this.responseBytes = responseBytes;
        this.bodyBytes = bodyBytes;
        this.startNanos = startNanos;
        this.endNanos = endNanos;
    }

    /** The connection's id, as in the {@code conn=ID} of the server's log lines. */
    public long connectionId() {
        return connection.id();
    }

    /** The connection's peer: on a PROXY protocol listener, the client its header names. */
    public InetSocketAddress remoteAddress() {
        return connection.remote();
    }

    /**
     * The client: {@link HttpRequest#clientAddress()}, which follows a trusted proxy's forwarding
     * fields; {@link #remoteAddress()} when the request's head was not read. What an access log's
     * {@code %h} shows.
     */
    public InetSocketAddress clientAddress() {
        return request == null ? connection.remote() : request.clientAddress();
    }

    /** The method as sent ({@code GET}); {@code null} when the request was not read. */
    public String method() {
        return request == null ? null : request.method();
    }

    /** The request-target as sent, query included ({@code /a%20b?x=1}); {@code null} likewise. */
    public String target() {
        return request == null ? null : request.target();
    }

    /** The path of the target, undecoded ({@link HttpRequest#rawPath()}); {@code null} likewise. */
    public String rawPath() {
        return request == null ? null : request.rawPath();
    }

    /** {@code HTTP/1.0} or {@code HTTP/1.1}; {@code null} likewise. */
    public String version() {
        return request == null ? null : request.version();
    }

    /** The first value of request header {@code name} (ignoring case), looked up now; or {@code null}. */
    public String header(String name) {
        return request == null ? null : request.header(name);
    }

    /** The request's {@code User-Agent}, or {@code null}. */
    public String userAgent() {
        return header("User-Agent");
    }

    /** The request's {@code Referer}, or {@code null}. */
    public String referer() {
        return header("Referer");
    }

    /** The status sent: the handler's, or the one the codec substituted (404 for a missing file...). */
    public int status() {
        return status;
    }

    /**
     * Bytes of this request read from the connection: the head and the body as framed (chunk
     * sizes included). For a request refused before its body was read (413, 417), the head only.
     */
    public long requestBytes() {
        return requestBytes;
    }

    /** Bytes of the response, head included. */
    public long responseBytes() {
        return responseBytes;
    }

    /**
     * Bytes of the response after its head: the body as framed (chunk sizes included); 0 for a
     * response to HEAD, a 204 or a 304. What Apache's {@code %b} and nginx's
     * {@code $body_bytes_sent} report.
     */
    public long bodyBytes() {
        return bodyBytes;
    }

    /** When the codec consumed the request's first byte ({@link System#nanoTime()}). */
    public long startNanos() {
        return startNanos;
    }

    /** When the response was encoded ({@link System#nanoTime()}). */
    public long endNanos() {
        return endNanos;
    }

    /** {@link #endNanos()} minus {@link #startNanos()}. */
    public long durationNanos() {
        return endNanos - startNanos;
    }

    /** For debugging: {@code conn=7 GET /x HTTP/1.1 200 13}. */
    @Override
    public String toString() {
        return "conn=" + connectionId() + " " + (request == null ? "-" : request.toString()) + " "
                + status + " " + bodyBytes;
    }
}
