package dev.sluice.core.internal;

import java.net.InetAddress;
import java.net.UnknownHostException;

/**
 * IP address literals, read without a name lookup: {@link InetAddress#getByName} asks DNS about
 * anything that is not a literal, and neither a PROXY header, a {@code Forwarded} field nor a flag
 * may cause a lookup.
 *
 * <p>Not API: exported only to Sluice's own modules.
 */
public final class IpLiteral {
    private IpLiteral() {
    }

    /** An IPv4 or an IPv6 literal; null if {@code text} is neither. */
    public static InetAddress parse(String text) {
        InetAddress a = ipv4(text);
        return a != null ? a : ipv6(text);
    }

    /** Dotted-quad IPv4, four decimal numbers 0..255 without leading zeros; null if it is not one. */
    public static InetAddress ipv4(String text) {
        String[] parts = text.split("\\.", -1);
        if (parts.length != 4) {
            return null;
        }
        byte[] bytes = new byte[4];
        for (int i = 0; i < 4; i++) {
            int v = decimal(parts[i], 255);
            if (v < 0) {
                return null;
            }
            bytes[i] = (byte) v;
        }
        try {
            return InetAddress.getByAddress(bytes);
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // only for a length other than 4 or 16
        }
    }

    /**
     * IPv6 text (RFC 4291 2.2, with an embedded IPv4 address or not; no zone); null if it is not
     * one. An IPv4-mapped address ({@code ::ffff:192.0.2.1}) comes back as the IPv4 address, as
     * the JDK reports a peer's.
     */
    public static InetAddress ipv6(String text) {
        if (text.isEmpty() || text.length() > 45 || text.indexOf(':') < 0
                || !(text.charAt(0) == ':' || hex(text.charAt(0)))) {
            return null;
        }
        for (int i = 0; i < text.length(); i++) {
            char ch = text.charAt(i);
            if (ch != ':' && ch != '.' && !hex(ch)) {
                return null;
            }
        }
        try {
            // Starting with a hex digit or a colon and holding a colon: the JDK parses it as an
            // IPv6 literal or refuses it, and never looks it up.
            return InetAddress.getByName(text);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    /** An ASCII hex digit (Character.digit takes other scripts' digits too). */
    private static boolean hex(char ch) {
        char lower = (char) (ch | 0x20);
        return (ch >= '0' && ch <= '9') || (lower >= 'a' && lower <= 'f');
    }

    /** A decimal number 0..{@code max} without sign or leading zero; -1 if {@code text} is not one. */
    public static int decimal(String text, int max) {
        int n = text.length();
        if (n == 0 || n > 10 || (n > 1 && text.charAt(0) == '0')) {
            return -1;
        }
        long v = 0;
        for (int i = 0; i < n; i++) {
            int d = text.charAt(i) - '0';
            if (d < 0 || d > 9) {
                return -1;
            }
            v = v * 10 + d;
        }
        return v <= max ? (int) v : -1;
    }
}
