package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import org.conscrypt.Conscrypt;

/**
 * {@link TlsIT} with the server's engines from Conscrypt (BoringSSL) instead of the JDK: the
 * transport drives any {@code SSLEngine} the same way, on every engine, against the JDK's clients.
 */
class ConscryptTlsIT extends TlsIT {
    private static final TlsEngineFactory ENGINES = TestTls.engines(Conscrypt.newProvider());

    @Override
    ServerConfig config(Engine engine) {
        return EngineIT.config(engine).withTls(ENGINES);
    }

    /**
     * BoringSSL dates sessions in whole seconds, so a session resumed within the second it was
     * made counts as new (TlsStatsTest checks both sides of that line); here the three
     * connections may or may not cross a second.
     */
    @Override
    void assertResumed(long resumed) {
        assertThat(resumed).as("the second and third connection of one client, where they crossed a second")
                .isBetween(0L, 2L);
    }
}
