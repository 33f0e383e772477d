/**
 * The TLS implementation {@code tcnative}: server engines from BoringSSL through Netty's
 * {@code netty-tcnative}, offered to {@code dev.sluice.tls} as a {@link dev.sluice.tls.TlsImplementation}.
 */
module dev.sluice.tls.tcnative {
    requires dev.sluice.tls;
    requires io.netty.handler;
    requires io.netty.buffer;
    provides dev.sluice.tls.TlsImplementation with dev.sluice.tls.tcnative.TcnativeTls;
}
