package dev.sluice.core;

import java.net.InetSocketAddress;

/**
 * Who is on the other end of a connection.
 *
 * @param id a number unique within one server, used as {@code conn=ID} in every log line
 * @param remote the client's address: on a PROXY protocol listener, the one its header names
 *     (for a {@code LOCAL} or {@code UNKNOWN} header, the proxy's own)
 * @param local the server's address the client connected to
 * @param tls what the TLS handshake agreed, on a TLS listener; null on a plain one
 * @param proxy what the PROXY header said, the proxy's own address with it, on a listener with
 *     {@link ServerConfig#proxyProtocol()}; null on others
 */
public record ConnectionInfo(long id, InetSocketAddress remote, InetSocketAddress local, TlsInfo tls,
                             ProxyInfo proxy) {
    /** A plain (not TLS) connection. */
    public ConnectionInfo(long id, InetSocketAddress remote, InetSocketAddress local) {
        this(id, remote, local, null, null);
    }

    /** A connection without a PROXY header. */
    public ConnectionInfo(long id, InetSocketAddress remote, InetSocketAddress local, TlsInfo tls) {
        this(id, remote, local, tls, null);
    }

    /** Whether the connection is TLS. */
    public boolean secure() {
        return tls != null;
    }
}
