package dev.sluice.cli;

import dev.sluice.core.internal.Spelling;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.NetworkInterface;
import java.net.SocketException;
import java.net.UnknownHostException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What a listening socket's address means, said one way in the startup report, the
 * {@code listening on} line and {@code --help}. The JDK binds {@code 0.0.0.0} and {@code ::} as
 * one dual-stack socket (the IPv6 wildcard, {@code IPV6_V6ONLY} off), so either serves every
 * interface, IPv4 and IPv6: {@code curl http://[::1]:8080/} reaches a server on {@code 0.0.0.0}.
 * Only on a JVM without IPv6 ({@code -Djava.net.preferIPv4Stack=true}) is {@code 0.0.0.0} IPv4
 * alone. The text comes from the bound address, so it says what the kernel was asked for.
 */
final class ListenAddress {
    /** What a dual-stack wildcard serves; also in {@code --host}'s help. */
    static final String ALL = "all interfaces, IPv4 and IPv6";
    static final String ALL_IPV4 = "all IPv4 interfaces";
    private static final Pattern IPV4 = Pattern.compile("[0-9]{1,3}(\\.[0-9]{1,3}){3}");

    private ListenAddress() {
    }

    /**
     * Whether {@code host} (a {@code --host} value) listens on this machine only: every address
     * it names is a loopback one ({@code 127.0.0.1}, {@code ::1}, {@code localhost}). A wildcard,
     * another address or a name that does not resolve is not.
     */
    static boolean isLoopback(String host) {
        if (host == null || host.isBlank()) {
            return false;
        }
        try {
            InetAddress[] all = InetAddress.getAllByName(host);
            return all.length > 0 && Arrays.stream(all).allMatch(InetAddress::isLoopbackAddress);
        } catch (UnknownHostException | SecurityException e) {
            return false;
        }
    }

    /** {@code " (all interfaces, IPv4 and IPv6)"} for a wildcard, else {@code ""}. */
    static String scope(InetSocketAddress bound) {
        InetAddress ip = bound.getAddress();
        if (ip == null || !ip.isAnyLocalAddress()) {
            return "";
        }
        return " (" + (ip instanceof Inet6Address ? ALL : ALL_IPV4) + ")";
    }

    /**
     * The bound address as a literal: the configured host when it is a literal of that address
     * (so {@code ::1} stays {@code ::1}, and a wildcard stays {@code 0.0.0.0} rather than the
     * {@code ::} the JDK reports for the dual-stack socket bound to it), else the bound address.
     */
    static String host(String configured, InetSocketAddress bound) {
        InetAddress ip = bound.getAddress();
        if (ip == null) {
            return bound.getHostString();
        }
        String literal = configured.replaceAll("^\\[(.*)]$", "$1");
        if (ip.isAnyLocalAddress()) {
            return literal;
        }
        // Only a literal is parsed here: a name would mean another DNS look-up.
        if (literal.indexOf(':') >= 0 || IPV4.matcher(literal).matches()) {
            try {
                if (InetAddress.getByName(literal).equals(ip)) {
                    return literal;
                }
            } catch (UnknownHostException e) {
                // not a literal after all: the bound address
            }
        }
        return literal(ip);
    }

    /** The report's {@code listen: [0:0:0:0:0:0:0:0]:8080 backlog=...} line, said as the banner says it. */
    static String reportLine(String line, String host, InetSocketAddress bound) {
        if (!line.startsWith("listen: ")) {
            return line;
        }
        int end = line.indexOf(' ', "listen: ".length());
        String rest = end < 0 ? "" : line.substring(end);
        return "listen: " + Spelling.hostPort(host, bound.getPort()) + scope(bound) + rest;
    }

    /**
     * URLs a browser can open: on a wildcard, {@code localhost} and each of {@code machine}'s
     * addresses that another host could use (no loopback, no link-local, which needs a zone; no
     * IPv6 when only IPv4 is bound); on any other address, that address alone.
     */
    static List<String> urls(String scheme, String host, InetSocketAddress bound,
                             List<InetAddress> machine) {
        int port = bound.getPort();
        InetAddress ip = bound.getAddress();
        if (ip == null || !ip.isAnyLocalAddress()) {
            return List.of(scheme + "://" + Spelling.hostPort(host, port) + "/");
        }
        List<String> urls = new ArrayList<>();
        urls.add(scheme + "://localhost:" + port + "/");
        for (InetAddress a : machine) {
            boolean reachable = !a.isLoopbackAddress() && !a.isLinkLocalAddress() && !a.isAnyLocalAddress();
            if (reachable && (ip instanceof Inet6Address || a instanceof Inet4Address)) {
                urls.add(scheme + "://" + Spelling.hostPort(literal(a), port) + "/");
            }
        }
        return urls;
    }

    /**
     * An address as people write it: IPv6 in the short form of RFC 5952 4.2 (the longest run of
     * two or more zero groups, the first of equals, as {@code ::}), no zone; the JDK writes
     * {@code fd00:0:0:0:0:0:0:2}.
     */
    static String literal(InetAddress a) {
        String text = a.getHostAddress().replaceAll("%.*$", "");
        if (!(a instanceof Inet6Address)) {
            return text;
        }
        String[] groups = text.split(":");
        int bestStart = -1;
        int bestLength = 1;
        for (int i = 0; i < groups.length; i++) {
            int j = i;
            while (j < groups.length && groups[j].equals("0")) {
                j++;
            }
            if (j - i > bestLength) {
                bestStart = i;
                bestLength = j - i;
            }
            i = Math.max(i, j);
        }
        if (bestStart < 0) {
            return text;
        }
        String head = String.join(":", Arrays.copyOfRange(groups, 0, bestStart));
        String tail = String.join(":", Arrays.copyOfRange(groups, bestStart + bestLength, groups.length));
        return head + "::" + tail;
    }

    /** The addresses of this machine's interfaces that are up, IPv4 first; empty if unreadable. */
    static List<InetAddress> machine() {
        List<InetAddress> v4 = new ArrayList<>();
        List<InetAddress> v6 = new ArrayList<>();
        try {
            for (NetworkInterface n : Collections.list(NetworkInterface.getNetworkInterfaces())) {
                if (n.isUp()) {
                    for (InetAddress a : Collections.list(n.getInetAddresses())) {
                        (a instanceof Inet4Address ? v4 : v6).add(a);
                    }
                }
            }
        } catch (SocketException | NullPointerException e) { // NPE: no interfaces at all
            return List.of();
        }
        v4.addAll(v6);
        return v4;
    }
}
