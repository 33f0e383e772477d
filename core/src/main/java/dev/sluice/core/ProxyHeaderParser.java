package dev.sluice.core;

import dev.sluice.core.internal.IpLiteral;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.List;
import java.util.zip.CRC32C;

/**
 * The PROXY protocol header's decoder, sans I/O (HAProxy's proxy-protocol.txt, versions 1 and 2):
 * the version is told by the first bytes, and bytes that cannot begin either are refused at once.
 * Stateless: {@link #parse} looks at the bytes read so far and either decodes a whole header or
 * asks for more, consuming nothing, so the caller keeps appending to one buffer.
 *
 * <table>
 *   <caption>Bounds</caption>
 *   <tr><th>what</th><th>bound</th><th>past it</th></tr>
 *   <tr><td>a v1 line, CRLF included</td><td>{@value #MAX_V1_BYTES} bytes (the spec's)</td><td>refused</td></tr>
 *   <tr><td>a v2 header, its 16 fixed bytes included</td><td>{@value #MAX_V2_BYTES} bytes</td>
 *       <td>refused once its length field is read</td></tr>
 *   <tr><td>{@link ProxyInfo#TYPE_UNIQUE_ID}</td><td>128 bytes (the spec's)</td><td>refused</td></tr>
 * </table>
 *
 * <p>Accepted and served with the proxy's own address: v2 {@code LOCAL} (its address block is
 * skipped unread, as the spec says), v1 {@code UNKNOWN} (the rest of its line ignored), and v2
 * {@code PROXY} over {@code AF_UNSPEC} or {@code AF_UNIX}. Refused: any other version, command or
 * family, a v2 datagram family, addresses shorter than their family's, a TLV that overruns the
 * header, a {@link ProxyInfo#TYPE_CRC32C} that does not match, a v1 line that is not
 * {@code PROXY TCP4|TCP6 SRC DST SPORT DPORT} with literal addresses of that family and ports
 * 0..65535 without leading zeros.
 */
final class ProxyHeaderParser {
    /** The longest v1 line the spec allows, CRLF included ({@code PROXY UNKNOWN} and two full IPv6 addresses). */
    static final int MAX_V1_BYTES = 107;
    /**
     * The longest v2 header taken, its 16 fixed bytes included: room for the addresses and every
     * TLV HAProxy sends (authority, unique id, SSL with its sub-TLVs), while a header that claims
     * the protocol's 64 KiB holds no buffer of that size.
     */
    static final int MAX_V2_BYTES = 4096;
    static final int MAX_UNIQUE_ID_BYTES = 128;
    private static final byte[] V1 = "PROXY ".getBytes(StandardCharsets.US_ASCII);
    private static final byte[] V2 = {0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a};
    private static final int V2_FIXED = 16;

    private ProxyHeaderParser() {
    }

    /** A header that is not, and can never become, a valid PROXY header. */
    static final class BadHeaderException extends Exception {
        private static final long serialVersionUID = 1L;

        BadHeaderException(String message) {
            super(message, null, false, false);
        }
    }

    /**
     * Decodes the header at the start of {@code in} (read mode), sent by {@code peer}.
     *
     * @return the header, {@code in} advanced past exactly its bytes; or null, nothing consumed,
     *     while the bytes so far are the start of one
     * @throws BadHeaderException when they can never be one; the message says why, never what was sent
     */
    static ProxyInfo parse(ByteBuffer in, InetSocketAddress peer) throws BadHeaderException {
        if (!in.hasRemaining()) {
            return null;
        }
        if (startsWith(in, V2)) {
            return in.remaining() < V2_FIXED ? null : v2(in, peer);
        }
        if (startsWith(in, V1)) {
            return in.remaining() < V1.length ? null : v1(in, peer);
        }
        throw new BadHeaderException("no PROXY header");
    }

