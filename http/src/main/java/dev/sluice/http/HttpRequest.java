package dev.sluice.http;

import dev.sluice.core.ConnectionInfo;
import dev.sluice.core.TrustedProxies;
import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletionStage;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.Flow;

/**
 * A request: method, target, header fields and the body (up to {@link HttpConfig#maxBodyBytes()}).
 * A body that had not all arrived when the head did is read as the handler asks for it
 * ({@link #bodyStream()}, or {@link #body()} for all of it), on the handler's thread; the rest of
 * the request is immutable and safe to share. Strings are made from the request's bytes only when
 * first asked for.
 *
 * <p>The target is kept as sent ({@link #target()}). {@link #rawPath()} is its path, undecoded;
 * {@link #path()} the same, percent-decoded as UTF-8 (so {@code %2F} becomes "/" there: route on
 * {@link #rawPath()} segments, as {@link Router} does, when that matters). Neither is normalized:
 * dot-segments such as {@code /../} are left as they are, so code that maps paths to files must
 * check for them.
 *
 * <p>Behind a proxy whose forwarding fields are trusted ({@link HttpConfig#trustForwardedHeaders()}),
 * {@link #clientAddress()}, {@link #scheme()} and {@link #host()} say what the proxy saw; the
 * connection itself stays in {@link #remoteAddress()} and {@link #connection()}.
 */
public final class HttpRequest {
    private final String method;
    private final int minor;
    private final byte[] line;
    private final int pathStart;
    private final int pathEnd;
    private final int queryStart;
    private final int queryEnd;
    private final int authorityStart;
    private final int authorityEnd;
    private final Headers headers;
    private final Headers trailers;
    private final byte[] body;
    /** The body as it arrives, read by the handler's thread; null when {@link #body} holds it whole. */
    private final BodyStream stream;
    private final ConnectionInfo connection;
    private final Map<String, String> pathParams;
    /** The raw path prefix a Router wildcard route matched before its "*"; "" when none did. */
    private final String mountPath;
    /** Whose forwarding fields are believed; null: no one's. */
    private final TrustedProxies forwarders;
    // Made on first use. Racy but safe: each is immutable, so a second thread at worst makes its own.
    private String rawPath;
    private String path;
    private Map<String, List<String>> queryParams;
    private ForwardedOrigin origin;

    HttpRequest(String method, int minor, byte[] line, RequestTarget t, Headers headers,
                Headers trailers, byte[] body, ConnectionInfo connection) {
        this(method, minor, line, t, headers, trailers, body, connection, null, null);
    }

    /** @param forwarders whose forwarding fields are believed; {@code null}: no one's */
    HttpRequest(String method, int minor, byte[] line, RequestTarget t, Headers headers,
                Headers trailers, byte[] body, ConnectionInfo connection, TrustedProxies forwarders) {
        this(method, minor, line, t, headers, trailers, body, connection, forwarders, null);
    }

    /** @param stream the body as it arrives, or {@code null} when {@code body} is all of it */
    HttpRequest(String method, int minor, byte[] line, RequestTarget t, Headers headers, Headers trailers,
                byte[] body, ConnectionInfo connection, TrustedProxies forwarders, BodyStream stream) {
        this.method = method;
        this.minor = minor;
        this.line = line;
        this.pathStart = t.pathStart;
        this.pathEnd = t.pathEnd;
        this.queryStart = t.queryStart;
        this.queryEnd = t.queryEnd;
        this.authorityStart = t.authorityStart;
        this.authorityEnd = t.authorityEnd;
        this.headers = headers;
        this.trailers = trailers;
        this.body = body;
        this.stream = stream;
        this.connection = connection;
        this.pathParams = Map.of();
        this.mountPath = "";
        this.forwarders = forwarders;
    }

    private HttpRequest(HttpRequest r, Map<String, String> pathParams, String mountPath) {
        this.method = r.method;
        this.minor = r.minor;
        this.line = r.line;
        this.pathStart = r.pathStart;
        this.pathEnd = r.pathEnd;
        this.queryStart = r.queryStart;
        this.queryEnd = r.queryEnd;
        this.authorityStart = r.authorityStart;
        this.authorityEnd = r.authorityEnd;
        this.headers = r.headers;
        this.trailers = r.trailers;
        this.body = r.body;
        this.stream = r.stream;
        this.connection = r.connection;
        this.pathParams = Collections.unmodifiableMap(new LinkedHashMap<>(pathParams));
        this.mountPath = mountPath;
        this.forwarders = r.forwarders;
        this.origin = r.origin;
    }

