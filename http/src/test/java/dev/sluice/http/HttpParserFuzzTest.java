package dev.sluice.http;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.sluice.core.Codec;
import dev.sluice.core.Codec.Progress;
import dev.sluice.core.ConnectionInfo;
import dev.sluice.core.Output;
import dev.sluice.core.ProtocolException;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.time.InstantSource;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.junit.jupiter.api.BeforeAll;

/**
 * Coverage-guided fuzzing of the request decoder with Jazzer. Plain {@code mvn verify} replays the
 * inputs in {@code src/test/resources/dev/sluice/http/HttpParserFuzzTestInputs/decodesAnyBytesSafely/}
 * as a regression test; {@code http/fuzz.sh} fuzzes for real and drops what it finds there.
 *
 * <p>An input's last byte picks the limits (bit 0 clear: {@link HttpConfig#defaults()}; set:
 * {@link #SMALL}, which reaches 413, 414, 431, draining and the request limit with short inputs),
 * the byte before it how many cut points follow (0 to {@value #MAX_CUTS}, two bytes each, read
 * backwards), and everything before them is what the client sent, at most
 * {@value #MAX_INPUT_BYTES} bytes. So a corpus file is the raw request bytes followed by
 * {@code 00 00} (defaults) or {@code 00 01} (small limits).
 *
 * <p>The bytes go to a fresh codec three ways, as the engines would read them: whole, cut at the
 * fuzzer's points, and one byte per read, each in a differently made buffer (read-only heap with
 * guard bytes either side, direct, a heap slice that starts inside its array). Oracles:
 * <ol>
 *   <li>decode throws no exception but {@link HttpException}, whose reason is one of the codec's
 *       fixed phrases; the error response is made of fixed text only, never the client's bytes;
 *   <li>every accepted request has exactly one framing (none, Content-Length, chunked; never both,
 *       never two Content-Lengths, chunked only in HTTP/1.1), and its body, fields, trailers and
 *       end are the ones {@link ReferenceReader} finds in the same bytes;
 *   <li>the codec reads only its input: the position moves forward within the limit, the buffer is
 *       never written, decode returns {@code null} only when it consumed everything, and each
 *       request ends exactly at the last byte it consumed (a fresh codec given all but that byte has
 *       no request yet), so it never takes bytes of the next message;
 *   <li>all three ways of reading give the same requests, interim responses and error, in order.
 * </ol>
 */
class HttpParserFuzzTest {
    static final int MAX_INPUT_BYTES = 16 * 1024;
    static final int MAX_CUTS = 4;
    /** Small enough that short inputs reach every limit; a 413 for 33 to 64 bytes is drained. */
    static final HttpConfig SMALL = HttpConfig.defaults().withMaxRequestLineBytes(64)
            .withMaxHeaderBytes(256).withMaxHeaderCount(8).withMaxBodyBytes(32)
            .withMaxDrainBytes(64).withMaxRequestsPerConnection(4);
    private static final ConnectionInfo INFO = new ConnectionInfo(1,
            new InetSocketAddress("127.0.0.1", 50000), new InetSocketAddress("127.0.0.1", 8080));
    private static final DateCache DATES =
            new DateCache(InstantSource.fixed(Instant.parse("1994-11-06T08:49:37Z")));
    private static final byte[] CONTINUE =
            "HTTP/1.1 100 Continue\r\n\r\n".getBytes(StandardCharsets.US_ASCII);
    /** Bytes around the input in guarded buffers: a codec that read them would see a request. */
    private static final byte[] GUARD = "0\r\n\r\nGET /guard HTTP/1.1\r\nHost: guard\r\n\r\n"
            .getBytes(StandardCharsets.US_ASCII);
    /** Every reason the codec may give, so an error can never carry the client's bytes. */
    private static final Set<String> REASONS = Set.of(
            "Asterisk-form is for OPTIONS only", "Bare CR in chunk size line",
            "Bare CR in header section", "Bare CR in request line", "Bare LF in chunk size line",
            "Bare LF in header section", "Bare LF in request line",
            "Both Transfer-Encoding and Content-Length", "CONNECT not supported",
            "Chunk data not followed by CRLF", "Chunk extensions too long",
            "Chunk size line too long", "Chunked applied more than once",
            "Chunked is not the final transfer coding", "Content too large",
            "Control character in header section", "Duplicate Content-Length",
            "Duplicate Host header", "Empty header field name", "Encoded NUL in path",
            "Expectation not supported", "Fragment in request target", "HTTP version not supported",
            "Header section too large", "Invalid Content-Length", "Invalid HTTP version",
            "Invalid Host header", "Invalid Transfer-Encoding",
            "Invalid authority in request target", "Invalid character in request line",
            "Invalid character in request target", "Invalid chunk extension",
            "Invalid chunk size", "Invalid chunk size line", "Invalid header field name",
            "Invalid method", "Invalid percent-encoding in request target",
            "Invalid request line", "Invalid request target", "Method not implemented",
            "Missing Host header", "Obsolete line folding", "Request line too long",
            "Too many empty lines", "Too many header fields", "Transfer coding not implemented",
            "Transfer-Encoding in HTTP/1.0", "Userinfo in request target",
            "Whitespace before colon");

