package dev.sluice.core;

/** {@link NativeTlsIT} with the engines of {@code --tls-provider tcnative} (BoringSSL through Netty). */
class TcnativeTlsIT extends NativeTlsIT {
    static final TlsEngineFactory ENGINES = TestTls.tcnativeEngines();

    @Override
    TlsEngineFactory engines() {
        return ENGINES;
    }
}
