package dev.sluice.core;

import javax.net.ssl.SSLEngine;
import org.conscrypt.Conscrypt;

/** {@link NativeTlsIT} with Conscrypt's engines, session tickets on as the tls module sets them. */
class ConscryptTlsIT extends NativeTlsIT {
    private static final TlsEngineFactory CONSCRYPT = TestTls.engines(Conscrypt.newProvider());
    static final TlsEngineFactory ENGINES = (host, port) -> { // tickets on, as the tls module sets them
        SSLEngine e = CONSCRYPT.newEngine(host, port);
        Conscrypt.setUseSessionTickets(e, true);
        return e;
    };

    @Override
    TlsEngineFactory engines() {
        return ENGINES;
    }
}
