package dev.sluice.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import javax.net.ssl.SSLHandshakeException;
import org.junit.jupiter.api.Test;

/**
 * {@link SniKeySelectorTest} with engines built on BoringSSL (Conscrypt's, tcnative's): it asks the
 * same key selector, so SNI, the default pair and ALPN behave as with the JDK's. One difference,
 * documented in docs/tls.md: BoringSSL's bindings ask for every key type their cipher suites allow,
 * ECDSA first, and keep the first answer, so a name with both an ECDSA and an RSA certificate is
 * served the ECDSA one, and a TLS 1.2 client that can only use RSA fails its handshake.
 */
abstract class BoringSslSniKeySelectorTest extends SniKeySelectorTest {
    private static final String EC_SUITE = "TLS_ECDHE_ECDSA_WITH_AES_128_GCM_SHA256";
    private static final String RSA_SUITE = "TLS_ECDHE_RSA_WITH_AES_128_GCM_SHA256";

    @Test
    @Override
    void servesTheKeyTypeTheClientCanUseWhenANameHasBoth() throws Exception {
        assertThat(serialFor(Handshakes.client("c.example", EC_SUITE))).as("ECDSA client").isEqualTo(3);
        assertThat(serialFor(Handshakes.client("c.example"))).as("TLS 1.3 client").isEqualTo(3);
        assertThatThrownBy(() -> serialFor(Handshakes.client("c.example", RSA_SUITE))).as("RSA-only client")
                .isInstanceOf(SSLHandshakeException.class);
    }
}
