package dev.sluice.bench.peers;

import io.netty.bootstrap.ServerBootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.PooledByteBufAllocator;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelFutureListener;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.ServerChannel;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollServerSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioServerSocketChannel;
import io.netty.handler.codec.http.DefaultFullHttpResponse;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpHeaderNames;
import io.netty.handler.codec.http.HttpHeaderValues;
import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpServerCodec;
import io.netty.handler.codec.http.HttpUtil;
import io.netty.handler.codec.http.HttpVersion;
import io.netty.handler.ssl.OpenSsl;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import io.netty.handler.stream.ChunkedWriteHandler;
import io.netty.util.AsciiString;
import io.netty.util.ReferenceCountUtil;
import io.netty.util.ResourceLeakDetector;
import io.netty.util.concurrent.DefaultEventExecutorGroup;
import io.netty.util.concurrent.EventExecutorGroup;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLException;

/**
 * Netty 4.2 on the epoll (native) or NIO transport, after Netty's TechEmpower plaintext entry: one
 * event loop (the server gets one core) that accepts and serves, the pooled allocator, leak detection
 * off, {@link HttpServerCodec} then one handler that writes a response built from pre-encoded
 * header values and a shared body, and flushes once per read batch ({@code channelReadComplete}), so
 * pipelined requests leave in one write. Unlike that entry it honours {@code Connection: close}
 * (answers it and closes), which the connection-per-request scenario needs.
 *
 * <p>Blocking work ({@code --sleep-ms}): the handler is added with a {@link DefaultEventExecutorGroup}
 * of {@link Peers#BLOCKING_THREADS} threads, as the {@code ChannelPipeline} Javadoc recommends, so it
 * sleeps there instead of on the event loop; each connection stays on one of those threads, in order.
 * Netty has no connection limit of its own.
 *
 * <p>HTTPS ({@code --tls-cert}): an {@link io.netty.handler.ssl.SslHandler} first in each pipeline,
 * from one {@link SslContext} of the chosen provider: the JDK's {@code SSLEngine} or OpenSSL
 * (netty-tcnative-boringssl-static), TLSv1.3 only, TLS_AES_128_GCM_SHA256 asked for (BoringSSL does
 * not let TLS 1.3 suites be chosen: the client's offer decides there), session tickets as the
 * provider's defaults have them. Delegated tasks run on the event loop (Netty's default).
 *
 * <p>Files ({@code --root}): {@link NettyFiles}, after {@link ChunkedWriteHandler}.
 */
final class NettyPeer {
    private static final AsciiString SERVER = AsciiString.cached("netty");
    private static final AsciiString TEXT_PLAIN = AsciiString.cached("text/plain");
    private static final AsciiString LENGTH = AsciiString.cached(String.valueOf(Peers.BODY_BYTES.length));
    private static final ByteBuf BODY = Unpooled.unreleasableBuffer(
            Unpooled.directBuffer(Peers.BODY_BYTES.length).writeBytes(Peers.BODY_BYTES)).asReadOnly();

    private NettyPeer() {
    }