    /** Whether {@code in}'s bytes begin {@code signature} as far as there are any. */
    private static boolean startsWith(ByteBuffer in, byte[] signature) {
        int n = Math.min(in.remaining(), signature.length);
        return in.slice(in.position(), n).equals(ByteBuffer.wrap(signature, 0, n));
    }

    private static ProxyInfo v1(ByteBuffer in, InetSocketAddress peer) throws BadHeaderException {
        int start = in.position();
        int scan = Math.min(in.remaining(), MAX_V1_BYTES);
        int lf = -1;
        for (int i = V1.length; i < scan && lf < 0; i++) {
            byte b = in.get(start + i);
            if (b == '\n') {
                lf = i;
            } else if ((b < 0x20 && b != '\r') || b > 0x7e) {
                throw new BadHeaderException("a v1 header with a byte that is not printable ASCII");
            }
        }
        if (lf < 0) {
            if (in.remaining() >= MAX_V1_BYTES) {
                throw new BadHeaderException("a v1 header with no CRLF in " + MAX_V1_BYTES + " bytes");
            }
            return null;
        }
        if (in.get(start + lf - 1) != '\r') {
            throw new BadHeaderException("a v1 header that does not end in CRLF");
        }
        byte[] line = new byte[lf - 1];
        in.get(start, line);
        in.position(start + lf + 1);
        return v1Fields(new String(line, StandardCharsets.US_ASCII).split(" ", -1), peer);
    }

    /** {@code PROXY TCP4|TCP6 SRC DST SPORT DPORT}, or {@code PROXY UNKNOWN} and anything. */
    private static ProxyInfo v1Fields(String[] f, InetSocketAddress peer) throws BadHeaderException {
        if (f[1].equals("UNKNOWN")) {
            return new ProxyInfo(1, false, peer, null, null, List.of());
        }
        boolean v6 = f[1].equals("TCP6");
        if (!v6 && !f[1].equals("TCP4")) {
            throw new BadHeaderException("a v1 header of an unknown protocol");
        }
        if (f.length != 6) {
            throw new BadHeaderException("a v1 header with " + (f.length - 2) + " fields after its protocol; 4 wanted");
        }
        InetAddress src = v6 ? IpLiteral.ipv6(f[2]) : IpLiteral.ipv4(f[2]);
        InetAddress dst = v6 ? IpLiteral.ipv6(f[3]) : IpLiteral.ipv4(f[3]);
        int sport = IpLiteral.decimal(f[4], 65_535);
        int dport = IpLiteral.decimal(f[5], 65_535);
        if (src == null || dst == null) {
            throw new BadHeaderException("a v1 header whose addresses are not " + f[1] + " literals");
        }
        if (sport < 0 || dport < 0) {
            throw new BadHeaderException("a v1 header whose ports are not 0..65535");
        }
        return new ProxyInfo(1, false, peer, new InetSocketAddress(src, sport), new InetSocketAddress(dst, dport),
                List.of());
    }

    private static ProxyInfo v2(ByteBuffer in, InetSocketAddress peer) throws BadHeaderException {
        int start = in.position();
        int versionCommand = in.get(start + 12) & 0xff;
        if (versionCommand >> 4 != 2) {
            throw new BadHeaderException("a v2 header of version " + (versionCommand >> 4));
        }
        int command = versionCommand & 0x0f;
        if (command > 1) {
            throw new BadHeaderException("a v2 header of an unknown command " + command);
        }
        int length = V2_FIXED + (((in.get(start + 14) & 0xff) << 8) | (in.get(start + 15) & 0xff));
        if (length > MAX_V2_BYTES) {
            throw new BadHeaderException("a v2 header of " + length + " bytes; at most " + MAX_V2_BYTES + " taken");
        }
        if (in.remaining() < length) {
            return null;
        }
        byte[] header = new byte[length];
        in.get(header);
        if (command == 0) { // LOCAL: "discard the protocol block including the family"
            return new ProxyInfo(2, true, peer, null, null, List.of());
        }
        return v2Proxy(header, peer);
    }

