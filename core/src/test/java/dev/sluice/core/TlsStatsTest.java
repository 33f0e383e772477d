package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;
import javax.net.ssl.SSLSession;
import org.junit.jupiter.api.Test;

/** How a completed handshake is counted: what it agreed on, and whether it resumed a session. */
class TlsStatsTest {
    private static final long OPENED = 1_000_000_123_456L; // a connection opened 456 ms into a second

    private static SSLSession session(long createdMillis) {
        return (SSLSession) Proxy.newProxyInstance(SSLSession.class.getClassLoader(),
                new Class<?>[] {SSLSession.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getCreationTime" -> createdMillis;
                    case "getProtocol" -> "TLSv1.3";
                    case "getCipherSuite" -> "TLS_AES_128_GCM_SHA256";
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    private static long resumed(long... createdMillis) {
        TlsStats stats = new TlsStats();
        for (long created : createdMillis) {
            stats.onHandshake(session(created), OPENED);
        }
        assertThat(stats.completed()).isEqualTo(createdMillis.length);
        return stats.resumed();
    }

    @Test
    void aSessionInMillisecondsIsResumedWhenMadeBeforeTheConnection() {
        assertThat(resumed(OPENED + 3, OPENED)).as("made during the connection, or as it opened").isZero();
        assertThat(resumed(OPENED - 1)).as("a millisecond before").isEqualTo(1);
    }

    @Test
    void aSessionInWholeSecondsIsResumedWhenMadeInAnEarlierSecond() {
        long second = OPENED - 456;
        assertThat(resumed(second)).as("BoringSSL's date of a session made during the connection").isZero();
        assertThat(resumed(second - 1000)).as("made the second before").isEqualTo(1);
    }
}