    static Peers.Running start(Peers.PeerConfig config, boolean epoll) throws InterruptedException, SSLException {
        ResourceLeakDetector.setLevel(ResourceLeakDetector.Level.DISABLED);
        Peers.noConnectionLimit(epoll ? "netty-epoll" : "netty-nio", config);
        if (epoll) {
            Epoll.ensureAvailability(); // fail loudly rather than measure NIO under the epoll name
        }
        EventLoopGroup group = new MultiThreadIoEventLoopGroup(1,
                epoll ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        Class<? extends ServerChannel> channel = epoll ? EpollServerSocketChannel.class : NioServerSocketChannel.class;
        EventExecutorGroup blocking = config.blocking() ? new DefaultEventExecutorGroup(Peers.BLOCKING_THREADS) : null;
        HttpDate date = new HttpDate();
        group.scheduleAtFixedRate(date::refresh, 1000, 1000, TimeUnit.MILLISECONDS);
        SslContext tls = config.tls() == null ? null : sslContext(config.tls());

        Channel server = new ServerBootstrap()
                .group(group)
                .channel(channel)
                .option(ChannelOption.SO_BACKLOG, 4096)
                .option(ChannelOption.SO_REUSEADDR, true)
                .childOption(ChannelOption.ALLOCATOR, PooledByteBufAllocator.DEFAULT)
                .childOption(ChannelOption.TCP_NODELAY, true)
                .childHandler(pipeline(date, blocking, config, tls))
                .bind("127.0.0.1", config.port())
                .sync()
                .channel();
        return new Peers.Running(((InetSocketAddress) server.localAddress()).getPort(), () -> {
            server.close().sync();
            group.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
            if (blocking != null) {
                blocking.shutdownGracefully(0, 5, TimeUnit.SECONDS).sync();
            }
        });
    }

    /** TLSv1.3 with the provider named in {@code tls}; fails loudly if OpenSSL cannot load. */
    private static SslContext sslContext(Peers.Tls tls) throws SSLException {
        SslProvider provider = switch (tls.provider()) {
            case "openssl" -> {
                OpenSsl.ensureAvailability(); // rather than measure the JDK under the openssl name
                yield SslProvider.OPENSSL;
            }
            default -> SslProvider.JDK;
        };
        return SslContextBuilder.forServer(tls.cert().toFile(), tls.key().toFile())
                .sslProvider(provider)
                .protocols("TLSv1.3")
                .ciphers(List.of("TLS_AES_128_GCM_SHA256"))
                .build();
    }

    /**
     * TLS when there is a context, the codec, then the handler: the plaintext answer on the event
     * loop or on {@code blocking} when there is one, or files from the root.
     */
    private static ChannelInitializer<SocketChannel> pipeline(HttpDate date, EventExecutorGroup blocking,
                                                              Peers.PeerConfig config, SslContext tls) {
        return new ChannelInitializer<>() {
            @Override
            protected void initChannel(SocketChannel ch) {
                if (tls != null) {
                    ch.pipeline().addLast("tls", tls.newHandler(ch.alloc()));
                }
                ch.pipeline().addLast("codec", new HttpServerCodec());
                if (config.root() != null) {
                    ch.pipeline().addLast("chunked", new ChunkedWriteHandler());
                    ch.pipeline().addLast("files", new NettyFiles(config.root(), date, SERVER, tls != null));
                } else if (blocking == null) {
                    ch.pipeline().addLast("handler", new Handler(date, 0));
                } else {
                    ch.pipeline().addLast(blocking, "handler", new Handler(date, config.sleepMs()));
                }
            }
        };
    }

    /** Answers each request; runs on the event loop, or on a blocking thread with a sleep. */
    private static final class Handler extends ChannelInboundHandlerAdapter {
        private final HttpDate date;
        private final int sleepMs;

        Handler(HttpDate date, int sleepMs) {
            this.date = date;
            this.sleepMs = sleepMs;
        }

        @Override
        public void channelRead(ChannelHandlerContext ctx, Object msg) throws InterruptedException {
            if (!(msg instanceof HttpRequest request)) {
                ReferenceCountUtil.release(msg); // LastHttpContent of a GET: nothing to do
                return;
            }
            ReferenceCountUtil.release(msg);
            if (sleepMs > 0) {
                Thread.sleep(sleepMs);
            }
            FullHttpResponse response = new DefaultFullHttpResponse(HttpVersion.HTTP_1_1, HttpResponseStatus.OK,
                    BODY.duplicate(), false);
            HttpHeaders headers = response.headers();
            headers.set(HttpHeaderNames.CONTENT_TYPE, TEXT_PLAIN);
            headers.set(HttpHeaderNames.SERVER, SERVER);
            headers.set(HttpHeaderNames.DATE, date.value());
            headers.set(HttpHeaderNames.CONTENT_LENGTH, LENGTH);
            if (!HttpUtil.isKeepAlive(request)) {
                headers.set(HttpHeaderNames.CONNECTION, HttpHeaderValues.CLOSE);
                ctx.writeAndFlush(response).addListener(ChannelFutureListener.CLOSE);
            } else {
                ctx.write(response, ctx.voidPromise());
            }
        }

        @Override
        public void channelReadComplete(ChannelHandlerContext ctx) {
            ctx.flush();
        }

        @Override
        public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
            ctx.close();
        }
    }
}
