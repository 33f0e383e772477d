package dev.sluice.tls.tcnative;

import java.nio.ByteBuffer;
import java.util.List;
import java.util.function.BiFunction;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.SSLSession;

/**
 * One of Netty's OpenSSL engines, keeping {@link SSLEngine}'s contract where Netty's does not:
 * a failed handshake throws (see {@link #further}), and the unwrap that completes a handshake says
 * {@link HandshakeStatus#FINISHED}. Netty's engine
 * checks the handshake before it reads the bytes it is given, so the unwrap of the client's
 * Finished leaves it {@code NEED_UNWRAP} and only the next call, whenever the client next sends
 * something, says {@code FINISHED}. Until then a transport would count the connection as still
 * in its handshake (under the handshake deadline, not the idle timeout). Here an unwrap that
 * read handshake bytes and still needs more asks once again, with nothing, and reports what that
 * says. Everything else is passed through.
 */
final class TcnativeEngine extends SSLEngine {
    private static final ByteBuffer NOTHING = ByteBuffer.allocate(0);
    /** Bound on the wraps {@link #further} adds to one: a TLS 1.3 server flight is at most a few records. */
    private static final int MAX_FURTHER_WRAPS = 8;
    private final SSLEngine netty;

    TcnativeEngine(SSLEngine netty) {
        super(netty.getPeerHost(), netty.getPeerPort());
        this.netty = netty;
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
        return again(netty.unwrap(src, dst), dst);
    }

    @Override
    public SSLEngineResult unwrap(ByteBuffer src, ByteBuffer[] dsts, int offset, int length) throws SSLException {
        SSLEngineResult r = netty.unwrap(src, dsts, offset, length);
        return again(r, r.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP ? dsts[offset] : null);
    }

    /** {@code r}, or, when it read handshake bytes and still needs more, what an unwrap of nothing says. */
    private SSLEngineResult again(SSLEngineResult r, ByteBuffer dst) throws SSLException {
        if (r.getStatus() != SSLEngineResult.Status.OK || r.getHandshakeStatus() != HandshakeStatus.NEED_UNWRAP
                || r.bytesConsumed() == 0) {
            return r;
        }
        SSLEngineResult next = netty.unwrap(NOTHING, dst);
        if (next.getHandshakeStatus() == HandshakeStatus.NEED_UNWRAP) {
            return r;
        }
        return new SSLEngineResult(r.getStatus(), next.getHandshakeStatus(), r.bytesConsumed(),
                r.bytesProduced() + next.bytesProduced());
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer src, ByteBuffer dst) throws SSLException {
        return further(netty.wrap(src, dst), dst);
    }

    @Override
    public SSLEngineResult wrap(ByteBuffer[] srcs, int offset, int length, ByteBuffer dst) throws SSLException {
        return further(netty.wrap(srcs, offset, length, dst), dst);
    }

    /**
     * {@code r}, or, when it wrote handshake bytes and says there are more, those wrapped too. A
     * handshake that fails in an unwrap (a refused version, no common suite) leaves Netty's engine
     * with an alert to wrap, then the failure to throw at the next wrap, while it already says it
     * needs to unwrap: the JDK's contract is that the failure is thrown, and a transport that
     * believed the status would wait for the client instead. The next wrap throws the failure here,
     * with the alert already in {@code dst}.
     */
    private SSLEngineResult further(SSLEngineResult r, ByteBuffer dst) throws SSLException {
        SSLEngineResult all = r;
        for (int i = 0; i < MAX_FURTHER_WRAPS && all.getStatus() == SSLEngineResult.Status.OK
                && all.getHandshakeStatus() == HandshakeStatus.NEED_WRAP && all.bytesProduced() > 0; i++) {
            SSLEngineResult next = netty.wrap(NOTHING, dst);
            if (next.getStatus() == SSLEngineResult.Status.BUFFER_OVERFLOW) {
                return all; // dst is full: the caller wraps again
            }
            all = new SSLEngineResult(next.getStatus(), next.getHandshakeStatus(), all.bytesConsumed(),
                    all.bytesProduced() + next.bytesProduced());
        }
        return all;
    }

    @Override
    public Runnable getDelegatedTask() {
        return netty.getDelegatedTask();
    }

    @Override
    public void closeInbound() throws SSLException {
        netty.closeInbound();
    }

    @Override
    public boolean isInboundDone() {
        return netty.isInboundDone();
    }

    @Override
    public void closeOutbound() {
        netty.closeOutbound();
    }

    @Override
    public boolean isOutboundDone() {
        return netty.isOutboundDone();
    }

    @Override
    public String[] getSupportedCipherSuites() {
        return netty.getSupportedCipherSuites();
    }

    @Override
    public String[] getEnabledCipherSuites() {
        return netty.getEnabledCipherSuites();
    }

    @Override
    public void setEnabledCipherSuites(String[] suites) {
        netty.setEnabledCipherSuites(suites);
    }

    @Override
    public String[] getSupportedProtocols() {
        return netty.getSupportedProtocols();
    }

    @Override
    public String[] getEnabledProtocols() {
        return netty.getEnabledProtocols();
    }

    @Override
    public void setEnabledProtocols(String[] protocols) {
        netty.setEnabledProtocols(protocols);
    }

    @Override
    public SSLSession getSession() {
        return netty.getSession();
    }

    @Override
    public SSLSession getHandshakeSession() {
        return netty.getHandshakeSession();
    }

    @Override
    public void beginHandshake() throws SSLException {
        netty.beginHandshake();
    }

    @Override
    public HandshakeStatus getHandshakeStatus() {
        return netty.getHandshakeStatus();
    }

    @Override
    public void setUseClientMode(boolean mode) {
        netty.setUseClientMode(mode);
    }

    @Override
    public boolean getUseClientMode() {
        return netty.getUseClientMode();
    }

    @Override
    public void setNeedClientAuth(boolean need) {
        netty.setNeedClientAuth(need);
    }

    @Override
    public boolean getNeedClientAuth() {
        return netty.getNeedClientAuth();
    }

    @Override
    public void setWantClientAuth(boolean want) {
        netty.setWantClientAuth(want);
    }

    @Override
    public boolean getWantClientAuth() {
        return netty.getWantClientAuth();
    }

    @Override
    public void setEnableSessionCreation(boolean flag) {
        netty.setEnableSessionCreation(flag);
    }

    @Override
    public boolean getEnableSessionCreation() {
        return netty.getEnableSessionCreation();
    }

    @Override
    public SSLParameters getSSLParameters() {
        return netty.getSSLParameters();
    }

    @Override
    public void setSSLParameters(SSLParameters parameters) {
        netty.setSSLParameters(parameters);
    }

    @Override
    public String getApplicationProtocol() {
        return netty.getApplicationProtocol();
    }

    @Override
    public String getHandshakeApplicationProtocol() {
        return netty.getHandshakeApplicationProtocol();
    }

    @Override
    public void setHandshakeApplicationProtocolSelector(BiFunction<SSLEngine, List<String>, String> selector) {
        netty.setHandshakeApplicationProtocolSelector(selector);
    }

    @Override
    public BiFunction<SSLEngine, List<String>, String> getHandshakeApplicationProtocolSelector() {
        return netty.getHandshakeApplicationProtocolSelector();
    }
}
