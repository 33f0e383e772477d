package dev.sluice.bench.peers;

import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.DefaultFileRegion;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.DefaultHttpResponse;
import io.netty.handler.codec.http.HttpChunkedInput;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponse;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.codec.http.LastHttpContent;
import io.netty.handler.stream.ChunkedFile;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Netty's files for {@code --root}, as its {@code HttpStaticFileServerHandler} example sends them: a
 * head with {@code Content-Length}, then a {@link DefaultFileRegion} (sendfile) in plain HTTP, or a
 * {@link ChunkedFile} of 8 KiB chunks through {@code ChunkedWriteHandler} under TLS, where the bytes
 * must pass through the {@code SslHandler}. {@code GET /NAME} answers {@code ROOT/NAME}; a name that
 * leaves the root or is not a regular file gets 404. No caching, ranges or listings: it serves the
 * 1 MiB file of the benchmarks. Runs on the event loop; one instance per connection.
 */
final class NettyFiles extends ChannelInboundHandlerAdapter {
    private static final AsciiString OCTET_STREAM = AsciiString.cached("application/octet-stream");
    private static final int CHUNK_BYTES = 8192; // the example's

    private final Path root;
    private final HttpDate date;
    private final AsciiString server;
    private final boolean tls;

    NettyFiles(Path root, HttpDate date, AsciiString server, boolean tls) {
        this.root = root.toAbsolutePath().normalize();
        this.date = date;
        this.server = server;
        this.tls = tls;
    }

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) throws IOException {
        if (!(msg instanceof HttpRequest request)) {
            ReferenceCountUtil.release(msg); // LastHttpContent of a GET
            return;
        }
        ReferenceCountUtil.release(msg);
        boolean keepAlive = HttpUtil.isKeepAlive(request);
        String name = request.uri().split("[?#]", 2)[0];
        Path file = root.resolve(name.startsWith("/") ? name.substring(1) : name).normalize();
        ChannelFuture last;
        if (!file.startsWith(root) || !Files.isRegularFile(file)) {
            HttpResponse notFound = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.NOT_FOUND);
            head(notFound, 0, keepAlive);
            last = ctx.writeAndFlush(notFound);
        } else {
            RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r");
            long length = raf.length();
            HttpResponse response = new DefaultHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK);
            head(response, length, keepAlive);
            ctx.write(response, ctx.voidPromise());
            if (tls) {
                last = ctx.writeAndFlush(new HttpChunkedInput(new ChunkedFile(raf, 0, length, CHUNK_BYTES)));
            } else {
                ctx.write(new DefaultFileRegion(raf.getChannel(), 0, length), ctx.voidPromise());
                last = ctx.writeAndFlush(LastHttpContent.EMPTY_LAST_CONTENT);
            }
        }
        if (!keepAlive) {
            last.addListener(ChannelFutureListener.CLOSE);
        }
    }

    private void head(HttpResponse response, long length, boolean keepAlive) {
        response.headers()
                .set(HttpHeaderNames.CONTENT_TYPE, OCTET_STREAM)
                .set(HttpHeaderNames.SERVER, server)
                .set(HttpHeaderNames.DATE, date.value())
                .set(HttpHeaderNames.CONTENT_LENGTH, length);
        if (!keepAlive) {
            response.headers().set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        ctx.close();
    }
}