    private enum Buffers { GUARDED_READ_ONLY, DIRECT, SLICED_HEAP }

    /**
     * pom.xml turns Jazzer's instrumentation off for plain test runs (it only slows a replay), and
     * without it the fuzzer runs blind, without coverage; fuzz.sh turns it back on.
     */
    @BeforeAll
    static void refusesToFuzzWithoutCoverage() {
        String fuzz = System.getenv("JAZZER_FUZZ");
        boolean fuzzing = fuzz != null && !fuzz.isEmpty() || Boolean.getBoolean("jazzer.fuzz");
        if (fuzzing && "false".equals(System.getProperty("jazzer.hooks"))) {
            throw new IllegalStateException("fuzzing with jazzer.hooks=false has no coverage"
                    + " feedback: run http/fuzz.sh, or add -DjazzerHooks=true to mvn");
        }
    }

    @FuzzTest(maxDuration = "2m")
    void decodesAnyBytesSafely(FuzzedDataProvider data) {
        HttpConfig config = data.consumeBoolean() ? SMALL : HttpConfig.defaults();
        int[] cuts = new int[data.consumeInt(0, MAX_CUTS)];
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = data.consumeInt(0, MAX_INPUT_BYTES);
        }
        byte[] input = data.consumeRemainingAsBytes();
        if (input.length > MAX_INPUT_BYTES) {
            input = Arrays.copyOf(input, MAX_INPUT_BYTES);
        }
        for (int i = 0; i < cuts.length; i++) {
            cuts[i] = cuts[i] % (input.length + 1);
        }
        Arrays.sort(cuts);

        String whole = new Connection(config, input, Buffers.GUARDED_READ_ONLY).feed(new int[0]);
        String split = new Connection(config, input, Buffers.DIRECT).feed(cuts);
        int[] everyByte = new int[Math.max(input.length - 1, 0)];
        Arrays.setAll(everyByte, i -> i + 1);
        String bytewise = new Connection(config, input, Buffers.SLICED_HEAP).feed(everyByte);

