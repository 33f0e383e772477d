package dev.sluice.http;

import java.io.ByteArrayOutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.time.InstantSource;
import java.util.List;

/**
 * Calls a handler directly, with a request built field by field and no codec checks (so a test
 * can hand it targets the codec would refuse, such as a raw backslash or {@code %00}), then
 * encodes the answer as the codec does and parses it back.
 */
final class DirectExchange {
    private DirectExchange() {
    }

    /** A request for {@code target} (any Latin-1 text) with {@code "Name: value"} fields. */
    static HttpRequest request(String method, String target, String... fields) {
        byte[] line = (method + " " + target + " HTTP/1.1").getBytes(StandardCharsets.ISO_8859_1);
        RequestTarget t = new RequestTarget();
        int start = method.length() + 1;
        int q = target.indexOf('?');
        t.pathStart = start;
        t.pathEnd = start + (q < 0 ? target.length() : q);
        t.queryStart = q < 0 ? -1 : start + q + 1;
        t.queryEnd = q < 0 ? -1 : start + target.length();
        t.authorityStart = -1;
        t.authorityEnd = -1;
        ByteArrayOutputStream data = new ByteArrayOutputStream();
        int[] offsets = new int[4 * fields.length];
        for (int i = 0; i < fields.length; i++) {
            int colon = fields[i].indexOf(':');
            byte[] name = fields[i].substring(0, colon).getBytes(StandardCharsets.ISO_8859_1);
            byte[] value = fields[i].substring(colon + 1).strip().getBytes(StandardCharsets.ISO_8859_1);
            offsets[4 * i] = data.size();
            data.writeBytes(name);
            offsets[4 * i + 1] = data.size();
            offsets[4 * i + 2] = data.size();
            data.writeBytes(value);
            offsets[4 * i + 3] = data.size();
        }
        Headers headers = new Headers(data.toByteArray(), offsets, fields.length);
        return new HttpRequest(method, 1, line, t, headers, Headers.EMPTY, new byte[0],
                new dev.sluice.core.ConnectionInfo(1, new InetSocketAddress("127.0.0.1", 50000),
                        new InetSocketAddress("127.0.0.1", 8080)));
    }

    /** The answer of {@code handler} to {@code request}, as a client would read it. */
    static Responses.Response send(HttpHandler handler, HttpRequest request) throws Exception {
        return encode(handler.handle(request), request.method().equals("HEAD"));
    }

    static Responses.Response send(HttpHandler handler, String method, String target, String... fields)
            throws Exception {
        return send(handler, request(method, target, fields));
    }

    static Responses.Response get(HttpHandler handler, String target, String... fields) throws Exception {
        return send(handler, "GET", target, fields);
    }

    /** The fields of {@code r} as {@code Name: value} lines, in order. */
    static List<String> fieldLines(Responses.Response r) {
        return r.fields().stream().map(f -> f[0] + ": " + f[1]).toList();
    }

    /** {@code response} as the codec writes it on a keep-alive HTTP/1.1 connection, parsed back. */
    static Responses.Response encode(HttpResponse response, boolean head) {
        CapturingOutput out = new CapturingOutput();
        RequestShape shape = head ? RequestShape.HEAD_1_1 : RequestShape.FULL_1_1;
        new ResponseWriter(new DateCache(InstantSource.fixed(Wire.NOW)), HttpConfig.defaults().serverLine(), 1)
                .write(response, shape, Persistence.KEEP_ALIVE, out);
        List<Responses.Response> parsed = Responses.parse(out.toByteArray(), List.of(head));
        if (parsed.size() != 1) {
            throw new AssertionError("got " + parsed.size() + " responses; want 1");
        }
        return parsed.get(0);
    }
}
