package dev.sluice.tls;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.security.cert.CertificateParsingException;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Matching of a requested server name against a certificate's subject alternative names, as
 * RFC 6125 6.4 describes for DNS names: case-insensitive, a trailing dot ignored, and a wildcard
 * only as the whole leftmost label, matching exactly one label ({@code *.example.com} matches
 * {@code a.example.com}, not {@code example.com} nor {@code a.b.example.com}). An IP literal
 * matches IP address entries only. The subject's common name is not consulted (RFC 6125 6.4.4:
 * not when there are SANs; public CAs always put the names in SANs).
 */
final class HostNames {
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");
    private static final int SAN_DNS = 2;
    private static final int SAN_IP = 7;

    private HostNames() {
    }

    /** The SANs of {@code certificate}, each as {@code DNS:name} or {@code IP:address}, in order. */
    static List<String> subjectAltNames(X509Certificate certificate) {
        List<String> names = new ArrayList<>();
        Collection<List<?>> sans;
        try {
            sans = certificate.getSubjectAlternativeNames();
        } catch (CertificateParsingException e) {
            return names;
        }
        if (sans == null) {
            return names;
        }
        for (List<?> san : sans) {
            int type = (Integer) san.get(0);
            if (type == SAN_DNS) {
                names.add("DNS:" + san.get(1));
            } else if (type == SAN_IP) {
                names.add("IP:" + san.get(1));
            }
        }
        return names;
    }

    /** Whether {@code host} (a DNS name or an IP literal) is among the SANs {@link #subjectAltNames} gave. */
    static boolean matchesAny(List<String> subjectAltNames, String host) {
        InetAddress ip = ipLiteral(host);
        for (String san : subjectAltNames) {
            if (ip != null ? san.startsWith("IP:") && ip.equals(ipLiteral(san.substring(3)))
                    : san.startsWith("DNS:") && matches(san.substring(4), host)) {
                return true;
            }
        }
        return false;
    }

    /** Whether DNS name {@code host} matches {@code pattern}, a SAN that may start with {@code *.}. */
    static boolean matches(String pattern, String host) {
        String p = normalize(pattern);
        String h = normalize(host);
        if (!p.startsWith("*.")) {
            return p.equals(h);
        }
        String suffix = p.substring(1);
        // The wildcard stands for exactly one non-empty label, and never for a whole registrable name.
        return suffix.indexOf('.', 1) > 0 && h.endsWith(suffix) && h.length() > suffix.length()
                && h.lastIndexOf('.', h.length() - suffix.length() - 1) < 0;
    }

    /** {@code name} as an address when it is an IPv4 or IPv6 literal (never a DNS lookup), else null. */
    static InetAddress ipLiteral(String name) {
        String n = name.startsWith("[") && name.endsWith("]") ? name.substring(1, name.length() - 1) : name;
        // Hex digits, colons and dots, then perhaps a scope: anything else (zz:zz) would go to DNS.
        boolean literal = IPV4.matcher(n).matches() || (n.indexOf(':') >= 0 && n.matches("[0-9A-Fa-f:.]+(%[\\w.]+)?"));
        if (!literal) {
            return null;
        }
        try {
            return InetAddress.getByName(n);
        } catch (UnknownHostException e) {
            return null;
        }
    }

    private static String normalize(String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return lower.endsWith(".") ? lower.substring(0, lower.length() - 1) : lower;
    }
}
