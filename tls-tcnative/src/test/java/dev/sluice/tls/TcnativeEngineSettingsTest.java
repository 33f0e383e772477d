package dev.sluice.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.SSLParameters;

/**
 * {@link EngineSettingsTest} with tcnative's engines (BoringSSL through Netty): the same settings.
 * Three things read back differently: Netty lists {@code SSLv2Hello} among the enabled protocols
 * whatever it is told (a hello's format, not a version: the versions are TLS 1.3 and 1.2); it lists
 * TLS 1.2's suites before TLS 1.3's, each in the order given (BoringSSL chooses among TLS 1.3's
 * itself); and ALPN is the context's, not in each engine's parameters, so it is checked in a handshake.
 */
class TcnativeEngineSettingsTest extends EngineSettingsTest {
    @Override
    String provider() {
        return "tcnative";
    }

    @Override
    String providerName() {
        return "Tcnative";
    }

    @Override
    void assertVersions(SSLEngine engine) {
        assertThat(engine.getEnabledProtocols()).filteredOn(p -> !p.equals("SSLv2Hello"))
                .containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
    }

    @Override
    void assertSuites(SSLEngine engine, TlsConfig config) {
        List<String> enabled = List.of(engine.getEnabledCipherSuites());
        assertThat(enabled).containsExactlyInAnyOrderElementsOf(config.cipherSuites());
        for (boolean tls13 : new boolean[] {true, false}) {
            assertThat(enabled.stream().filter(s -> isTls13(s) == tls13).toList())
                    .containsExactlyElementsOf(config.cipherSuites().stream().filter(s -> isTls13(s) == tls13).toList());
        }
    }

    @Override
    void assertAlpn(SSLEngine engine) {
        try {
            SSLEngine client = Handshakes.client("a.example");
            SSLParameters p = client.getSSLParameters();
            p.setApplicationProtocols(new String[] {"h2", "http/1.1"});
            client.setSSLParameters(p);
            Handshakes.run(client, engine);
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(engine.getApplicationProtocol()).isEqualTo("http/1.1");
    }

    private static boolean isTls13(String suite) {
        return !suite.contains("_WITH_");
    }
}
