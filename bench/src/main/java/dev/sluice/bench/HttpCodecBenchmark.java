package dev.sluice.bench;

import dev.sluice.core.Codec;
import dev.sluice.core.ConnectionInfo;
import dev.sluice.core.Output;
import dev.sluice.http.HttpHandler;
import dev.sluice.http.HttpProtocol;
import dev.sluice.http.HttpRequest;
import dev.sluice.http.HttpResponse;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The HTTP/1.1 codec on one core, without sockets: requests decoded per second (and decoded plus
 * answered), for the TechEmpower plaintext request and for a typical browser request. The bytes
 * come from a direct buffer, as the event loop's reads do.
 *
 * <pre>
 * java -jar bench/target/benchmarks.jar HttpCodecBenchmark
 * </pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(value = 1, jvmArgsAppend = {"-XX:ActiveProcessorCount=1"})
public class HttpCodecBenchmark {
    /** The request wrk sends in TechEmpower's plaintext test. */
    static final String PLAINTEXT = "GET /plaintext HTTP/1.1\r\n"
            + "Host: tfb-server:8080\r\n"
            + "Accept: text/plain,text/html;q=0.9,application/xhtml+xml;q=0.9,application/xml;q=0.8,*/*;q=0.7\r\n"
            + "Connection: keep-alive\r\n\r\n";

    /** What a current desktop browser sends for a page. */
    static final String BROWSER = "GET /docs/guide/index.html?lang=en&theme=dark HTTP/1.1\r\n"
            + "Host: www.example.com\r\n"
            + "Connection: keep-alive\r\n"
            + "sec-ch-ua: \"Chromium\";v=\"131\", \"Not_A Brand\";v=\"24\"\r\n"
            + "sec-ch-ua-mobile: ?0\r\n"
            + "sec-ch-ua-platform: \"Linux\"\r\n"
            + "Upgrade-Insecure-Requests: 1\r\n"
            + "User-Agent: Mozilla/5.0 (X11; Linux x86_64) AppleWebKit/537.36 (KHTML, like Gecko) "
            + "Chrome/131.0.0.0 Safari/537.36\r\n"
            + "Accept: text/html,application/xhtml+xml,application/xml;q=0.9,image/avif,image/webp,"
            + "image/apng,*/*;q=0.8,application/signed-exchange;v=b3;q=0.7\r\n"
            + "Sec-Fetch-Site: same-origin\r\n"
            + "Sec-Fetch-Mode: navigate\r\n"
            + "Sec-Fetch-User: ?1\r\n"
            + "Sec-Fetch-Dest: document\r\n"
            + "Referer: https://www.example.com/docs/\r\n"
            + "Accept-Encoding: gzip, deflate, br, zstd\r\n"
            + "Accept-Language: en-GB,en;q=0.9,de;q=0.8\r\n"
            + "Cookie: session=4f1d2c3b9a8e7f6d5c4b3a2918273645; theme=dark; consent=yes\r\n"
            + "If-None-Match: \"18eb5f07169727e5-6\"\r\n\r\n";

    @Param({"plaintext", "browser"})
    public String request;

    private Codec<HttpRequest, HttpResponse> codec;
    private ByteBuffer bytes;
    private final HttpResponse hello = HttpResponse.ok("Hello, World!");
    private final Output discard = new Output() {
        private long sink;

        @Override
        public void write(byte[] b, int off, int len) {
            sink += len;
        }

        @Override
        public void write(ByteBuffer buffer) {
            sink += buffer.remaining();
            buffer.position(buffer.limit());
        }

        @Override
        public void transfer(FileChannel file, long position, long count) {
            sink += count;
        }
    };

    @Setup
    public void setUp() {
        HttpResponse response = hello;
        codec = HttpProtocol.create(HttpHandler.nonBlocking(r -> response)).newCodec(
                new ConnectionInfo(1, new InetSocketAddress("127.0.0.1", 40000),
                        new InetSocketAddress("127.0.0.1", 8080)));
        byte[] raw = (request.equals("plaintext") ? PLAINTEXT : BROWSER).getBytes(StandardCharsets.US_ASCII);
        bytes = ByteBuffer.allocateDirect(raw.length).put(raw).flip();
    }

    /** Decodes one request. */
    @Benchmark
    public HttpRequest decode() throws Exception {
        bytes.rewind();
        return codec.decode(bytes, discard);
    }

    /** Decodes one request and encodes the plaintext answer to it, as a keep-alive exchange does. */
    @Benchmark
    public boolean exchange() throws Exception {
        bytes.rewind();
        codec.decode(bytes, discard);
        return codec.encode(hello, discard, false);
    }
}