    /** A whole v2 {@code PROXY} header: its family's addresses, then TLVs to the end. */
    private static ProxyInfo v2Proxy(byte[] h, InetSocketAddress peer) throws BadHeaderException {
        int family = h[13] & 0xff;
        int addresses = switch (family) {
            case 0x00 -> 0; // AF_UNSPEC: "use the real connection endpoints"
            case 0x11 -> 12; // TCP over IPv4: source, destination, their ports
            case 0x21 -> 36; // TCP over IPv6
            case 0x31 -> 216; // a UNIX stream socket's two paths: no IP to serve with
            case 0x12, 0x22, 0x32 -> throw new BadHeaderException("a v2 header of datagram addresses");
            default -> throw new BadHeaderException("a v2 header of an unknown family " + family);
        };
        if (V2_FIXED + addresses > h.length) {
            throw new BadHeaderException("a v2 header shorter than its addresses");
        }
        List<ProxyInfo.Tlv> tlvs;
        try {
            tlvs = ProxyInfo.tlvs(h, V2_FIXED + addresses, h.length);
            checkTlvs(h, V2_FIXED + addresses, tlvs);
        } catch (IllegalArgumentException e) {
            throw new BadHeaderException("a v2 header with " + e.getMessage());
        }
        if (family != 0x11 && family != 0x21) {
            return new ProxyInfo(2, false, peer, null, null, tlvs);
        }
        int ip = family == 0x11 ? 4 : 16;
        return new ProxyInfo(2, false, peer, endpoint(h, V2_FIXED, ip, V2_FIXED + 2 * ip),
                endpoint(h, V2_FIXED + ip, ip, V2_FIXED + 2 * ip + 2), tlvs);
    }

    /** The address of {@code length} bytes at {@code h[at]} and the port at {@code h[port]}. */
    private static InetSocketAddress endpoint(byte[] h, int at, int length, int port) {
        try {
            InetAddress a = InetAddress.getByAddress(Arrays.copyOfRange(h, at, at + length));
            return new InetSocketAddress(a, ((h[port] & 0xff) << 8) | (h[port + 1] & 0xff));
        } catch (UnknownHostException e) {
            throw new IllegalStateException(e); // 4 or 16 bytes, never another length
        }
    }

    /**
     * The rules of the TLVs that have some, which begin at {@code h[from]}: the unique id's length,
     * the SSL TLV's shape, the CRC.
     */
    private static void checkTlvs(byte[] h, int from, List<ProxyInfo.Tlv> tlvs) {
        int at = from;
        for (ProxyInfo.Tlv t : tlvs) {
            byte[] v = t.value();
            switch (t.type()) {
                case ProxyInfo.TYPE_UNIQUE_ID -> require(v.length <= MAX_UNIQUE_ID_BYTES,
                        "a unique id of " + v.length + " bytes; at most " + MAX_UNIQUE_ID_BYTES);
                case ProxyInfo.TYPE_SSL -> ProxyInfo.Ssl.decode(v);
                case ProxyInfo.TYPE_CRC32C -> require(v.length == 4 && crcMatches(h, at + 3, v),
                        "a CRC32C that does not match");
                default -> { }
            }
            at += 3 + v.length;
        }
    }

    private static void require(boolean valid, String otherwise) {
        if (!valid) {
            throw new IllegalArgumentException(otherwise);
        }
    }

    /**
     * Whether {@code crc}, at {@code h[at]}, is the CRC32C of the header with its own four bytes
     * zeroed (the spec, after RFC 4960 appendix B), in network order.
     */
    private static boolean crcMatches(byte[] h, int at, byte[] crc) {
        byte[] zeroed = h.clone();
        Arrays.fill(zeroed, at, at + 4, (byte) 0);
        CRC32C sum = new CRC32C();
        sum.update(zeroed);
        return (int) sum.getValue() == ByteBuffer.wrap(crc).getInt();
    }
}
