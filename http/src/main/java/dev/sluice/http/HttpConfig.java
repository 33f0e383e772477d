package dev.sluice.http;

import dev.sluice.core.TrustedProxies;
import dev.sluice.core.internal.ConfigCopy;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Objects;

/**
 * The limits of the HTTP/1.1 codec. Immutable and validated on construction; {@link #defaults()}
 * is fit for a public network. Each limit is answered with its own status and
 * {@code Connection: close}, decided as early as the bytes allow: a request line or head that grows
 * past its limit is refused before it ends, a body whose {@code Content-Length} is too large is
 * refused before a byte of it is read. Change components with one {@code withX} per component,
 * each returning a validated copy ({@code HttpConfig.defaults().withMaxBodyBytes(1 << 20)}), the
 * style of every Sluice config record.
 *
 * <table>
 *   <caption>Defaults</caption>
 *   <tr><th>component</th><th>default</th><th>answer</th></tr>
 *   <tr><td>{@link #maxRequestLineBytes}</td><td>{@value #DEFAULT_MAX_REQUEST_LINE_BYTES}</td><td>414</td></tr>
 *   <tr><td>{@link #maxHeaderBytes}</td><td>{@value #DEFAULT_MAX_HEADER_BYTES}</td><td>431</td></tr>
 *   <tr><td>{@link #maxHeaderCount}</td><td>{@value #DEFAULT_MAX_HEADER_COUNT}</td><td>431</td></tr>
 *   <tr><td>{@link #maxBodyBytes}</td><td>{@value #DEFAULT_MAX_BODY_BYTES}</td><td>413</td></tr>
 *   <tr><td>{@link #maxRequestsPerConnection}</td>
 *       <td>{@value #DEFAULT_MAX_REQUESTS_PER_CONNECTION} (unlimited)</td><td>close after the last</td></tr>
 *   <tr><td>{@link #maxDrainBytes}</td><td>{@value #DEFAULT_MAX_DRAIN_BYTES}</td>
 *       <td>close instead of draining</td></tr>
 *   <tr><td>{@link #retryAfter}</td><td>{@value #DEFAULT_RETRY_AFTER_SECONDS}s</td>
 *       <td>503 to rejected clients</td></tr>
 *   <tr><td>{@link #serverName}</td><td>{@value #DEFAULT_SERVER_NAME}</td>
 *       <td>{@code Server} field of every response</td></tr>
 *   <tr><td>{@link #trustForwardedHeaders}</td><td>{@code null} (off)</td>
 *       <td>forwarding fields ignored</td></tr>
 * </table>
 *
 * @param maxRequestLineBytes the longest request line ({@code GET /path?query HTTP/1.1}), in bytes,
 *     without its CRLF. Longer: 414 (URI Too Long). At least 16. Default
 *     {@value #DEFAULT_MAX_REQUEST_LINE_BYTES}.
 * @param maxHeaderBytes the largest header section, in bytes: every field line with its CRLF and
 *     the empty line that ends the section. Larger: 431. The same limit bounds the trailer section of
 *     a chunked body. At least 2. Default {@value #DEFAULT_MAX_HEADER_BYTES}.
 * @param maxHeaderCount the most field lines in a header section (and in a trailer section). More:
 *     431. At least 1. Default {@value #DEFAULT_MAX_HEADER_COUNT}.
 * @param maxBodyBytes the largest request body, in bytes, after chunked decoding. Decided from
 *     {@code Content-Length} before the body is read (413, and nothing of it read), or from chunk
 *     sizes as they arrive (413 and the connection closed, whatever the handler read so far). A
 *     body the handler streams ({@link HttpRequest#bodyStream()}) may be as large as this; one it
 *     reads whole ({@link HttpRequest#body()}) at most about 2 GiB, the largest array. {@code 0}
 *     refuses every body. Default {@value #DEFAULT_MAX_BODY_BYTES} (10 MiB).
 * @param maxRequestsPerConnection how many requests one connection may carry; the response to the
 *     last says {@code Connection: close}. {@code 0} means unlimited, the default
 *     ({@value #DEFAULT_MAX_REQUESTS_PER_CONNECTION}): the core's idle timeout already bounds a
 *     connection's life and the codec's memory does not grow with the number of requests.
 * @param maxDrainBytes when the codec refuses a request before reading its body (413 for a
 *     {@code Content-Length} above {@link #maxBodyBytes}, 417 for an expectation it cannot meet),
 *     it keeps the connection and discards the body only if the body has a
 *     {@code Content-Length} no larger than this, the client is not waiting for
 *     {@code 100 Continue}, and the connection would persist anyway; otherwise it answers with
 *     {@code Connection: close}. A refused body is never parsed as the next request. {@code 0}
 *     closes every such connection. Default {@value #DEFAULT_MAX_DRAIN_BYTES} (256 KiB, as Go's
 *     {@code net/http}).
 * @param retryAfter the {@code Retry-After} sent, in whole seconds, with the
 *     {@code 503 Service Unavailable} the core writes to a client turned away at its connection
 *     limit ({@code OverloadPolicy.REJECT}). Zero or more; sub-second parts are dropped. Default
 *     {@value #DEFAULT_RETRY_AFTER_SECONDS}s.
 * @param serverName the value of the {@code Server} field (RFC 9110 10.2.4) sent on every response,
 *     errors and the 503 to rejected clients included, unless the handler's response carries its
 *     own. Encoded once, not per response. {@code null} or empty sends no {@code Server} field. At
 *     most {@value #MAX_SERVER_NAME_CHARS} visible ASCII characters and spaces, not starting or
 *     ending with a space. Default {@value #DEFAULT_SERVER_NAME}.
 * @param trustForwardedHeaders the proxies whose {@code Forwarded} (RFC 7239), or failing it
 *     {@code X-Forwarded-For}, {@code -Proto} and {@code -Host}, fields are believed: for a request
 *     whose peer ({@code ConnectionInfo.remote()}, the PROXY header's client when that is on) is
 *     among them, {@link HttpRequest#clientAddress()}, {@link HttpRequest#scheme()} and
 *     {@link HttpRequest#host()} follow the fields by the rightmost-untrusted rule, and so does the
 *     address an {@link HttpObserver} logs ({@link Exchange#clientAddress()}). The fields of any
 *     other peer are ignored. Per request, so the core's per-IP connection limit, which counts
 *     connections, never sees it. {@code null}, the default, believes no one.
 */
