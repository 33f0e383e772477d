package dev.sluice.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class JdkTlsBehaviourTest {
    @Test
    void reportsRenegotiationEarlyDataAndTicketsAsThisJvmHasThem() {
        boolean reject = Boolean.getBoolean(JdkTlsBehaviour.REJECT_CLIENT_RENEGOTIATION);
        assertThat(JdkTlsBehaviour.report()).hasSize(3);
        assertThat(JdkTlsBehaviour.report().get(0))
                .contains(reject ? "client-initiated refused" : "-Djdk.tls.rejectClientInitiatedRenegotiation=true");
        assertThat(JdkTlsBehaviour.report().get(1)).isEqualTo("tls early data (0-RTT): off (the JDK does not implement it)");
        assertThat(JdkTlsBehaviour.report().get(2)).startsWith("tls session tickets: ");
    }
}
