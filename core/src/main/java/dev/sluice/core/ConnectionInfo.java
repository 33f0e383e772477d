package dev.sluice.core;

import java.net.InetSocketAddress;

/**
 * Who is on the other end of a connection.
 *
 * @param id a number unique within one server, used as {@code conn=ID} in every log line
 * @param remote the client's address
 * @param local the server's address the client connected to
 */
public record ConnectionInfo(long id, InetSocketAddress remote, InetSocketAddress local) {
}
