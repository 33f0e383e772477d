package dev.sluice.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

@Timeout(value = 10, unit = TimeUnit.SECONDS)
class HostNamesTest {
    @Test
    void matchesExactNameIgnoringCaseAndTrailingDot() {
        assertThat(HostNames.matches("www.Example.com", "WWW.example.COM.")).isTrue();
        assertThat(HostNames.matches("www.example.com", "example.com")).isFalse();
    }

    @Test
    void wildcardMatchesExactlyOneLabel() {
        assertThat(HostNames.matches("*.example.com", "a.example.com")).isTrue();
        assertThat(HostNames.matches("*.example.com", "A.EXAMPLE.com")).isTrue();
        assertThat(HostNames.matches("*.example.com", "a.b.example.com")).isFalse();
        assertThat(HostNames.matches("*.example.com", "example.com")).isFalse();
        assertThat(HostNames.matches("*.example.com", ".example.com")).isFalse();
        assertThat(HostNames.matches("*.example.com", "aexample.com")).isFalse();
    }

    @Test
    void wildcardNeverCoversAWholeTopLevelDomain() {
        assertThat(HostNames.matches("*.com", "example.com")).isFalse();
    }

    @Test
    void ipLiteralMatchesIpEntriesOnly() {
        List<String> sans = List.of("DNS:127.0.0.1", "IP:0:0:0:0:0:0:0:1");
        assertThat(HostNames.matchesAny(sans, "127.0.0.1")).isFalse();
        assertThat(HostNames.matchesAny(sans, "::1")).isTrue();
        assertThat(HostNames.matchesAny(sans, "[::1]")).isTrue();
        assertThat(HostNames.matchesAny(List.of("IP:192.0.2.7"), "192.0.2.7")).isTrue();
        assertThat(HostNames.matchesAny(List.of("IP:192.0.2.7"), "192.0.2.8")).isFalse();
    }

    @Test
    void namesThatAreNotLiteralsAreNeverLookedUp() {
        assertThat(HostNames.ipLiteral("localhost")).isNull();
        assertThat(HostNames.ipLiteral("1.2.3")).isNull();
        assertThat(HostNames.ipLiteral("zz:zz")).as("not a literal: never a DNS lookup").isNull();
        assertThat(HostNames.ipLiteral("fe80::1%1")).isNotNull();
    }
}
