package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.BindException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import picocli.CommandLine;

/**
 * What the report, the banner and the help say about the bound address, and the URLs serve
 * prints, from injected addresses: nothing here reads this machine's interfaces or binds.
 */
@Timeout(10)
class ListenAddressTest {
    private static final InetSocketAddress DUAL_STACK = at("::", 8080);
    private static final InetSocketAddress IPV4_ONLY = at("0.0.0.0", 8080);

    private static InetSocketAddress at(String literal, int port) {
        return new InetSocketAddress(ip(literal), port);
    }

    private static InetAddress ip(String literal) {
        try {
            return InetAddress.getByName(literal); // a literal: no look-up
        } catch (UnknownHostException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void reportBannerAndHelpSayTheWildcardServesIpv4AndIpv6() {
        String host = ListenAddress.host("0.0.0.0", DUAL_STACK);
        assertThat(host).isEqualTo("0.0.0.0");
        assertThat(ListenAddress.reportLine("listen: [0:0:0:0:0:0:0:0]:8080 backlog=1024 reuse-port=false",
                host, DUAL_STACK))
                .isEqualTo("listen: 0.0.0.0:8080 (all interfaces, IPv4 and IPv6) backlog=1024 reuse-port=false");
        assertThat(ListenAddress.scope(DUAL_STACK)).isEqualTo(" (all interfaces, IPv4 and IPv6)");
        String help = String.join(" ", new CommandLine(new EchoCommand()).getCommandSpec()
                .findOption("--host").description());
        assertThat(help).as("--host help").contains("0.0.0.0 or :: (one socket either way) for "
                + ListenAddress.ALL);
    }

    @Test
    void anIpv4OnlyWildcardAndASpecificAddressAreSaidAsTheyAre() {
        assertThat(ListenAddress.scope(IPV4_ONLY)).isEqualTo(" (all IPv4 interfaces)");
        assertThat(ListenAddress.scope(at("127.0.0.1", 1))).isEmpty();
        assertThat(ListenAddress.reportLine("listen: 127.0.0.1:1 backlog=1", "127.0.0.1", at("127.0.0.1", 1)))
                .isEqualTo("listen: 127.0.0.1:1 backlog=1");
        assertThat(ListenAddress.host("::1", at("::1", 7))).isEqualTo("::1");
        assertThat(ListenAddress.host("localhost", at("::1", 7))).isEqualTo("::1");
        assertThat(ListenAddress.reportLine("engine: virtual", "::1", at("::1", 7))).isEqualTo("engine: virtual");
    }

    @Test
    void aWildcardGetsLocalhostAndEachAddressOthersCanReach() {
        List<InetAddress> machine = new ArrayList<>();
        for (String a : List.of("127.0.0.1", "192.0.2.7", "::1", "fe80::1", "2001:db8:0:0:0:0:0:5", "10.0.0.3")) {
            machine.add(ip(a));
        }
        assertThat(ListenAddress.urls("http", "0.0.0.0", DUAL_STACK, machine)).containsExactly(
                "http://localhost:8080/", "http://192.0.2.7:8080/", "http://[2001:db8::5]:8080/",
                "http://10.0.0.3:8080/");
        assertThat(ListenAddress.urls("http", "0.0.0.0", IPV4_ONLY, machine)).containsExactly(
                "http://localhost:8080/", "http://192.0.2.7:8080/", "http://10.0.0.3:8080/");
        assertThat(ListenAddress.urls("http", "0.0.0.0", DUAL_STACK, List.of()))
                .containsExactly("http://localhost:8080/");
    }

    @Test
    void aSpecificAddressGetsItsOwnUrlAlone() {
        assertThat(ListenAddress.urls("http", "127.0.0.1", at("127.0.0.1", 9), List.of(ip("192.0.2.7"))))
                .containsExactly("http://127.0.0.1:9/");
        assertThat(ListenAddress.urls("http", "::1", at("::1", 9), List.of())).containsExactly("http://[::1]:9/");
    }

    @Test
    void writesIpv6InItsShortForm() {
        assertThat(ListenAddress.literal(ip("fd00:0:0:0:0:0:0:2"))).isEqualTo("fd00::2");
        assertThat(ListenAddress.literal(ip("2001:db8:0:0:1:0:0:1"))).isEqualTo("2001:db8::1:0:0:1");
        assertThat(ListenAddress.literal(ip("2001:db8:0:1:1:1:1:1"))).isEqualTo("2001:db8:0:1:1:1:1:1");
        assertThat(ListenAddress.literal(ip("::1"))).isEqualTo("::1");
        assertThat(ListenAddress.literal(ip("::"))).isEqualTo("::");
        assertThat(ListenAddress.literal(ip("192.0.2.7"))).isEqualTo("192.0.2.7");
    }

    @Test
    void serveNamesItsFolderAndTheUrlsToOpen() {
        assertThat(ServeCommand.banner(Path.of("/srv/site"), List.of("http://localhost:8080/",
                "http://[2001:db8::5]:8080/"))).containsExactly("serving /srv/site at",
                "  http://localhost:8080/", "  http://[2001:db8::5]:8080/");
    }

    @Test
    void aPortInUseIsSaidOneWayForEveryListenerNamingItsFlag() {
        BindException inUse = new BindException("Address already in use");
        assertThat(ListenFailure.of("0.0.0.0", 8080, inUse, "--port", "--host").getMessage())
                .isEqualTo("port 8080 is in use on 0.0.0.0 (another process?); choose another with --port");
        assertThat(ListenFailure.of("127.0.0.1", 9901, inUse, "--admin-port", "--admin-host").getMessage())
                .isEqualTo("port 9901 is in use on 127.0.0.1 (another process?); choose another with --admin-port");
        assertThat(ListenFailure.of("192.0.2.1", 0, new BindException("Cannot assign requested address"),
                "--port", "--host").getMessage())
                .isEqualTo("cannot listen on 192.0.2.1:0: Cannot assign requested address; check --host");
    }

    @Test
    void loopbackIsOnlyAnAddressOfThisMachine() {
        assertThat(ListenAddress.isLoopback("127.0.0.1")).isTrue();
        assertThat(ListenAddress.isLoopback("127.0.0.2")).isTrue();
        assertThat(ListenAddress.isLoopback("::1")).isTrue();
        assertThat(ListenAddress.isLoopback("0.0.0.0")).isFalse();
        assertThat(ListenAddress.isLoopback("::")).isFalse();
        assertThat(ListenAddress.isLoopback("192.0.2.7")).isFalse();
        assertThat(ListenAddress.isLoopback("")).isFalse();
    }

    @Test
    void basicAuthWarnsOfClearTextBeyondLoopback() {
        assertThat(ServeCommand.clearTextWarning("0.0.0.0")).startsWith("basic_auth_in_clear: --basic-auth on 0.0.0.0 ");
        assertThat(ServeCommand.clearTextWarning("::")).startsWith("basic_auth_in_clear: ");
        assertThat(ServeCommand.clearTextWarning("127.0.0.1")).isNull();
        assertThat(ServeCommand.clearTextWarning("::1")).isNull();
    }
}