    /** This request with the path parameters a route matched, and its mount path (null: none). */
    HttpRequest withRoute(Map<String, String> params, String mount) {
        return new HttpRequest(this, params, mount == null ? "" : mount);
    }

    /** The method, case-sensitive as sent: {@code GET}, {@code POST}... */
    public String method() {
        return method;
    }

    /** The request-target exactly as sent: {@code /a%20b?x=1}, {@code *}, or an absolute URI. */
    public String target() {
        int start = method.length() + 1;
        return ascii(start, line.length - " HTTP/1.1".length());
    }

    /** The path of the target, undecoded; {@code /} for an absolute URI without one, {@code *} for OPTIONS *. */
    public String rawPath() {
        String p = rawPath;
        if (p == null) {
            p = pathStart == pathEnd ? "/" : ascii(pathStart, pathEnd);
            rawPath = p;
        }
        return p;
    }

    /** {@link #rawPath()} percent-decoded as UTF-8 (malformed sequences become U+FFFD). */
    public String path() {
        String p = path;
        if (p == null) {
            p = PercentDecoder.decodePathSegment(rawPath());
            path = p;
        }
        return p;
    }

    /** The query after "?", undecoded; the empty string when there is none. */
    public String query() {
        return queryStart < 0 ? "" : ascii(queryStart, queryEnd);
    }

    /** The query as decoded {@code name=value} pairs (form encoding: "+" is a space), in order. */
    public Map<String, List<String>> queryParams() {
        Map<String, List<String>> q = queryParams;
        if (q == null) {
            q = PercentDecoder.query(query());
            queryParams = q;
        }
        return q;
    }

    /** The first value of query parameter {@code name}, or {@code null}. */
    public String queryParam(String name) {
        List<String> values = queryParams().get(name);
        return values == null ? null : values.get(0);
    }

    /** {@code HTTP/1.0} or {@code HTTP/1.1} (a higher 1.x is served, and reported, as 1.1). */
    public String version() {
        return minor == 0 ? "HTTP/1.0" : "HTTP/1.1";
    }

    public Headers headers() {
        return headers;
    }

    /** The first value of header {@code name} (ignoring case), or {@code null}. */
    public String header(String name) {
        return headers.get(name);
    }

    /** The trailer fields of a chunked body; empty otherwise. Never merged into {@link #headers()}. */
    public Headers trailers() {
        return stream == null ? trailers : stream.trailers();
    }

    /**
     * The host the request is for: the one a trusted proxy forwarded ({@code Forwarded: host=},
     * {@code X-Forwarded-Host}; see {@link #clientAddress()}), else the authority of an
     * absolute-form target (RFC 9112 3.2.2 says it overrides Host), else the Host header;
     * {@code null} for HTTP/1.0 without Host. The port is included when sent.
     */
    public String host() {
        String forwarded = forwarders == null ? null : origin().host();
        if (forwarded != null) {
            return forwarded;
        }
        return authorityStart >= 0 ? ascii(authorityStart, authorityEnd) : headers.get("Host");
    }

    /**
     * The body, read whole now if it is still arriving; empty when there is none. The array is the
     * request's own: do not change it. A body larger than the largest array (about 2 GiB) cannot
     * be read whole: read it with {@link #bodyStream()}.
     *
     * @throws IllegalStateException if part of it was already read through {@link #bodyStream()}
     * @throws java.io.UncheckedIOException if the client stopped sending it, sent it too slowly,
     *     or it is too large (the client then gets 413, or 400 for a broken chunked body, and the
     *     connection closes)
     */
    public byte[] body() {
        return stream == null ? body : stream.whole();
    }

    /**
     * The body as a stream, read as it arrives: each read takes what the client has sent and
     * waits for more, and the server reads from the socket only as fast as this is read. The
     * first read sends {@code 100 Continue} to a client waiting for it. What the handler leaves
     * unread is discarded after its answer (up to {@link HttpConfig#maxDrainBytes()}, else the
     * connection closes). One stream per request, for the handler's thread: every call returns
     * the same stream, until {@link #body()} read it whole.
     */
    public InputStream bodyStream() {
        byte[] whole = stream == null ? body : stream.wholeIfRead();
        return whole != null ? new ByteArrayInputStream(whole) : stream;
    }

