package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Which peers' PROXY headers are believed: CIDR blocks and single addresses, literals only. */
class TrustedProxiesTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void networksAndSingleAddressesMatchTheirMembersOnly() throws Exception {
        TrustedProxies t = TrustedProxies.parse("10.0.0.0/8, 192.168.1.7 ,2001:db8::/32,172.16.0.0/12");
        assertThat(t.contains(ip("10.255.1.2"))).isTrue();
        assertThat(t.contains(ip("11.0.0.1"))).isFalse();
        assertThat(t.contains(ip("192.168.1.7"))).isTrue();
        assertThat(t.contains(ip("192.168.1.8"))).isFalse();
        assertThat(t.contains(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(t.contains(ip("2001:db9::1"))).isFalse();
        assertThat(t.contains(ip("172.31.255.255"))).as("the last of a /12").isTrue();
        assertThat(t.contains(ip("172.32.0.0"))).isFalse();
        assertThat(t.contains(ip("::ffff:10.1.1.1"))).as("IPv4-mapped: the JDK's IPv4 address").isTrue();
        assertThat(t.toString()).isEqualTo("10.0.0.0/8,192.168.1.7/32,2001:db8:0:0:0:0:0:0/32,172.16.0.0/12");
        assertThat(TrustedProxies.parse(t.toString())).isEqualTo(t);
    }

    @Test
    void hostBitsAreClearedAndTheWholeSpaceIsAFamilysOwn() throws Exception {
        assertThat(TrustedProxies.Network.parse("10.1.2.3/8")).isEqualTo(TrustedProxies.Network.parse("10.0.0.0/8"));
        TrustedProxies all4 = TrustedProxies.parse("0.0.0.0/0");
        assertThat(all4.contains(ip("203.0.113.1"))).isTrue();
        assertThat(all4.contains(ip("::1"))).as("an IPv4 network holds no IPv6 peer").isFalse();
        assertThat(TrustedProxies.parse("::1").contains(ip("::1"))).isTrue();
        assertThat(TrustedProxies.parse("::1").contains(ip("127.0.0.1"))).isFalse();
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "10.0.0.0/33", "::/129", "10.0.0.0/-1", "10.0.0.0/08", "10.0.0.0/", "/8",
        "localhost", "example.com/24", "10.0.0", "010.0.0.1", "fe80::1%eth0", "10.0.0.0/8,", "1.2.3.4/8/8"})
    void whatIsNotANetworkIsRefusedByName(String bad) {
        assertThatThrownBy(() -> TrustedProxies.parse(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("trusted-proxies ");
    }

    @Test
    void atLeastOneNetwork() {
        assertThatThrownBy(() -> new TrustedProxies(List.of()))
                .hasMessage("trusted-proxies must name at least one network");
    }
}
