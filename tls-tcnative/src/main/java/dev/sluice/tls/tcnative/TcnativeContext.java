package dev.sluice.tls.tcnative;

import io.netty.buffer.ByteBufAllocator;
import io.netty.handler.ssl.SslContext;
import java.security.KeyManagementException;
import java.security.Provider;
import java.security.SecureRandom;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLContextSpi;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLServerSocketFactory;
import javax.net.ssl.SSLSessionContext;
import javax.net.ssl.SSLSocketFactory;
import javax.net.ssl.TrustManager;

/**
 * A JDK {@link SSLContext} over one of Netty's server contexts: engines and the session context
 * only, which is all a Sluice transport asks of a context. Made initialized; no sockets.
 */
final class TcnativeContext extends SSLContext {
    static final Provider PROVIDER = new OneKeyManager.TcnativeProvider();

    TcnativeContext(SslContext netty) {
        super(new Spi(netty), PROVIDER, "TLS");
    }

    /** What {@link SSLContext} delegates to. */
    private static final class Spi extends SSLContextSpi {
        private final SslContext netty;

        Spi(SslContext netty) {
            this.netty = netty;
        }

        @Override
        protected void engineInit(KeyManager[] keys, TrustManager[] trust, SecureRandom random)
                throws KeyManagementException {
            throw new KeyManagementException("a tcnative context is made initialized: make a new one");
        }

        @Override
        protected SSLEngine engineCreateSSLEngine() {
            return new TcnativeEngine(netty.newEngine(ByteBufAllocator.DEFAULT));
        }

        @Override
        protected SSLEngine engineCreateSSLEngine(String host, int port) {
            return new TcnativeEngine(netty.newEngine(ByteBufAllocator.DEFAULT, host, port));
        }

        @Override
        protected SSLSessionContext engineGetServerSessionContext() {
            return netty.sessionContext();
        }

        @Override
        protected SSLSessionContext engineGetClientSessionContext() {
            return null; // a server context
        }

        @Override
        protected SSLParameters engineGetDefaultSSLParameters() {
            SSLEngine e = engineCreateSSLEngine();
            try {
                return e.getSSLParameters();
            } finally {
                free(e);
            }
        }

        @Override
        protected SSLParameters engineGetSupportedSSLParameters() {
            SSLEngine e = engineCreateSSLEngine();
            try {
                return new SSLParameters(e.getSupportedCipherSuites(), e.getSupportedProtocols());
            } finally {
                free(e);
            }
        }

        /** Closing both ways frees an engine's native state now, not when it is collected. */
        private static void free(SSLEngine e) {
            e.closeOutbound();
            try {
                e.closeInbound();
            } catch (javax.net.ssl.SSLException ignored) {
                // Never opened: nothing was owed.
            }
        }

        @Override
        protected SSLSocketFactory engineGetSocketFactory() {
            throw new UnsupportedOperationException("tcnative makes engines only, not sockets");
        }

        @Override
        protected SSLServerSocketFactory engineGetServerSocketFactory() {
            throw new UnsupportedOperationException("tcnative makes engines only, not sockets");
        }
    }
}
