package dev.sluice.core;

import java.net.InetSocketAddress;

/**
 * Who is on the other end of a connection.
 *
 * @param id a number unique within one server, used as {@code conn=ID} in every log line
 * @param remote the client's address
 * @param local the server's address the client connected to
 * @param tls what the TLS handshake agreed, on a TLS listener; null on a plain one
 */
public record ConnectionInfo(long id, InetSocketAddress remote, InetSocketAddress local, TlsInfo tls) {
    /** A plain (not TLS) connection. */
    public ConnectionInfo(long id, InetSocketAddress remote, InetSocketAddress local) {
        this(id, remote, local, null);
    }

    /** Whether the connection is TLS. */
    public boolean secure() {
        return tls != null;
    }
}
