package dev.sluice.core;

import javax.net.ssl.SSLEngine;
import org.conscrypt.Conscrypt;

/**
 * {@link TlsIT} with the server's engines from Conscrypt (BoringSSL) instead of the JDK: the
 * transport drives any {@code SSLEngine} the same way, on every engine, against the JDK's clients.
 * Session tickets on, as the tls module sets them.
 */
class ConscryptTlsIT extends TlsIT {
    private static final TlsEngineFactory CONSCRYPT = TestTls.engines(Conscrypt.newProvider());
    private static final TlsEngineFactory ENGINES = (host, port) -> {
        SSLEngine e = CONSCRYPT.newEngine(host, port);
        Conscrypt.setUseSessionTickets(e, true);
        return e;
    };

    @Override
    ServerConfig config(Engine engine) {
        return EngineIT.config(engine).withTls(ENGINES);
    }
}
