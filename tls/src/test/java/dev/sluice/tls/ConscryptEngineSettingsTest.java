package dev.sluice.tls;

/** {@link EngineSettingsTest} with Conscrypt's engines (BoringSSL): the same settings, the same checks. */
class ConscryptEngineSettingsTest extends EngineSettingsTest {
    @Override
    String provider() {
        return "conscrypt";
    }

    @Override
    String providerName() {
        return "Conscrypt";
    }
}
