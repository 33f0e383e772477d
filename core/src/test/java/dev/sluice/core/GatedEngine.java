package dev.sluice.core;

import java.nio.ByteBuffer;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.atomic.AtomicInteger;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * A server {@link SSLEngine} whose delegated tasks (the key exchange and signature) wait for a
 * gate before they run: a handshake that costs as long as a test likes. For an engine that hands
 * out no tasks (Conscrypt, whose first unwrap does that work), its first unwrap waits instead.
 * Everything else is the wrapped engine's.
 */
final class GatedEngine extends SSLEngine {
    /** Opens the gates of every engine made with it; counts the tasks waiting at them. */
    static final class Gate {
        final CountDownLatch open = new CountDownLatch(1);
        final AtomicInteger waiting = new AtomicInteger();

        /** A factory of engines of {@code inner}'s whose tasks wait for this gate. */
        TlsEngineFactory around(TlsEngineFactory inner) {
            return (host, port) -> new GatedEngine(inner.newEngine(host, port), this, false);
        }

        /** A factory of engines of {@code inner}'s whose first unwrap waits for this gate. */
        TlsEngineFactory aroundFirstUnwrap(TlsEngineFactory inner) {
            return (host, port) -> new GatedEngine(inner.newEngine(host, port), this, true);
        }

        private void pass() {
            waiting.incrementAndGet();
            try {
                open.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } finally {
                waiting.decrementAndGet();
            }
        }

        void open() {
            open.countDown();
        }
    }

    private final SSLEngine inner;
    private final Gate gate;
    private boolean gateNextUnwrap;

    private GatedEngine(SSLEngine inner, Gate gate, boolean gateFirstUnwrap) {
        this.inner = inner;
        this.gate = gate;
        this.gateNextUnwrap = gateFirstUnwrap;
    }

    @Override
    public Runnable getDelegatedTask() {
        Runnable task = inner.getDelegatedTask();
        if (task == null) {
            return null;
        }
        return () -> {
            gate.pass();
            task.run();
        };
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
        return inner.wrap(srcs, offset, length, dst);
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
        if (gateNextUnwrap && src.hasRemaining()) {
            gateNextUnwrap = false;
            gate.pass();
        }
        return inner.unwrap(src, dsts, offset, length);
    }

    @Override
    public void closeInbound() throws SSLException {
        inner.closeInbound();
    }

    @Override
    public boolean isInboundDone() {
        return inner.isInboundDone();
    }

    @Override
    public void closeOutbound() {
        inner.closeOutbound();
    }

    @Override
    public boolean isOutboundDone() {
        return inner.isOutboundDone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return inner.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return inner.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        inner.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return inner.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return inner.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        inner.setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
        return inner.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return inner.getHandshakeSession();
    }

    @Override
    public void beginHandshake() throws SSLException {
        inner.beginHandshake();
    }

    @Override
    public SSLEngineResult.HandshakeStatus getHandshakeStatus() {
        return inner.getHandshakeStatus();
    }

    @Override
    public void setUseClientMode(boolean mode) {
        inner.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return inner.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        inner.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return inner.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        inner.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return inner.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        inner.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return inner.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return inner.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters params) {
        inner.setSSLParameters(params);
    }

    @Override
    public String getApplicationProtocol() {
        return inner.getApplicationProtocol();
    }
}
