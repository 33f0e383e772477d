package dev.sluice.tls;

/** {@link BoringSslSniKeySelectorTest} with tcnative's engines (BoringSSL through Netty). */
class TcnativeSniKeySelectorTest extends BoringSslSniKeySelectorTest {
    @Override
    String provider() {
        return "tcnative";
    }
}
