package dev.sluice.tls;

/** {@link BoringSslSniKeySelectorTest} with Conscrypt's engines. */
class ConscryptSniKeySelectorTest extends BoringSslSniKeySelectorTest {
    @Override
    String provider() {
        return "conscrypt";
    }
}
