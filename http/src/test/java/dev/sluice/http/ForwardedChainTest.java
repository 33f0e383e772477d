package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.TrustedProxies;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * What a handler sees behind a proxy whose forwarding fields are trusted: requests decoded by the
 * codec from a peer at {@code 127.0.0.1:50000} ({@link Wire#INFO}), no sockets.
 */
@Timeout(value = 10, unit = TimeUnit.SECONDS)
class ForwardedChainTest {
    private static final InetSocketAddress PEER = Wire.INFO.remote();
    private static final String PROXIES = "127.0.0.1/32,10.0.0.0/8,2001:db8:aaaa::/48";

    /** The request with {@code fields} from the peer, when {@code trusted} (null: the default) is believed. */
    private static HttpRequest decode(String trusted, String... fields) {
        HttpConfig config = HttpConfig.defaults()
                .withTrustForwardedHeaders(trusted == null ? null : TrustedProxies.parse(trusted));
        String raw = "GET / HTTP/1.1\r\nHost: origin.example\r\n" + String.join("\r\n", fields)
                + (fields.length == 0 ? "" : "\r\n") + "\r\n";
        Wire wire = Wire.run(config, request -> HttpResponse.status(204), raw.getBytes(StandardCharsets.ISO_8859_1));
        assertThat(wire.handled).as("requests decoded from %s", raw).hasSize(1);
        return wire.handled.get(0);
    }

    private static HttpRequest trusted(String... fields) {
        return decode(PROXIES, fields);
    }

    private static InetSocketAddress at(String address, int port) {
        return new InetSocketAddress(address, port);
    }

    @Test
    void readsTheExamplesOfRfc7239() {
        assertThat(trusted("Forwarded: For=\"[2001:db8:cafe::17]:4711\"").clientAddress())
                .isEqualTo(at("2001:db8:cafe::17", 4711));
        HttpRequest r = trusted("Forwarded: for=192.0.2.60;proto=http;by=203.0.113.43");
        assertThat(r.clientAddress()).isEqualTo(at("192.0.2.60", 0));
        assertThat(r.scheme()).isEqualTo("http");
        assertThat(trusted("Forwarded: for=192.0.2.43, for=198.51.100.17").clientAddress())
                .as("the rightmost untrusted hop").isEqualTo(at("198.51.100.17", 0));
        assertThat(decode(PROXIES + ",198.51.100.17", "Forwarded: for=192.0.2.43, for=198.51.100.17")
                .clientAddress()).as("past a trusted hop").isEqualTo(at("192.0.2.43", 0));
        assertThat(trusted("Forwarded: for=\"_gazonk\"").clientAddress())
                .as("an obfuscated name is no address: the peer stands").isEqualTo(PEER);
        assertThat(trusted("Forwarded: for=192.0.2.43,for=\"[2001:db8:cafe::17]\",for=unknown").clientAddress())
                .as("unknown ends the walk").isEqualTo(PEER);
        assertThat(trusted("Forwarded: for=192.0.2.43, for=unknown, for=10.0.0.2").clientAddress())
                .as("the last address before unknown").isEqualTo(at("10.0.0.2", 0));
        assertThat(trusted("Forwarded: for=\"192.0.2.43:_hidden\"").clientAddress())
                .as("an obfuscated port").isEqualTo(at("192.0.2.43", 0));
    }

    @Test
    void takesProtoAndHostFromTheClientsHop() {
        HttpRequest r = trusted("Forwarded: for=203.0.113.9;proto=HTTPS;host=\"shop.example:8443\", "
                + "for=10.0.0.1;proto=http;host=inner.example");
        assertThat(r.clientAddress()).isEqualTo(at("203.0.113.9", 0));
        assertThat(r.scheme()).isEqualTo("https");
        assertThat(r.host()).isEqualTo("shop.example:8443");
        assertThat(r.remoteAddress()).as("the connection's peer is kept").isEqualTo(PEER);
        HttpRequest plain = trusted("Forwarded: proto=https");
        assertThat(plain.clientAddress()).as("no for=: the peer").isEqualTo(PEER);
        assertThat(plain.scheme()).isEqualTo("https");
        assertThat(plain.host()).as("no host=: the request's own").isEqualTo("origin.example");
    }

    @Test
    void concatenatesSeveralLinesInOrder() {
        assertThat(trusted("Forwarded: for=192.0.2.43", "Forwarded: for=10.0.0.1").clientAddress())
                .isEqualTo(at("192.0.2.43", 0));
        assertThat(trusted("X-Forwarded-For: 203.0.113.9, 198.51.100.1", "X-Forwarded-For: 10.0.0.1")
                .clientAddress()).isEqualTo(at("198.51.100.1", 0));
    }

    @Test
    void readsXForwardedForWithSpacesIpv6AndPorts() {
        assertThat(trusted("X-Forwarded-For:   203.0.113.9 ,  10.0.0.1,10.0.0.2 ,, ").clientAddress())
                .isEqualTo(at("203.0.113.9", 0));
        assertThat(trusted("X-Forwarded-For: 2001:db8::9").clientAddress()).isEqualTo(at("2001:db8::9", 0));
        assertThat(trusted("X-Forwarded-For: [2001:db8::9]:4711, 2001:db8:aaaa::1").clientAddress())
                .isEqualTo(at("2001:db8::9", 4711));
        assertThat(trusted("X-Forwarded-For: 203.0.113.9:5000").clientAddress()).isEqualTo(at("203.0.113.9", 5000));
        assertThat(trusted("X-Forwarded-For: ::ffff:203.0.113.9").clientAddress())
                .as("IPv4-mapped, as the JDK reports it").isEqualTo(at("203.0.113.9", 0));
        assertThat(trusted("X-Forwarded-For: unknown, 10.0.0.7").clientAddress()).isEqualTo(at("10.0.0.7", 0));
    }

    @Test
    void matchesXForwardedProtoAndHostToTheClientsHop() {
        HttpRequest one = trusted("X-Forwarded-For: 203.0.113.9, 10.0.0.1", "X-Forwarded-Proto: https",
                "X-Forwarded-Host: shop.example");
        assertThat(one.scheme()).as("one value goes with every hop").isEqualTo("https");
        assertThat(one.host()).isEqualTo("shop.example");
        HttpRequest list = trusted("X-Forwarded-For: 198.51.100.1, 203.0.113.9, 10.0.0.1",
                "X-Forwarded-Proto: https, http");
        assertThat(list.clientAddress()).isEqualTo(at("203.0.113.9", 0));
        assertThat(list.scheme()).as("matched from the right").isEqualTo("https");
        assertThat(trusted("X-Forwarded-Proto: https").clientAddress()).as("no X-Forwarded-For").isEqualTo(PEER);
        assertThat(trusted("X-Forwarded-Proto: https").scheme()).isEqualTo("https");
    }

    @Test
    void prefersForwardedOverXForwardedFor() {
        assertThat(trusted("X-Forwarded-For: 198.51.100.1", "Forwarded: for=203.0.113.9").clientAddress())
                .isEqualTo(at("203.0.113.9", 0));
    }

    @Test
    void walksPastManyTrustedHops() {
        StringBuilder chain = new StringBuilder("203.0.113.9");
        for (int i = 0; i < 1000; i++) {
            chain.append(", 10.0.").append(i / 250).append('.').append(i % 250 + 1);
        }
        assertThat(trusted("X-Forwarded-For: " + chain).clientAddress()).isEqualTo(at("203.0.113.9", 0));
    }

    @Test
    void takesTheLeftmostHopOfAChainOfTrustedProxies() {
        assertThat(trusted("X-Forwarded-For: 10.0.0.1, 10.0.0.2, 127.0.0.1").clientAddress())
                .isEqualTo(at("10.0.0.1", 0));
        assertThat(trusted("Forwarded: for=10.0.0.3;proto=https, for=10.0.0.2").scheme()).isEqualTo("https");
    }

    @Test
    void ignoresTheFieldsOfAnUntrustedPeer() {
        HttpRequest r = decode("10.0.0.0/8", "X-Forwarded-For: 203.0.113.9", "X-Forwarded-Proto: https",
                "X-Forwarded-Host: evil.example", "Forwarded: for=203.0.113.9;proto=https;host=evil.example");
        assertThat(r.clientAddress()).isEqualTo(PEER);
        assertThat(r.scheme()).isEqualTo("http");
        assertThat(r.host()).isEqualTo("origin.example");
        assertThat(decode(null, "X-Forwarded-For: 203.0.113.9").clientAddress()).as("off by default").isEqualTo(PEER);
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "Forwarded: for=\"203.0.113.9", "Forwarded: for=203.0.113.9;for=198.51.100.1", "Forwarded: for",
        "Forwarded: =1.2.3.4", "Forwarded: for=1.2.3.4 x", "Forwarded: for=\"1.2.3.4\\\"",
        "Forwarded: for=[2001:db8::1]", "Forwarded: for=\"[2001:db8::1]:65536\"", "Forwarded: for=\"[nope]\"",
        "Forwarded: for=203.0.113.9;proto=gopher", "Forwarded: for=203.0.113.9;host=\"a b\"",
        "Forwarded: for=\"203.0.113.9:\"", "Forwarded: for=\"203.0.113.9%eth0\"", "Forwarded: for=_",
        "X-Forwarded-For: not-an-ip", "X-Forwarded-For: 203.0.113.256", "X-Forwarded-For: 203.0.113.9:x",
        "X-Forwarded-For: 2001:db8::1%eth0", "X-Forwarded-For: 203.0.113.9", // with X-Forwarded-Proto: ftp
        "X-Forwarded-For: 203.0.113.09", "X-Forwarded-For: [2001:db8::1"})
    void ignoresWhatIsNotWellFormedAndKeepsThePeer(String field) {
        HttpRequest r = trusted(field, "X-Forwarded-Proto: ftp");
        assertThat(r.clientAddress()).as("client for %s", field).isEqualTo(PEER);
        assertThat(r.scheme()).isEqualTo("http");
        assertThat(r.host()).isEqualTo("origin.example");
    }

    @Test
    void neverThrowsOnRandomFieldValues() {
        Random random = new Random(16);
        String alphabet = "0123456789abcdef:.[]\"\\;,=_ forprotohost unknown";
        for (int i = 0; i < 5000; i++) {
            StringBuilder v = new StringBuilder();
            for (int n = random.nextInt(40); n > 0; n--) {
                v.append(alphabet.charAt(random.nextInt(alphabet.length())));
            }
            HttpRequest r = trusted((i % 2 == 0 ? "Forwarded: " : "X-Forwarded-For: ") + v.toString().strip());
            assertThat(r.clientAddress()).as("client for %s", v).isNotNull();
            assertThat(r.scheme()).isIn("http", "https");
        }
    }
}
