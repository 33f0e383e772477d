package dev.sluice.core.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class SpellingTest {
    @Test
    void bracketsABareIpv6LiteralOnly() {
        assertThat(Spelling.hostPort("127.0.0.1", 80)).isEqualTo("127.0.0.1:80");
        assertThat(Spelling.hostPort("::1", 7)).isEqualTo("[::1]:7");
        assertThat(Spelling.hostPort("[::1]", 7)).isEqualTo("[::1]:7");
        assertThat(Spelling.hostPort("localhost", 8080)).isEqualTo("localhost:8080");
    }

    @Test
    void writesADurationInItsLargestExactUnit() {
        assertThat(Spelling.duration(Duration.ZERO)).isEqualTo("0");
        assertThat(Spelling.duration(Duration.ofMillis(250))).isEqualTo("250ms");
        assertThat(Spelling.duration(Duration.ofSeconds(90))).isEqualTo("90s");
        assertThat(Spelling.duration(Duration.ofMinutes(2))).isEqualTo("2m");
        assertThat(Spelling.duration(Duration.ofHours(1))).isEqualTo("1h");
    }
}
