package dev.sluice.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class TlsConfigTest {
    private static final TlsConfig FILES = TlsConfig.of(List.of(KeySource.pem(Path.of("c.pem"), Path.of("k.pem"))));

    @Test
    void defaultsAreModern() {
        assertThat(FILES.protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(FILES.cipherSuites()).hasSize(9).allMatch(s -> s.startsWith("TLS_AES_")
                || s.startsWith("TLS_CHACHA20_") || s.matches("TLS_ECDHE_(ECDSA|RSA)_WITH_(AES_\\d+_GCM|CHACHA20_POLY1305)_SHA\\d+"));
        assertThat(FILES.clientAuth()).isEqualTo(ClientAuth.NONE);
        assertThat(FILES.alpnProtocols()).containsExactly("http/1.1");
        assertThat(FILES.selfSigned()).isFalse();
    }

    @Test
    void withChangesOneComponentOnly() {
        TlsConfig changed = FILES.withSessionTimeout(Duration.ofHours(3));
        assertThat(changed.sessionTimeout()).isEqualTo(Duration.ofHours(3));
        assertThat(changed.withSessionTimeout(FILES.sessionTimeout())).isEqualTo(FILES);
        assertThat(FILES.withAlpnProtocols(List.of("h2", "http/1.1")).alpnProtocols()).containsExactly("h2", "http/1.1");
    }

    @Test
    void needsExactlyOneOfKeysAndSelfSigned() {
        assertThatThrownBy(() -> FILES.withSelfSigned(true)).hasMessageContaining("selfSigned excludes keys");
        assertThatThrownBy(() -> FILES.withKeys(List.of())).hasMessageContaining("keys is empty");
        assertThat(TlsConfig.ofSelfSigned().keys()).isEmpty();
    }

    @Test
    void refusesOldOrUnknownProtocols() {
        assertThatThrownBy(() -> FILES.withProtocols(List.of("TLSv1.1")))
                .hasMessage("protocols: unsupported TLSv1.1; use [TLSv1.3, TLSv1.2]");
        assertThatThrownBy(() -> FILES.withProtocols(List.of())).hasMessage("protocols is empty");
    }

    @Test
    void refusesClientAuthWithoutClientCa() {
        assertThatThrownBy(() -> FILES.withClientAuth(ClientAuth.NEED)).hasMessage("clientAuth need needs clientCaFile");
        assertThat(FILES.withClientCaFile(Path.of("ca.pem")).withClientAuth(ClientAuth.WANT).clientAuth())
                .isEqualTo(ClientAuth.WANT);
    }

    @Test
    void refusesOutOfRangeValues() {
        assertThatThrownBy(() -> FILES.withSessionTimeout(Duration.ofSeconds(-1))).hasMessageContaining("sessionTimeout");
        assertThatThrownBy(() -> FILES.withSessionTimeout(Duration.ofDays(8))).hasMessageContaining("at most PT168H");
        assertThatThrownBy(() -> FILES.withSessionCacheSize(-1)).hasMessageContaining("sessionCacheSize");
        assertThatThrownBy(() -> FILES.withSelfSignedValidity(Duration.ZERO)).hasMessageContaining("selfSignedValidity");
        assertThatThrownBy(() -> FILES.withAlpnProtocols(List.of(""))).hasMessageContaining("1 to 255 bytes");
        assertThatThrownBy(() -> FILES.withCipherSuites(List.of())).hasMessage("cipherSuites is empty");
    }

    @Test
    void copiesListsSoLaterChangesDoNotLeakIn() {
        List<String> alpn = new java.util.ArrayList<>(List.of("http/1.1"));
        TlsConfig config = FILES.withAlpnProtocols(alpn);
        alpn.add("h2");
        assertThat(config.alpnProtocols()).containsExactly("http/1.1");
    }
}
