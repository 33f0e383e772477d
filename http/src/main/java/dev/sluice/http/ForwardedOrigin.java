package dev.sluice.http;

import java.net.InetSocketAddress;

/**
 * Where a request came from, by the forwarding fields of a trusted proxy
 * ({@link HttpConfig#trustForwardedHeaders()}), or by the connection alone when there are none.
 *
 * @param client the client: the rightmost untrusted hop of the chain, or the connection's peer;
 *     port 0 when the field gives none (or an obfuscated one)
 * @param proto {@code http} or {@code https} as the proxy received the request; {@code null}
 *     when not said, so the connection's own scheme stands
 * @param host the host the client asked the proxy for ({@code host=}, {@code X-Forwarded-Host});
 *     {@code null} when not said, so the request's own stands
 */
record ForwardedOrigin(InetSocketAddress client, String proto, String host) {
}
