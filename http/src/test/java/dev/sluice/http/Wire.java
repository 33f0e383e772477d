package dev.sluice.http;

import dev.sluice.core.Codec;
import dev.sluice.core.ConnectionInfo;
import dev.sluice.core.Handler;
import dev.sluice.core.Protocol;
import dev.sluice.core.ProtocolException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Drives an HTTP codec the way the core's engines do, with no socket: each {@link #feed} is one
 * read, appended to what the codec left unconsumed; decode until null, handle, encode; an error or
 * a false keep-alive closes. After each read the buffer handed to the codec is scribbled over, so a
 * codec that kept a reference to it would be caught.
 */
final class Wire {
    static final Instant NOW = Instant.parse("1994-11-06T08:49:37Z");
    static final String DATE = "Date: Sun, 06 Nov 1994 08:49:37 GMT\r\n";
    /** The {@code Server} field line of {@link HttpConfig#defaults()}. */
    static final String SERVER = "Server: Sluice\r\n";
    static final ConnectionInfo INFO = new ConnectionInfo(7,
            new InetSocketAddress("127.0.0.1", 50000), new InetSocketAddress("127.0.0.1", 8080));

    final Codec<HttpRequest, HttpResponse> codec;
    final Handler<HttpRequest, HttpResponse> handler;
    final CapturingOutput out = new CapturingOutput();
    final List<HttpRequest> handled = new ArrayList<>();
    boolean closed;
    boolean closing;
    ProtocolException error;
    private byte[] pending = new byte[0];

    Wire(HttpConfig config, HttpHandler handler) {
        Protocol<HttpRequest, HttpResponse> protocol =
                HttpProtocol.create(config, handler, new DateCache(InstantSource.fixed(NOW)));
        this.codec = protocol.newCodec(INFO);
        this.handler = protocol.handler();
    }

    /** Feeds {@code input} whole, then cut at each of {@code cuts}, in order, as separate reads. */
    static Wire run(HttpConfig config, HttpHandler handler, byte[] input, int... cuts) {
        Wire wire = new Wire(config, handler);
        int from = 0;
        for (int cut : cuts) {
            wire.feed(Arrays.copyOfRange(input, from, cut));
            from = cut;
        }
        return wire.feed(Arrays.copyOfRange(input, from, input.length));
    }

    /** Feeds {@code input} one byte per read. */
    static Wire bytewise(HttpConfig config, HttpHandler handler, byte[] input) {
        Wire wire = new Wire(config, handler);
        for (byte b : input) {
            wire.feed(new byte[] {b});
        }
        return wire;
    }

    Wire feed(byte[] bytes) {
        if (closed) {
            return this; // the engine has closed the connection: later bytes are never read
        }
        byte[] joined = Arrays.copyOf(pending, pending.length + bytes.length);
        System.arraycopy(bytes, 0, joined, pending.length, bytes.length);
        ByteBuffer in = ByteBuffer.wrap(joined);
        while (!closed) {
            HttpRequest request;
            try {
                request = codec.decode(in, out);
            } catch (ProtocolException e) {
                error = e;
                codec.encodeError(e, out);
                closed = true;
                break;
            }
            if (request == null) {
                break;
            }
            handled.add(request);
            boolean keep;
            try {
                keep = codec.encode(handler.handle(request), out, closing);
            } catch (Exception | LinkageError e) {
                keep = codec.encodeFailure(e, out, closing);
            }
            closed = !keep || closing;
        }
        pending = Arrays.copyOfRange(joined, in.position(), joined.length);
        Arrays.fill(joined, (byte) 'X');
        return this;
    }

    Wire feed(String latin1) {
        return feed(latin1.getBytes(StandardCharsets.ISO_8859_1));
    }

    /** Bytes the codec has not consumed. */
    int leftover() {
        return pending.length;
    }

    String output() {
        return new String(out.toByteArray(), StandardCharsets.ISO_8859_1);
    }

    List<Responses.Response> responses() {
        List<Boolean> heads = new ArrayList<>();
        for (HttpRequest r : handled) {
            heads.add(r.method().equals("HEAD"));
        }
        return Responses.parse(out.toByteArray(), heads);
    }

    List<Integer> statuses() {
        return responses().stream().map(Responses.Response::status).toList();
    }
}