public record HttpConfig(
        int maxRequestLineBytes,
        int maxHeaderBytes,
        int maxHeaderCount,
        long maxBodyBytes,
        int maxRequestsPerConnection,
        int maxDrainBytes,
        Duration retryAfter,
        String serverName,
        TrustedProxies trustForwardedHeaders) {

    public static final int DEFAULT_MAX_REQUEST_LINE_BYTES = 8 * 1024;
    public static final int DEFAULT_MAX_HEADER_BYTES = 32 * 1024;
    public static final int DEFAULT_MAX_HEADER_COUNT = 100;
    public static final int DEFAULT_MAX_BODY_BYTES = 10 * 1024 * 1024;
    public static final int DEFAULT_MAX_REQUESTS_PER_CONNECTION = 0;
    public static final int DEFAULT_MAX_DRAIN_BYTES = 256 * 1024;
    public static final long DEFAULT_RETRY_AFTER_SECONDS = 5;
    public static final String DEFAULT_SERVER_NAME = "Sluice";
    static final int MAX_SERVER_NAME_CHARS = 256;
    /** The largest array the JVM reliably allocates: the most of a body read whole into memory. */
    static final int MAX_ARRAY_BYTES = Integer.MAX_VALUE - 8;

    public HttpConfig {
        atLeast("maxRequestLineBytes", maxRequestLineBytes, 16);
        atLeast("maxHeaderBytes", maxHeaderBytes, 2);
        atLeast("maxHeaderCount", maxHeaderCount, 1);
        if (maxBodyBytes < 0) {
            throw new IllegalArgumentException("maxBodyBytes must be at least 0, got " + maxBodyBytes);
        }
        atLeast("maxRequestsPerConnection", maxRequestsPerConnection, 0);
        atLeast("maxDrainBytes", maxDrainBytes, 0);
        Objects.requireNonNull(retryAfter, "retryAfter");
        if (retryAfter.isNegative()) {
            throw new IllegalArgumentException("retryAfter must not be negative, got " + retryAfter);
        }
        checkServerName(serverName);
    }

    /** Every component at its documented default. */
    public static HttpConfig defaults() {
        return new HttpConfig(DEFAULT_MAX_REQUEST_LINE_BYTES, DEFAULT_MAX_HEADER_BYTES,
                DEFAULT_MAX_HEADER_COUNT, DEFAULT_MAX_BODY_BYTES, DEFAULT_MAX_REQUESTS_PER_CONNECTION,
                DEFAULT_MAX_DRAIN_BYTES, Duration.ofSeconds(DEFAULT_RETRY_AFTER_SECONDS),
                DEFAULT_SERVER_NAME, null);
    }

    // One withX per component: a copy with that component changed, validated as a new record is.

    public HttpConfig withMaxRequestLineBytes(int v) { return ConfigCopy.with(this, "maxRequestLineBytes", v); }
    public HttpConfig withMaxHeaderBytes(int v) { return ConfigCopy.with(this, "maxHeaderBytes", v); }
    public HttpConfig withMaxHeaderCount(int v) { return ConfigCopy.with(this, "maxHeaderCount", v); }
    public HttpConfig withMaxBodyBytes(long v) { return ConfigCopy.with(this, "maxBodyBytes", v); }
    public HttpConfig withMaxRequestsPerConnection(int v) {
        return ConfigCopy.with(this, "maxRequestsPerConnection", v);
    }
    public HttpConfig withMaxDrainBytes(int v) { return ConfigCopy.with(this, "maxDrainBytes", v); }
    public HttpConfig withRetryAfter(Duration v) { return ConfigCopy.with(this, "retryAfter", v); }
    public HttpConfig withServerName(String v) { return ConfigCopy.with(this, "serverName", v); }
    public HttpConfig withTrustForwardedHeaders(TrustedProxies v) {
        return ConfigCopy.with(this, "trustForwardedHeaders", v);
    }

    /** The {@code Server} field line with its CRLF, or {@code null} for none. */
    byte[] serverLine() {
        return serverName == null || serverName.isEmpty() ? null
                : ("Server: " + serverName + "\r\n").getBytes(StandardCharsets.US_ASCII);
    }

    private static void checkServerName(String name) {
        if (name == null || name.isEmpty()) {
            return;
        }
        if (name.length() > MAX_SERVER_NAME_CHARS) {
            throw new IllegalArgumentException("serverName must be at most " + MAX_SERVER_NAME_CHARS
                    + " characters, got " + name.length());
        }
        for (int i = 0; i < name.length(); i++) {
            char ch = name.charAt(i);
            if (ch < ' ' || ch > '~') {
                throw new IllegalArgumentException(
                        "serverName must be visible ASCII and spaces, got a character " + (int) ch);
            }
        }
        if (name.charAt(0) == ' ' || name.charAt(name.length() - 1) == ' ') {
            throw new IllegalArgumentException("serverName must not start or end with a space");
        }
    }

    private static void atLeast(String name, int value, int min) {
        if (value < min) {
            throw new IllegalArgumentException(name + " must be at least " + min + ", got " + value);
        }
    }
}
