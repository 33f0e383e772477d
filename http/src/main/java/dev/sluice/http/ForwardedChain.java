package dev.sluice.http;

import dev.sluice.core.ConnectionInfo;
import dev.sluice.core.TrustedProxies;
import dev.sluice.http.ForwardedParser.Hop;
import java.lang.System.Logger.Level;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * Who sent a request, by the rightmost-untrusted rule: when the connection's peer is a trusted
 * proxy, the chain of hops its forwarding fields list is walked from the right, past every hop
 * that is itself a trusted proxy, and the first that is not is the client. A chain of trusted
 * proxies only ends at its leftmost hop. The fields of an untrusted peer are never read: anyone
 * may write them. Runs on the thread that asks {@link HttpRequest#clientAddress()} and the like.
 *
 * <p>{@code Forwarded} (RFC 7239) is read when present; else {@code X-Forwarded-For},
 * {@code X-Forwarded-Proto} and {@code X-Forwarded-Host}. A field that is not well formed, or a
 * hop the walk reaches whose address, proto or host is not one, is ignored as a whole (logged at
 * DEBUG as {@code forwarded_ignored}) and the peer stands. A hop that names no address
 * ({@code unknown}, an obfuscated {@code _name}) ends the walk: the address before it stands.
 */
final class ForwardedChain {
    private static final System.Logger LOG = System.getLogger("dev.sluice.http");
    private static final int MAX_HOST_CHARS = 255;

    private ForwardedChain() {
    }

    /** The origin of a request with {@code headers} on {@code connection}; {@code trusted} null: none trusted. */
    static ForwardedOrigin resolve(Headers headers, ConnectionInfo connection, TrustedProxies trusted) {
        InetSocketAddress peer = connection.remote();
        ForwardedOrigin none = new ForwardedOrigin(peer, null, null);
        if (trusted == null || !trusted.contains(peer.getAddress())) {
            return none;
        }
        try {
            List<String> forwarded = headers.all("Forwarded");
            return walk(forwarded.isEmpty() ? xForwarded(headers) : ForwardedParser.forwarded(forwarded),
                    peer, trusted);
        } catch (IllegalArgumentException e) {
            LOG.log(Level.DEBUG, () -> "conn=" + connection.id() + " forwarded_ignored reason=" + e.getMessage());
            return none;
        }
    }

    /**
     * The rightmost-untrusted rule over {@code hops} (left to right, as the fields list them) for
     * a request from the trusted {@code peer}.
     *
     * @throws IllegalArgumentException naming what is wrong with a hop the walk reaches
     */
    static ForwardedOrigin walk(List<Hop> hops, InetSocketAddress peer, TrustedProxies trusted) {
        InetSocketAddress client = peer;
        Hop chosen = null;
        for (int k = hops.size() - 1; k >= 0; k--) {
            chosen = hops.get(k);
            InetSocketAddress node = ForwardedParser.node(chosen.node());
            if (node == null) {
                break; // names no address, so it cannot be a trusted proxy: the walk ends here
            }
            client = node;
            if (!trusted.contains(node.getAddress())) {
                break;
            }
        }
        return chosen == null ? new ForwardedOrigin(client, null, null)
                : new ForwardedOrigin(client, proto(chosen.proto()), host(chosen.host()));
    }

    /**
     * {@code X-Forwarded-For} as hops, each with its {@code X-Forwarded-Proto} and
     * {@code X-Forwarded-Host}: one value of those goes with every hop, a list is matched to the
     * hops from the right (each proxy appending its own).
     */
    static List<Hop> xForwarded(Headers headers) {
        List<String> fors = entries(headers.all("X-Forwarded-For"));
        List<String> protos = entries(headers.all("X-Forwarded-Proto"));
        List<String> hosts = entries(headers.all("X-Forwarded-Host"));
        int n = Math.max(fors.size(), protos.isEmpty() && hosts.isEmpty() ? 0 : 1);
        List<Hop> hops = new ArrayList<>(n);
        for (int k = 0; k < n; k++) {
            String node = fors.isEmpty() ? null : fors.get(k);
            hops.add(new Hop(node, aligned(protos, n, k), aligned(hosts, n, k)));
        }
        return hops;
    }

    private static String aligned(List<String> values, int hops, int k) {
        if (values.size() <= 1) {
            return values.isEmpty() ? null : values.get(0);
        }
        int j = values.size() - (hops - k);
        return j >= 0 ? values.get(j) : null;
    }

    /** The comma-separated entries of every line, in order, without spaces or empty ones. */
    private static List<String> entries(List<String> lines) {
        List<String> out = new ArrayList<>();
        for (String line : lines) {
            for (String entry : line.split(",")) {
                String e = entry.strip();
                if (!e.isEmpty()) {
                    out.add(e);
                }
            }
        }
        return out;
    }

    private static String proto(String proto) {
        if (proto == null) {
            return null;
        }
        String p = proto.toLowerCase(Locale.ROOT);
        if (!p.equals("http") && !p.equals("https")) {
            throw new IllegalArgumentException("bad_proto");
        }
        return p;
    }

    // RFC 9110 7.2: Host = uri-host [ ":" port ]; reg-name, IPv4 or an IP-literal in brackets.
    private static String host(String host) {
        if (host == null) {
            return null;
        }
        boolean ok = !host.isEmpty() && host.length() <= MAX_HOST_CHARS;
        for (int k = 0; ok && k < host.length(); k++) {
            char ch = host.charAt(k);
            ok = (ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9')
                    || "-._~%!$&'()*+=:[]".indexOf(ch) >= 0;
        }
        if (!ok) {
            throw new IllegalArgumentException("bad_host");
        }
        return host;
    }
}
