package dev.sluice.http;

import dev.sluice.core.internal.IpLiteral;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code Forwarded} field (RFC 7239) and the node names of its {@code for=} parameters, which
 * {@code X-Forwarded-For} entries share. Sans I/O and stateless but for one field value being
 * read; {@link ForwardedChain} decides what to believe. Any thread.
 *
 * <p>Every failure is an {@link IllegalArgumentException} whose message is a stable
 * {@code snake_case} reason, never the input: callers log it and ignore the field.
 */
final class ForwardedParser {
    /** One hop of the chain: its {@code for=} as written ({@code null}: absent), {@code proto=}, {@code host=}. */
    record Hop(String node, String proto, String host) {
    }

    private final String s;
    private int i;

    private ForwardedParser(String s) {
        this.s = s;
    }

    /**
     * The elements of every {@code Forwarded} line, in order (several lines are one list, RFC 9110
     * 5.3).
     *
     * @throws IllegalArgumentException ({@code bad_syntax}, {@code duplicate_parameter}) when a line
     *     is not a list of {@code forwarded-element}s
     */
    static List<Hop> forwarded(List<String> lines) {
        List<Hop> hops = new ArrayList<>();
        for (String line : lines) {
            new ForwardedParser(line).elements(hops);
        }
        return hops;
    }

    /**
     * A node name: {@code 192.0.2.43}, {@code [2001:db8::17]}, either with {@code :PORT} or an
     * obfuscated {@code :_PORT}; in {@code X-Forwarded-For} also a bare IPv6 literal.
     *
     * @return the address (port 0 when none or obfuscated), or {@code null} for a node that names
     *     no address: {@code unknown}, an obfuscated {@code _name}, or none given
     * @throws IllegalArgumentException ({@code bad_node}) for anything else
     */
    static InetSocketAddress node(String node) {
        if (node == null || node.equalsIgnoreCase("unknown") || (node.startsWith("_") && obfuscated(node))) {
            return null;
        }
        String address;
        String port = null;
        if (node.startsWith("[")) {
            int close = node.indexOf(']');
            address = close < 0 ? "" : node.substring(1, close);
            if (close >= 0 && close + 1 < node.length()) {
                port = node.charAt(close + 1) == ':' ? node.substring(close + 2) : "";
            }
        } else if (node.indexOf(':') == node.lastIndexOf(':')) { // IPv4, with a port or not
            int colon = node.indexOf(':');
            address = colon < 0 ? node : node.substring(0, colon);
            port = colon < 0 ? null : node.substring(colon + 1);
        } else {
            address = node; // a bare IPv6 literal, as X-Forwarded-For writes it
        }
        InetAddress a = IpLiteral.parse(address);
        int p = port == null || (port.startsWith("_") && obfuscated(port)) ? 0 : IpLiteral.decimal(port, 65_535);
        if (a == null || p < 0) {
            throw new IllegalArgumentException("bad_node");
        }
        return new InetSocketAddress(a, p);
    }

    /** RFC 7239 6.3: {@code "_" 1*(ALPHA / DIGIT / "." / "_" / "-")}. */
    private static boolean obfuscated(String text) {
        if (text.length() < 2) {
            return false;
        }
        for (int k = 1; k < text.length(); k++) {
            char ch = text.charAt(k);
            if (!(alnum(ch) || ch == '.' || ch == '_' || ch == '-')) {
                return false;
            }
        }
        return true;
    }

    // RFC 7239 4: Forwarded = 1#forwarded-element; RFC 9110 5.6.1 lets a list have empty elements.
    private void elements(List<Hop> out) {
        while (true) {
            skipOws();
            if (i == s.length()) {
                return;
            }
            if (s.charAt(i) == ',') {
                i++;
                continue;
            }
            out.add(element());
            skipOws();
            if (i < s.length() && s.charAt(i) != ',') {
                throw new IllegalArgumentException("bad_syntax");
            }
        }
    }

    // forwarded-element = [ forwarded-pair ] *( ";" [ forwarded-pair ] )
    private Hop element() {
        Map<String, String> pairs = new HashMap<>(4);
        while (true) {
            skipOws();
            if (i < s.length() && s.charAt(i) != ';' && s.charAt(i) != ',') {
                String name = token().toLowerCase(Locale.ROOT);
                if (i == s.length() || s.charAt(i++) != '=') {
                    throw new IllegalArgumentException("bad_syntax");
                }
                String value = i < s.length() && s.charAt(i) == '"' ? quoted() : token();
                if (pairs.put(name, value) != null) { // RFC 7239 4: at most once per element
                    throw new IllegalArgumentException("duplicate_parameter");
                }
                skipOws();
            }
            if (i == s.length() || s.charAt(i) != ';') {
                return new Hop(pairs.get("for"), pairs.get("proto"), pairs.get("host"));
            }
            i++;
        }
    }

    private String token() {
        int start = i;
        while (i < s.length() && tchar(s.charAt(i))) {
            i++;
        }
        if (i == start) {
            throw new IllegalArgumentException("bad_syntax");
        }
        return s.substring(start, i);
    }

    // RFC 9110 5.6.4: quoted-string = DQUOTE *( qdtext / quoted-pair ) DQUOTE
    private String quoted() {
        StringBuilder sb = new StringBuilder();
        for (i++; i < s.length(); i++) {
            char ch = s.charAt(i);
            if (ch == '"') {
                i++;
                return sb.toString();
            }
            if (ch == '\\' && ++i < s.length()) {
                ch = s.charAt(i);
            }
            if ((ch < ' ' && ch != '\t') || ch == 0x7f) {
                break;
            }
            sb.append(ch);
        }
        throw new IllegalArgumentException("bad_syntax");
    }

    private void skipOws() {
        while (i < s.length() && (s.charAt(i) == ' ' || s.charAt(i) == '\t')) {
            i++;
        }
    }

    private static boolean alnum(char ch) {
        return (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9');
    }

    private static boolean tchar(char ch) {
        return alnum(ch) || "!#$%&'*+-.^_`|~".indexOf(ch) >= 0;
    }
}
