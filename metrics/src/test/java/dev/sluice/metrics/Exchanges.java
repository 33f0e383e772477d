package dev.sluice.metrics;

import dev.sluice.core.Codec;
import dev.sluice.core.ConnectionInfo;
import dev.sluice.core.Output;
import dev.sluice.core.ProtocolException;
import dev.sluice.http.Exchange;
import dev.sluice.http.HttpConfig;
import dev.sluice.http.HttpHandler;
import dev.sluice.http.HttpProtocol;
import dev.sluice.http.HttpRequest;
import dev.sluice.http.HttpResponse;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * Real {@link Exchange}s for the unit tests: raw request bytes are run through the HTTP
 * codec, as an engine would, with no socket, and the observer's exchanges are collected.
 */
final class Exchanges {
    static final InetSocketAddress CLIENT = new InetSocketAddress("192.0.2.7", 50_000);

    private Exchanges() {
    }

    /** The exchanges of {@code requests}, sent on one connection from {@code from}, answered by {@code handler}. */
    static List<Exchange> of(InetSocketAddress from, HttpHandler handler, String requests) {
        List<Exchange> seen = new ArrayList<>();
        Codec<HttpRequest, HttpResponse> codec = HttpProtocol.create(HttpConfig.defaults(), handler,
                seen::add).newCodec(new ConnectionInfo(1, from, new InetSocketAddress("127.0.0.1", 80)));
        ByteBuffer in = ByteBuffer.wrap(requests.getBytes(StandardCharsets.ISO_8859_1));
        Output out = new Discard();
        try {
            for (HttpRequest r; (r = codec.decode(in, out)) != null; ) {
                HttpResponse response;
                try {
                    response = handler.handle(r);
                } catch (Exception e) {
                    codec.encodeFailure(e, out, false);
                    continue;
                }
                codec.encode(response, out, false);
            }
        } catch (ProtocolException e) {
            codec.encodeError(e, out);
        }
        return seen;
    }

    static List<Exchange> of(String requests) {
        return of(CLIENT, r -> HttpResponse.ok("hello"), requests);
    }

    /** One exchange: {@code request} from {@link #CLIENT}, answered 200 {@code hello}. */
    static Exchange one(String request) {
        return of(request).get(0);
    }

    private static final class Discard implements Output {
        @Override
        public void write(byte[] bytes, int off, int len) {
        }

        @Override
        public void write(ByteBuffer buffer) {
            buffer.position(buffer.limit());
        }

        @Override
        public void transfer(FileChannel file, long position, long count) {
            try {
                file.close();
            } catch (IOException ignored) {
                // a test double: nothing to report
            }
        }
    }
}
