package dev.sluice.core;

import java.io.IOException;
import java.lang.System.Logger.Level;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;

/**
 * A connection's PROXY protocol header ({@link ServerConfig#proxyProtocol()}), read before its
 * protocol or TLS sees a byte, in the {@link ConnectionState#PROXY} phase (the header timeout from
 * the accept). It reads what arrives into a small buffer and decodes it with
 * {@link ProxyHeaderParser}; once the header is whole it
 * <ol>
 *   <li>counts the client it names against {@link ServerConfig#maxConnectionsPerIp()} (over it:
 *       the rejection bytes and a lingering close, as {@link Acceptor#reject}; {@link CloseReason#LIMIT});</li>
 *   <li>makes that client the connection's {@link ConnectionInfo#remote()}, the header its
 *       {@link ConnectionInfo#proxy()} ({@code LOCAL} and {@code UNKNOWN}: the proxy's own address);</li>
 *   <li>starts TLS when the listener has it, and hands the bytes read after the header to TLS, or
 *       to the protocol, as the first it reads.</li>
 * </ol>
 * Bytes that are no PROXY header close the connection at once ({@link CloseReason#PROXY_REFUSED});
 * a peer that leaves before sending any is a {@link CloseReason#NORMAL} close.
 *
 * <p>Threads: the connection's owner: its own thread on the blocking engines
 * ({@link #readBlocking}), its event loop ({@link #read}, non-blocking).
 */
final class ProxyHeaderReader {
    /** Room for a v1 line and a common v2 header in one read; a longer v2 header grows it. */
    private static final int FIRST_READ_BYTES = 256;
    private final EngineContext context;
    private final ConnectionState c;
    private ByteBuffer in = ByteBuffer.allocate(FIRST_READ_BYTES); // write mode; null once done
    private boolean done;

    ProxyHeaderReader(EngineContext context, ConnectionState c) {
        this.context = context;
        this.c = c;
    }

    /**
     * Blocking engines: reads the header, each read waiting under the PROXY phase's deadline.
     *
     * @return null when the connection is to be served; else why to close it
     */
    static CloseReason readBlocking(EngineContext context, ConnectionState c) throws IOException {
        ProxyHeaderReader reader = new ProxyHeaderReader(context, c);
        while (true) {
            CloseReason end = reader.read();
            if (end != null || reader.done) {
                return end;
            }
        }
    }

    /** Event loop: {@link #read}, an I/O failure logged and answered {@link CloseReason#ERROR}. */
    CloseReason readNow() {
        try {
            return read();
        } catch (IOException e) {
            Log.CORE.log(Level.DEBUG, "conn={0,number,#} io_error: {1}", c.info.id(), e.toString());
            return CloseReason.ERROR;
        }
    }

    /**
     * Event loop: reads on in the header of {@code lc}, and once it is in has the connection set
     * up for the client it names; whether the connection goes on to read what came after it.
     */
    boolean readOn(LoopConnection<?, ?> lc) {
        CloseReason refused = readNow();
        if (refused != null || !done) {
            if (refused == CloseReason.LIMIT) {
                lc.loop.turnAway(lc); // the rejection, then a lingering close, as the acceptor's
            } else if (refused != null) {
                lc.loop.close(lc, refused);
            }
            return false;
        }
        lc.proxyHeaderIn();
        return !c.isClosed();
    }

    /** Whether the header is in and the connection set up to be served. */
    boolean done() {
        return done;
    }

    /**
     * Reads what has arrived (blocking: waits for some) and decodes what was read so far.
     *
     * @return why to close the connection, or null: read on, or, once {@link #done}, serve it
     */
    CloseReason read() throws IOException {
        int n = c.channel.read(in);
        if (n < 0) {
            CloseReason terminal = c.terminalReason(); // the header timeout or shutdown cut the read
            return terminal != null ? terminal : in.position() == 0 ? CloseReason.NORMAL : CloseReason.PROXY_REFUSED;
        }
        context.stats.addBytesIn(n);
        ProxyInfo header;
        try {
            header = ProxyHeaderParser.parse(in.flip(), c.info.remote());
        } catch (ProxyHeaderParser.BadHeaderException e) {
            refused(context, "conn=" + c.info.id() + " ", c.info.remote(), "bad_header", e.getMessage());
            return CloseReason.PROXY_REFUSED;
        } finally {
            in.compact();
        }
        if (header == null) {
            if (!in.hasRemaining()) { // a v2 header longer than the buffer: its length is bounded by the parser
                in = Buffering.grow(in, ProxyHeaderParser.MAX_V2_BYTES);
            }
            return null;
        }
        return admit(header);
    }

    /** The header is in: counts its client, makes it the connection's, and starts TLS or the protocol. */
    private CloseReason admit(ProxyInfo header) throws IOException {
        InetSocketAddress client = header.source() != null ? header.source() : header.peer();
        InetAddress ip = client.getAddress();
        if (!context.admission.admitIp(ip)) {
            Log.CORE.log(Level.DEBUG, "conn={0,number,#} ip_limit: a connection from {1} turned away",
                    c.info.id(), ip.getHostAddress());
            context.stats.onRejectedPerIp();
            if (c.channel.isBlocking()) { // its own thread: the rejection, then a lingering close
                context.connections.turnAway(c); // the close that follows finds it closed
            } // else its event loop does the same (EventLoop.turnAway) once the selector lets go of it
            return CloseReason.LIMIT;
        }
        if (!c.countIp(ip)) { // shutdown closed the connection meanwhile
            context.admission.release(ip, false);
            CloseReason terminal = c.terminalReason();
            return terminal != null ? terminal : CloseReason.SHUTDOWN;
        }
        ConnectionInfo i = c.info;
        c.info = new ConnectionInfo(i.id(), client, i.local(), null, header);
        context.stats.addBytesIn(-in.position()); // handed on, and counted as the protocol reads them
        context.connections.secure(c, in);
        in = null;
        done = true;
        return null;
    }

    /**
     * Logs why a peer was refused: {@code kind} ({@code untrusted_peer}, {@code bad_header}) at
     * WARNING the first time on this server, then at DEBUG.
     *
     * @param conn {@code conn=ID } of an open connection, or empty
     */
    static void refused(EngineContext context, String conn, InetSocketAddress peer, String kind, String why) {
        boolean first = context.firstWarning("proxy_refused " + kind);
        Log.CORE.log(first ? Level.WARNING : Level.DEBUG, "{0}proxy_refused reason={1} peer={2}: {3}{4}", conn,
                kind, peer.getAddress().getHostAddress(), why,
                first ? " (logged once at WARNING; the rest at DEBUG, counted as closed_proxy_refused)" : "");
    }
}
