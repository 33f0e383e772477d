package dev.sluice.core;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.SocketAddress;
import java.net.StandardSocketOptions;
import java.net.UnknownHostException;
import java.nio.channels.ServerSocketChannel;
import java.nio.channels.UnresolvedAddressException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The listening socket of a {@link Server}: bound here as {@link ServerConfig} says, or adopted
 * already bound and listening (systemd socket activation, or one the caller made). Runs on the
 * thread that calls {@link Server#start}.
 */
final class Listener {
    /**
     * Linux 5.14+: 1 moves the connections queued on a closing {@code SO_REUSEPORT} listener to
     * another one on the same port instead of resetting them.
     */
    static final Path MIGRATE_REQ = Path.of("/proc/sys/net/ipv4/tcp_migrate_req");

    private Listener() {
    }

    /**
     * With {@code --reuse-port}, a new instance can take over the port while the old one drains;
     * but where {@code migrateReq} reads 0, the connections still queued on the old listener when
     * it closes are reset. Says so once, at WARNING, with the two ways out. Where the file does not
     * exist (another OS, an older kernel) nothing can be said and nothing is.
     *
     * @return whether the warning was logged
     */
    static boolean warnIfQueuedConnectionsWouldBeReset(Path migrateReq) {
        String value;
        try {
            value = Files.readString(migrateReq).strip();
        } catch (IOException | SecurityException e) {
            return false;
        }
        if (!"0".equals(value)) {
            return false;
        }
        Log.CORE.log(System.Logger.Level.WARNING, "reuse_port_restart_unsafe: {0} is 0, so connections queued"
                + " on this listener are reset when it closes; set net.ipv4.tcp_migrate_req=1 or use systemd"
                + " socket activation for restarts that refuse nothing", migrateReq);
        return true;
    }

    /**
     * A socket bound with {@code SO_REUSEADDR} (and {@code SO_REUSEPORT} if configured) on the
     * configured host, port and backlog; nothing is left open when it fails.
     */
    static ServerSocketChannel bind(ServerConfig config) throws IOException {
        ServerSocketChannel ch = ServerSocketChannel.open();
        try {
            ch.setOption(StandardSocketOptions.SO_REUSEADDR, true);
            if (config.reusePort()) {
                ch.setOption(StandardSocketOptions.SO_REUSEPORT, true);
                warnIfQueuedConnectionsWouldBeReset(MIGRATE_REQ);
            }
            ch.bind(new InetSocketAddress(config.host(), config.port()), config.backlog());
            return ch;
        } catch (UnresolvedAddressException e) {
            Quietly.close(ch);
            throw new UnknownHostException("cannot resolve host " + config.host());
        } catch (IOException | RuntimeException | Error e) {
            Quietly.close(ch);
            throw e;
        }
    }

    /**
     * {@code ch}, checked: open and bound to an IP address. Put in blocking mode, as a socket
     * {@link #bind} opens is: the blocking engines' acceptor blocks in {@code accept}, the event
     * loop makes it non-blocking itself.
     *
     * @throws IllegalArgumentException when it is closed, unbound or not a TCP/IP socket
     */
    static ServerSocketChannel adopt(ServerSocketChannel ch) throws IOException {
        if (!ch.isOpen()) {
            throw new IllegalArgumentException("the listening socket is closed");
        }
        SocketAddress local = ch.getLocalAddress();
        if (!(local instanceof InetSocketAddress)) {
            throw new IllegalArgumentException(local == null ? "the listening socket is not bound"
                    : "the listening socket is not a TCP/IP socket: " + local);
        }
        ch.configureBlocking(true);
        return ch;
    }
}