        check(split.equals(whole), () -> "cut at " + Arrays.toString(cuts) + ": got\n" + split
                + "\nwant (fed whole)\n" + whole);
        check(bytewise.equals(whole), () -> "fed byte by byte: got\n" + bytewise
                + "\nwant (fed whole)\n" + whole);
    }

    /** One connection's codec, fed as an engine would, checking every oracle as it goes. */
    private static final class Connection {
        private final HttpConfig config;
        private final byte[] input;
        private final Buffers buffers;
        private final Codec<HttpRequest, HttpResponse> codec;
        private final Sink out = new Sink();
        private final StringBuilder transcript = new StringBuilder();
        /** Bytes of the input the codec has consumed: the next read starts its buffer there. */
        private int consumed;
        /** Where the message being decoded began, empty lines and drained requests included. */
        private int messageStart;
        /** A refused request was drained since {@link #messageStart}: its bytes come first. */
        private boolean drained;
        private boolean closed;

        Connection(HttpConfig config, byte[] input, Buffers buffers) {
            this.config = config;
            this.input = input;
            this.buffers = buffers;
            this.codec = newCodec(config);
        }

        /** Reads the input cut at {@code cuts} (ascending); returns what happened, in order. */
        String feed(int[] cuts) {
            for (int cut : cuts) {
                read(cut);
            }
            read(input.length);
            if (!closed) {
                transcript.append("open ").append(codec.progress()).append('\n');
            }
            return transcript.toString();
        }

        /** One read: the bytes not yet consumed up to {@code to}, decoded until null or close. */
        private void read(int to) {
            if (closed || to <= consumed) {
                return;
            }
            int length = to - consumed;
            int offset = buffers == Buffers.DIRECT ? 0 : GUARD.length;
            byte[] backing = new byte[offset + length + offset];
            if (offset > 0) {
                System.arraycopy(GUARD, 0, backing, 0, offset);
                System.arraycopy(GUARD, 0, backing, offset + length, offset);
            }
            System.arraycopy(input, consumed, backing, offset, length);
            byte[] before = backing.clone();
            ByteBuffer in = switch (buffers) {
                case GUARDED_READ_ONLY -> ByteBuffer.wrap(backing, offset, length).asReadOnlyBuffer();
                case DIRECT -> ByteBuffer.allocateDirect(length).put(backing).flip();
                case SLICED_HEAP -> ByteBuffer.wrap(backing, offset, length).slice();
            };
            int limit = in.limit();
            while (!closed) {
                int position = in.position();
                int written = out.size();
                HttpRequest request;
                try {
                    request = codec.decode(in, out);
                } catch (ProtocolException e) {
                    consumed += in.position() - position;
                    refused(e, written);
                    break;
                }
                int moved = in.position() - position;
                check(in.limit() == limit && moved >= 0 && in.position() <= limit, () -> "buffer after"
                        + " decode: position " + in.position() + ", limit " + in.limit()
                        + "; want position in [" + position + ", " + limit + "], limit " + limit);
                consumed += moved;
                byte[] interim = out.from(written);
                if (request == null) {
                    check(!in.hasRemaining(), () -> "decode returned null with " + in.remaining()
                            + " bytes unconsumed");
                    interim(interim);
                    break;
                }
                accepted(request, interim);
            }
            check(Arrays.equals(backing, before), () -> "decode wrote into its input buffer");
        }

        private void accepted(HttpRequest request, byte[] interim) {
            interim(interim);
            check(codec.progress() == Progress.BETWEEN_MESSAGES,
                    () -> "progress after a request: got " + codec.progress() + "; want BETWEEN_MESSAGES");
            byte[] message = Arrays.copyOfRange(input, messageStart, consumed);
            messageStart = consumed;
            String description = describe(request);
            endsExactly(message, description);
            if (!drained) {
                agreesWithReference(message, request);
            }
            drained = false;
            boolean keep = codec.encode(HttpResponse.ok("ok\n"), out, false);
            transcript.append(description).append(keep ? "keep\n" : "close\n");
            closed = !keep;
        }

        /** A fresh codec has no request one byte short of this message, and this one at its end. */
        private void endsExactly(byte[] message, String description) {
            Codec<HttpRequest, HttpResponse> fresh = newCodec(config);
            ByteBuffer allButLast = ByteBuffer.wrap(message, 0, message.length - 1);
            ByteBuffer last = ByteBuffer.wrap(message, message.length - 1, 1);
            try {
                HttpRequest early = fresh.decode(allButLast, new Sink());
                check(early == null, () -> "a request " + (message.length - 1 - allButLast.remaining())
                        + " bytes into a " + message.length + "-byte message; want one at its end");
                HttpRequest again = fresh.decode(last, new Sink());
                check(again != null && !last.hasRemaining() && describe(again).equals(description),
                        () -> "the " + message.length + " bytes the codec consumed for a request, fed"
                                + " to a fresh codec: got " + (again == null ? "no request" : describe(again))
                                + "; want\n" + description);
            } catch (ProtocolException e) {
                throw new AssertionError("the bytes of an accepted request, fed to a fresh codec: got "
                        + e.code() + " " + e.reason() + "; want the same request", e);
            }
        }

        private void agreesWithReference(byte[] message, HttpRequest request) {
            ReferenceReader.Message ref = ReferenceReader.read(message);
            check((ref.contentLengths() == 0 || ref.transferEncodings() == 0)
                            && ref.contentLengths() <= 1,
                    () -> "accepted a request with " + ref.contentLengths() + " Content-Length and "
                            + ref.transferEncodings() + " Transfer-Encoding field lines");
            check(ref.transferEncodings() == 0 || request.version().equals("HTTP/1.1"),
                    () -> "accepted chunked framing in " + request.version());
            check(ref.end() == message.length, () -> "the codec consumed " + message.length
                    + " bytes for a request whose framing ends it at " + ref.end());
            check(ref.requestLine().startsWith(request.method() + " " + request.target() + " "),
                    () -> "request line: got " + request + "; want " + ref.requestLine());
            check(same(ref.fields(), request.headers()), () -> "fields: got " + request.headers()
                    + "; want " + text(ref.fields()));
            check(same(ref.trailers(), request.trailers()), () -> "trailers: got "
                    + request.trailers() + "; want " + text(ref.trailers()));
            check(Arrays.equals(ref.body(), request.body()), () -> "body: got "
                    + request.body().length + " bytes; want " + ref.body().length);
            check(request.body().length <= config.maxBodyBytes(), () -> "body of "
                    + request.body().length + " bytes over the limit " + config.maxBodyBytes());
        }

        /** Checks what decode wrote besides requests: 100 Continue, or a refusal before a drain. */
        private void interim(byte[] bytes) {
            for (Responses.Response r : Responses.parse(bytes, List.of())) {
                // One line per response: how they group into decode calls depends on the reads.
                transcript.append("interim ").append(r.head()).append(r.bodyText()).append('\n');
                if (r.status() == 100) {
                    check(r.head().equals(new String(CONTINUE, StandardCharsets.US_ASCII)),
                            () -> "100 response: got " + r.head());
                    continue;
                }
                drained = true;
                String connection = r.header("Connection");
                check((r.status() == 413 || r.status() == 417) && REASONS.contains(reason(r))
                                && (connection == null || connection.equals("keep-alive"))
                                && "Sluice".equals(r.header("Server"))
                                && r.fields().size() == (connection == null ? 4 : 5),
                        () -> "interim response: got " + r.head() + r.bodyText()
                                + "; want a kept-alive 413 or 417 with a fixed reason");
            }
        }

        private void refused(ProtocolException e, int written) {
            check(e instanceof HttpException, () -> "decode threw " + e.getClass().getName()
                    + "; want HttpException");
            check(REASONS.contains(e.reason()), () -> "error reason: got \"" + e.reason()
                    + "\"; want one of the codec's fixed phrases");
            interim(out.from(written));
            int before = out.size();
            codec.encodeError(e, out);
            List<Responses.Response> rs = Responses.parse(out.from(before), List.of());
            check(rs.size() == 1 && rs.get(0).status() == e.code()
                            && "close".equals(rs.get(0).header("Connection"))
                            && reason(rs.get(0)).equals(e.reason()) && "Sluice".equals(rs.get(0).header("Server"))
                            && rs.get(0).fields().size() == 5,
                    () -> "error response: got " + out.text(before) + "; want " + e.code() + " "
                            + e.reason() + " and Connection: close, fixed fields only");
            transcript.append("error ").append(e.code()).append(' ').append(e.reason()).append('\n');
            closed = true;
        }
    }

    /** A codec made as the engines make one; the handler is never called, the test encodes. */
    private static Codec<HttpRequest, HttpResponse> newCodec(HttpConfig config) {
        return HttpProtocol.create(config, request -> HttpResponse.ok("ok\n"), DATES).newCodec(INFO);
    }

    /** The request as a handler would see it, through every accessor, so they are exercised too. */
    static String describe(HttpRequest r) {
        StringBuilder sb = new StringBuilder(Echo.describe(r));
        sb.append("raw=").append(r.rawPath()).append(" params=").append(r.queryParams()).append('\n');
        return sb.toString();
    }

    private static String reason(Responses.Response r) {
        String body = r.bodyText();
        return body.endsWith("\n") ? body.substring(0, body.length() - 1) : body;
    }

    private static boolean same(List<String[]> want, Headers got) {
        if (want.size() != got.size()) {
            return false;
        }
        for (int i = 0; i < want.size(); i++) {
            if (!want.get(i)[0].equals(got.name(i)) || !want.get(i)[1].equals(got.value(i))) {
                return false;
            }
        }
        return true;
    }

    private static String text(List<String[]> fields) {
        return fields.stream().map(f -> f[0] + ": " + f[1]).toList().toString();
    }

    private static void check(boolean ok, Supplier<String> message) {
        if (!ok) {
            throw new AssertionError(message.get());
        }
    }

    /** An {@link Output} that keeps every byte and hands out what was written since a point. */
    private static final class Sink implements Output {
        private byte[] bytes = new byte[256];
        private int size;

        @Override
        public void write(byte[] b, int off, int len) {
            if (size + len > bytes.length) {
                bytes = Arrays.copyOf(bytes, Math.max(bytes.length * 2, size + len));
            }
            System.arraycopy(b, off, bytes, size, len);
            size += len;
        }

        @Override
        public void write(ByteBuffer buffer) {
            byte[] copy = new byte[buffer.remaining()];
            buffer.get(copy);
            write(copy, 0, copy.length);
        }

        @Override
        public void transfer(FileChannel file, long position, long count) {
            throw new AssertionError("the codec transferred a file while decoding");
        }

        int size() {
            return size;
        }

        byte[] from(int at) {
            return Arrays.copyOfRange(bytes, at, size);
        }

        String text(int at) {
            return new String(from(at), StandardCharsets.ISO_8859_1);
        }
    }
}