    /**
     * The body as a {@link Flow.Publisher} of byte pieces, for a handler that
     * {@linkplain HttpHandler#async answers later} and never blocks: each {@code request(n)} lets
     * the server read up to {@code n} more pieces from the socket (none while the subscriber asks
     * for none), and the first sends {@code 100 Continue} to a client waiting for it. On
     * {@code event-loop} the signals come on the loop thread, which the subscriber must not block.
     * One subscriber; no signal comes once the handler's answer is complete. A body that arrived
     * with the head comes as one piece. Use either this or {@link #bodyStream()}, not both.
     */
    public Flow.Publisher<ByteBuffer> bodyPublisher() {
        byte[] whole = stream == null ? body : stream.wholeIfRead();
        return whole != null ? BodyPublisher.of(whole) : stream.publisher();
    }

    /**
     * Whether the body was still on its way when the handler got the request, to be read through
     * {@link #bodyStream()}; false when the body (or its absence) arrived with the head, or
     * {@link #body()} has read it whole. A cheap question: it reads nothing.
     */
    public boolean bodyArriving() {
        return stream != null && stream.wholeIfRead() == null;
    }

    /**
     * Waits for {@code answer}, for a handler that answers later but was called to answer now (a
     * filter's {@code next.handle}): on a blocking engine the waiting thread serves the body's reads.
     */
    HttpResponse await(CompletionStage<HttpResponse> answer) throws InterruptedException, ExecutionException {
        return stream == null ? answer.toCompletableFuture().get() : stream.source().awaitAnswer(answer);
    }

    /** The body decoded as UTF-8; read whole first, as {@link #body()} does. */
    public String bodyText() {
        return new String(body(), StandardCharsets.UTF_8);
    }

    /**
     * The peer of the connection: on a PROXY protocol listener, the client its header names;
     * behind an HTTP proxy, the proxy. See {@link #clientAddress()} for the client behind it.
     */
    public InetSocketAddress remoteAddress() {
        return connection.remote();
    }

    /**
     * The client: when {@link #remoteAddress()} is a proxy whose forwarding fields are trusted
     * ({@link HttpConfig#trustForwardedHeaders()}), the rightmost hop of its {@code Forwarded}
     * (or {@code X-Forwarded-For}) chain that is not itself a trusted proxy, the leftmost when all
     * are (port 0 when the field gives none); else {@link #remoteAddress()}. A field that is not
     * well formed is ignored, and the peer stands.
     */
    public InetSocketAddress clientAddress() {
        return forwarders == null ? connection.remote() : origin().client();
    }

    /**
     * The connection the request came on: its number, both addresses, and on HTTPS what TLS
     * agreed ({@link ConnectionInfo#tls()}: protocol, cipher suite, SNI name, ALPN, and the
     * client's verified certificates under mutual TLS).
     */
    public ConnectionInfo connection() {
        return connection;
    }

    /**
     * {@code https} or {@code http}: the one a trusted proxy forwarded ({@code Forwarded: proto=},
     * {@code X-Forwarded-Proto}; see {@link #clientAddress()}), else {@code https} when the request
     * came over TLS.
     */
    public String scheme() {
        String forwarded = forwarders == null ? null : origin().proto();
        if (forwarded != null) {
            return forwarded;
        }
        return connection.secure() ? "https" : "http";
    }

    /** Only where forwarding fields may be believed: elsewhere the answers need no resolving, nor a new object. */
    private ForwardedOrigin origin() {
        ForwardedOrigin o = origin;
        if (o == null) {
            o = ForwardedChain.resolve(headers, connection, forwarders);
            origin = o;
        }
        return o;
    }

    /** The value of path parameter {@code name} matched by a {@link Router}, decoded; or {@code null}. */
    public String pathParam(String name) {
        return pathParams.get(name);
    }

    /** Every path parameter matched by a {@link Router}, in pattern order. */
    public Map<String, String> pathParams() {
        return pathParams;
    }

    /**
     * Where the handler is mounted: the part of {@link #rawPath()} that a {@link Router} route
     * ending in {@code /*} matched before the {@code *}, undecoded ({@code /files} for
     * {@code /files/a.txt} under {@code /files/*}); empty when no such route matched.
     */
    public String mountPath() {
        return mountPath;
    }

    /**
     * {@link #rawPath()} less {@link #mountPath()}: {@code /a.txt} for {@code /files/a.txt} under
     * {@code /files/*}, empty for {@code /files} itself; the whole raw path when not mounted.
     */
    public String rawPathInMount() {
        return rawPath().substring(mountPath.length());
    }

    private String ascii(int start, int end) {
        return new String(line, start, end - start, StandardCharsets.US_ASCII);
    }

    /** The request line, for debugging. */
    @Override
    public String toString() {
        return method + " " + target() + " " + version();
    }
}
