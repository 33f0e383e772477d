package dev.sluice.tls;

import java.nio.ByteBuffer;
import java.security.cert.X509Certificate;
import java.util.List;
import javax.net.ssl.SNIHostName;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLEngineResult.HandshakeStatus;
import javax.net.ssl.SSLException;
import javax.net.ssl.SSLParameters;
import javax.net.ssl.TrustManager;
import javax.net.ssl.X509TrustManager;

/** In-memory TLS handshakes between two {@link SSLEngine}s: no sockets, no network. */
final class Handshakes {
    private static final int MAX_ROUNDS = 200;

    private Handshakes() {
    }

    /** A client engine that trusts any server (these tests check which certificate is sent, not trust). */
    static SSLEngine client(String serverName, String... cipherSuites) throws Exception {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, new TrustManager[] {new TrustingAnything()}, null);
        SSLEngine engine = context.createSSLEngine();
        engine.setUseClientMode(true);
        SSLParameters p = engine.getSSLParameters();
        if (serverName != null) {
            p.setServerNames(List.of(new SNIHostName(serverName)));
        }
        if (cipherSuites.length > 0) {
            p.setCipherSuites(cipherSuites);
            p.setProtocols(new String[] {"TLSv1.2"});
        }
        engine.setSSLParameters(p);
        return engine;
    }

    /** Runs the handshake to its end; throws what either side threw. */
    static void run(SSLEngine client, SSLEngine server) throws SSLException {
        ByteBuffer toServer = ByteBuffer.allocate(client.getSession().getPacketBufferSize() * 4);
        ByteBuffer toClient = ByteBuffer.allocate(server.getSession().getPacketBufferSize() * 4);
        client.beginHandshake();
        server.beginHandshake();
        for (int round = 0; round < MAX_ROUNDS; round++) {
            step(client, toClient, toServer);
            step(server, toServer, toClient);
            if (finished(client) && finished(server) && toServer.position() == 0 && toClient.position() == 0) {
                return;
            }
        }
        throw new AssertionError("handshake not finished after " + MAX_ROUNDS + " rounds: client "
                + client.getHandshakeStatus() + ", server " + server.getHandshakeStatus());
    }

    /** The server certificate the client received. */
    static X509Certificate serverCertificate(SSLEngine client) throws Exception {
        return (X509Certificate) client.getSession().getPeerCertificates()[0];
    }

    private static boolean finished(SSLEngine e) {
        return e.getHandshakeStatus() == HandshakeStatus.NOT_HANDSHAKING;
    }

    private static void step(SSLEngine engine, ByteBuffer in, ByteBuffer out) throws SSLException {
        ByteBuffer app = ByteBuffer.allocate(engine.getSession().getApplicationBufferSize());
        in.flip();
        try {
            while (in.hasRemaining()) {
                int before = in.remaining();
                engine.unwrap(in, app);
                runTasks(engine);
                if (in.remaining() == before) {
                    break;
                }
            }
        } finally {
            in.compact();
        }
        while (engine.getHandshakeStatus() == HandshakeStatus.NEED_WRAP) {
            engine.wrap(ByteBuffer.allocate(0), out);
            runTasks(engine);
        }
    }

    private static void runTasks(SSLEngine engine) {
        for (Runnable task = engine.getDelegatedTask(); task != null; task = engine.getDelegatedTask()) {
            task.run();
        }
    }

    static final class TrustingAnything implements X509TrustManager {
        @Override
        public void checkClientTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public void checkServerTrusted(X509Certificate[] chain, String authType) {
        }

        @Override
        public X509Certificate[] getAcceptedIssuers() {
            return new X509Certificate[0];
        }
    }
}
