package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;

import dev.sluice.core.Engine;
import dev.sluice.core.Server;
import dev.sluice.core.ServerConfig;
import dev.sluice.core.TrustedProxies;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Forwarding fields through a real server, one test body over every engine. */
@Timeout(value = 30, unit = TimeUnit.SECONDS)
class ForwardedIT {
    private static final HttpHandler WHO = r -> HttpResponse.ok(r.clientAddress().getAddress().getHostAddress()
            + " " + r.scheme() + " " + r.host() + " via " + r.remoteAddress().getAddress().getHostAddress());

    private static Server start(Engine engine, String trusted, HttpObserver observer) throws Exception {
        ServerConfig config = ServerConfig.defaults().withHost("127.0.0.1").withPort(0).withEngine(engine);
        HttpConfig http = HttpConfig.defaults().withTrustForwardedHeaders(TrustedProxies.parse(trusted));
        return Server.create(config, HttpProtocol.create(http, WHO, observer)).start();
    }

    private static String ask(RawHttp client, String fields) throws Exception {
        client.send("GET / HTTP/1.1\r\nHost: origin.example\r\n" + fields + "\r\n");
        return new String(client.read().body(), StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void handlersAndObserversSeeTheClientATrustedProxyForwards(Engine engine) throws Exception {
        List<String> observed = new CopyOnWriteArrayList<>();
        CountDownLatch four = new CountDownLatch(4);
        HttpObserver observer = e -> {
            observed.add(e.clientAddress().getAddress().getHostAddress()
                    + " " + e.remoteAddress().getAddress().getHostAddress());
            four.countDown();
        };
        try (Server server = start(engine, "127.0.0.1/32", observer);
             RawHttp client = new RawHttp(server.port())) {
            assertThat(ask(client, "X-Forwarded-For: 203.0.113.9, 127.0.0.1\r\nX-Forwarded-Proto: https\r\n"
                    + "X-Forwarded-Host: shop.example\r\n"))
                    .isEqualTo("203.0.113.9 https shop.example via 127.0.0.1");
            assertThat(ask(client, "Forwarded: for=\"[2001:db8::9]:4711\";proto=http\r\n"))
                    .isEqualTo("2001:db8:0:0:0:0:0:9 http origin.example via 127.0.0.1");
            assertThat(ask(client, "X-Forwarded-For: not an address\r\n"))
                    .as("a malformed field is ignored").isEqualTo("127.0.0.1 http origin.example via 127.0.0.1");
            assertThat(ask(client, "")).isEqualTo("127.0.0.1 http origin.example via 127.0.0.1");
            assertThat(four.await(10, TimeUnit.SECONDS)).as("exchanges observed: %s", observed).isTrue();
            assertThat(observed).containsExactly("203.0.113.9 127.0.0.1", "2001:db8:0:0:0:0:0:9 127.0.0.1",
                    "127.0.0.1 127.0.0.1", "127.0.0.1 127.0.0.1");
        }
    }

    @ParameterizedTest
    @EnumSource(Engine.class)
    void ignoresTheFieldsOfAPeerThatIsNotTrusted(Engine engine) throws Exception {
        try (Server server = start(engine, "10.0.0.0/8", e -> { });
             RawHttp client = new RawHttp(server.port())) {
            assertThat(ask(client, "X-Forwarded-For: 203.0.113.9\r\nX-Forwarded-Proto: https\r\n"
                    + "Forwarded: for=203.0.113.9;host=evil.example\r\n"))
                    .isEqualTo("127.0.0.1 http origin.example via 127.0.0.1");
        }
    }
}
