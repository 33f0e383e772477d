package dev.sluice.http;

import dev.sluice.core.Engine;
import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import java.io.InputStream;
import java.util.Arrays;

/**
 * A server in a process of its own, for {@link StreamingMemoryIT}: {@code POST /upload} reads the
 * body as a stream and answers how many bytes it read; {@code GET /stream?bytes=N} answers N bytes
 * made as they are sent. Prints {@code port N} once listening; runs until killed.
 */
public final class StreamingServerMain {
    private StreamingServerMain() {
    }

    public static void main(String[] args) throws Exception {
        Engine engine = Engine.valueOf(args[0]);
        HttpHandler handler = request -> switch (request.path()) {
            case "/upload" -> {
                long n = request.bodyStream().transferTo(java.io.OutputStream.nullOutputStream());
                yield HttpResponse.ok(Long.toString(n));
            }
            case "/stream" -> HttpResponse.status(200).withBody(
                    new Zeros(Long.parseLong(request.queryParams().get("bytes").get(0))));
            default -> HttpResponse.text(404, "no\n");
        };
        ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withEngine(engine);
        HttpConfig http = HttpConfig.defaults().withMaxBodyBytes(4L << 30);
        Server server = Server.create(config, HttpProtocol.create(http, handler)).start();
        System.out.println("port " + server.port());
        System.out.flush();
        server.awaitShutdown();
    }

    /** {@code n} bytes of 'z', made as they are read, holding nothing. */
    static final class Zeros extends InputStream {
        private long left;

        Zeros(long n) {
            this.left = n;
        }

        @Override
        public int read() {
            if (left == 0) {
                return -1;
            }
            left--;
            return 'z';
        }

        @Override
        public int read(byte[] b, int off, int len) {
            if (left == 0) {
                return -1;
            }
            int n = (int) Math.min(len, left);
            Arrays.fill(b, off, off + n, (byte) 'z');
            left -= n;
            return n;
        }
    }
}
