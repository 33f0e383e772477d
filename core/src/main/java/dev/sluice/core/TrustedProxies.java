package dev.sluice.core;

import dev.sluice.core.internal.IpLiteral;
import java.net.Inet4Address;
import java.net.InetAddress;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;
import java.util.stream.Collectors;

/**
 * The peers whose PROXY protocol header is believed ({@link ServerConfig#proxyProtocol()}): IP
 * networks in CIDR notation. A peer outside them is closed before a byte of it is read, because
 * a header is only as true as whoever sends it: anyone who may send one may claim any address.
 *
 * <pre>{@code
 * ServerConfig.defaults().withProxyProtocol(TrustedProxies.parse("10.0.0.0/8,2001:db8::/32"));
 * }</pre>
 *
 * @param networks at least one; an IPv4 network matches IPv4 peers (IPv4-mapped IPv6 peers
 *     included, as the JDK reports them as IPv4), an IPv6 network IPv6 peers
 */
public record TrustedProxies(List<Network> networks) {
    public TrustedProxies {
        networks = List.copyOf(networks);
        if (networks.isEmpty()) {
            throw new IllegalArgumentException("trusted-proxies must name at least one network");
        }
    }

    /**
     * Networks separated by commas, each a CIDR block ({@code 10.0.0.0/8}, {@code fd00::/8}) or
     * one address ({@code 192.0.2.7}: {@code /32}; {@code ::1}: {@code /128}); literals only, never
     * a name to look up.
     *
     * @throws IllegalArgumentException naming the part that is not a network
     */
    public static TrustedProxies parse(String networks) {
        List<Network> list = new ArrayList<>();
        for (String part : networks.split(",", -1)) {
            list.add(Network.parse(part.strip()));
        }
        return new TrustedProxies(list);
    }

    /** Whether {@code address} is in one of the networks. */
    public boolean contains(InetAddress address) {
        for (Network n : networks) {
            if (n.contains(address)) {
                return true;
            }
        }
        return false;
    }

    /** The networks as {@link #parse} reads them: {@code 10.0.0.0/8,::1/128}. */
    @Override
    public String toString() {
        return networks.stream().map(Network::toString).collect(Collectors.joining(","));
    }

    /**
     * One IP network.
     *
     * @param address the network's address, its bits past the prefix cleared
     * @param prefixLength the bits of {@code address} that a member shares: 0..32 for IPv4, 0..128 for IPv6
     */
    public record Network(InetAddress address, int prefixLength) {
        public Network {
            Objects.requireNonNull(address, "address");
            int bits = address.getAddress().length * 8;
            if (prefixLength < 0 || prefixLength > bits) {
                throw new IllegalArgumentException("trusted-proxies must have a prefix length of 0.." + bits
                        + " for " + address.getHostAddress() + ", got " + prefixLength);
            }
            address = masked(address, prefixLength);
        }

        /**
         * {@code ADDRESS/PREFIX} or one {@code ADDRESS}, literals only.
         *
         * @throws IllegalArgumentException when {@code cidr} is not one
         */
        public static Network parse(String cidr) {
            int slash = cidr.indexOf('/');
            InetAddress a = IpLiteral.parse(slash < 0 ? cidr : cidr.substring(0, slash));
            int max = a instanceof Inet4Address ? 32 : 128;
            int prefix = slash < 0 ? max : IpLiteral.decimal(cidr.substring(slash + 1), max);
            if (a == null || prefix < 0) {
                throw new IllegalArgumentException("trusted-proxies must be IP networks such as 10.0.0.0/8 "
                        + "or addresses such as 2001:db8::7; '" + cidr + "' is not one");
            }
            return new Network(a, prefix);
        }

        /** Whether {@code peer} is in this network. */
        public boolean contains(InetAddress peer) {
            byte[] p = peer.getAddress();
            byte[] n = address.getAddress();
            if (p.length != n.length) {
                return false;
            }
            int whole = prefixLength / 8;
            for (int i = 0; i < whole; i++) {
                if (p[i] != n[i]) {
                    return false;
                }
            }
            int rest = prefixLength % 8;
            return rest == 0 || ((p[whole] ^ n[whole]) & (0xff << (8 - rest))) == 0;
        }

        @Override
        public String toString() {
            return address.getHostAddress() + "/" + prefixLength;
        }

        private static InetAddress masked(InetAddress address, int prefixLength) {
            byte[] b = address.getAddress();
            for (int i = 0; i < b.length; i++) {
                int keep = Math.max(0, Math.min(8, prefixLength - i * 8));
                b[i] &= (byte) (0xff << (8 - keep));
            }
            try {
                return InetAddress.getByAddress(b);
            } catch (java.net.UnknownHostException e) {
                throw new IllegalStateException(e); // the length came from an address
            }
        }
    }
}
