package dev.sluice.core;

import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Objects;

/**
 * What a connection's PROXY protocol header said ({@link ServerConfig#proxyProtocol()}), as
 * {@link ConnectionInfo#proxy()}. The client's address it names is already
 * {@link ConnectionInfo#remote()}; this adds the proxy's own address and what else it passed on.
 * The field names follow HAProxy's proxy-protocol.txt.
 *
 * @param version 1 (text) or 2 (binary)
 * @param local a {@code LOCAL} command (v2): the proxy speaks for itself, such as a health check,
 *     and the connection is served with the proxy's own address
 * @param peer the proxy's address: the other end of the TCP connection
 * @param source the client's address as the proxy saw it; null for {@code LOCAL}, a v1
 *     {@code UNKNOWN}, and a v2 {@code AF_UNSPEC} or {@code AF_UNIX} header, when the connection
 *     is served with {@link #peer}
 * @param destination the address the client connected to, on the proxy; null when {@code source} is
 * @param tlvs the v2 type-length-values in the order sent ({@link #tlv} finds one by type); none
 *     for v1 and {@code LOCAL}
 */
public record ProxyInfo(int version, boolean local, InetSocketAddress peer, InetSocketAddress source,
                        InetSocketAddress destination, List<Tlv> tlvs) {
    /** The upper layer protocol negotiated with the client (TLS ALPN), such as {@code h2}. */
    public static final int TYPE_ALPN = 0x01;
    /** The host name the client asked for (TLS SNI), UTF-8. */
    public static final int TYPE_AUTHORITY = 0x02;
    /** A CRC32C of the header; checked when present, a mismatch refuses the connection. */
    public static final int TYPE_CRC32C = 0x03;
    /** Padding, ignored. */
    public static final int TYPE_NOOP = 0x04;
    /** An opaque id of the connection, chosen by the proxy, at most 128 bytes. */
    public static final int TYPE_UNIQUE_ID = 0x05;
    /** How the client reached the proxy over TLS: {@link Ssl}. */
    public static final int TYPE_SSL = 0x20;
    /** The network namespace the proxy accepted the connection in, US-ASCII. */
    public static final int TYPE_NETNS = 0x30;

    public ProxyInfo {
        Objects.requireNonNull(peer, "peer");
        tlvs = List.copyOf(tlvs);
    }

    /** The value of the first TLV of {@code type}, or null when none was sent. */
    public byte[] tlv(int type) {
        return Tlv.first(tlvs, type);
    }

    /** {@link #TYPE_ALPN} as text, or null. */
    public String alpn() {
        return text(tlv(TYPE_ALPN));
    }

    /** {@link #TYPE_AUTHORITY}: the host name the client sent the proxy (SNI), or null. */
    public String authority() {
        return text(tlv(TYPE_AUTHORITY));
    }

    /** {@link #TYPE_UNIQUE_ID}, or null. */
    public byte[] uniqueId() {
        return tlv(TYPE_UNIQUE_ID);
    }

    /** {@link #TYPE_SSL}: the client's TLS connection to the proxy, or null when it sent none. */
    public Ssl ssl() {
        byte[] v = tlv(TYPE_SSL);
        return v == null ? null : Ssl.decode(v);
    }

    private static String text(byte[] v) {
        return v == null ? null : new String(v, StandardCharsets.UTF_8);
    }

    /**
     * One type-length-value of a v2 header.
     *
     * @param type 0..255: the {@code TYPE_*} constants, {@code 0xE0..0xEF} for applications
     * @param value its bytes (a copy)
     */
    public record Tlv(int type, byte[] value) {
        public Tlv {
            value = value.clone();
        }

        @Override
        public byte[] value() {
            return value.clone();
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Tlv t && t.type == type && Arrays.equals(t.value, value);
        }

        @Override
        public int hashCode() {
            return type * 31 + Arrays.hashCode(value);
        }

        @Override
        public String toString() {
            return "Tlv[type=0x" + Integer.toHexString(type) + ", " + value.length + " bytes]";
        }

        static byte[] first(List<Tlv> tlvs, int type) {
            for (Tlv t : tlvs) {
                if (t.type == type) {
                    return t.value();
                }
            }
            return null;
        }
    }

    /**
     * {@link #TYPE_SSL}: how the client reached the proxy, as the proxy tells it.
     *
     * @param client bit flags: {@link #CLIENT_SSL}, {@link #CLIENT_CERT_CONN}, {@link #CLIENT_CERT_SESS}
     * @param verify 0 when the client sent a certificate and the proxy verified it, else not 0
     * @param subTlvs the sub-TLVs ({@code SUBTYPE_*}) in the order sent
     */
    public record Ssl(int client, long verify, List<Tlv> subTlvs) {
        /** The client connected over TLS. */
        public static final int CLIENT_SSL = 0x01;
        /** The client sent a certificate on this connection. */
        public static final int CLIENT_CERT_CONN = 0x02;
        /** The client sent a certificate on this TLS session (perhaps an earlier connection). */
        public static final int CLIENT_CERT_SESS = 0x04;
        public static final int SUBTYPE_VERSION = 0x21;
        public static final int SUBTYPE_CN = 0x22;
        public static final int SUBTYPE_CIPHER = 0x23;
        public static final int SUBTYPE_SIG_ALG = 0x24;
        public static final int SUBTYPE_KEY_ALG = 0x25;

        public Ssl {
            subTlvs = List.copyOf(subTlvs);
        }

        /** Whether the client spoke TLS to the proxy. */
        public boolean secure() {
            return (client & CLIENT_SSL) != 0;
        }

        /** Whether the client sent a certificate and the proxy verified it. */
        public boolean verifiedClientCertificate() {
            return (client & (CLIENT_CERT_CONN | CLIENT_CERT_SESS)) != 0 && verify == 0;
        }

        /** The TLS version, such as {@code TLSv1.3}, or null. */
        public String version() {
            return text(Tlv.first(subTlvs, SUBTYPE_VERSION));
        }

        /** The common name of the client certificate's subject, or null. */
        public String commonName() {
            return text(Tlv.first(subTlvs, SUBTYPE_CN));
        }

        /** The cipher, such as {@code ECDHE-RSA-AES128-GCM-SHA256}, or null. */
        public String cipher() {
            return text(Tlv.first(subTlvs, SUBTYPE_CIPHER));
        }

        /** The algorithm that signed the client certificate, such as {@code SHA256}, or null. */
        public String signatureAlgorithm() {
            return text(Tlv.first(subTlvs, SUBTYPE_SIG_ALG));
        }

        /** The client certificate's key algorithm, such as {@code RSA2048}, or null. */
        public String keyAlgorithm() {
            return text(Tlv.first(subTlvs, SUBTYPE_KEY_ALG));
        }

        /**
         * Reads the value of a {@link #TYPE_SSL}: client (1 byte), verify (4), then sub-TLVs.
         *
         * @throws IllegalArgumentException when it is shorter than 5 bytes or a sub-TLV overruns it
         */
        static Ssl decode(byte[] v) {
            if (v.length < 5) {
                throw new IllegalArgumentException("an SSL TLV of " + v.length + " bytes; at least 5 wanted");
            }
            long verify = ((v[1] & 0xffL) << 24) | ((v[2] & 0xff) << 16) | ((v[3] & 0xff) << 8) | (v[4] & 0xff);
            return new Ssl(v[0] & 0xff, verify, tlvs(v, 5, v.length));
        }
    }

    /**
     * The TLVs in {@code b[from, to)}.
     *
     * @throws IllegalArgumentException when one overruns {@code to}
     */
    static List<Tlv> tlvs(byte[] b, int from, int to) {
        List<Tlv> list = new ArrayList<>();
        for (int at = from; at < to; ) {
            if (to - at < 3) {
                throw new IllegalArgumentException("a TLV cut short after " + (to - at) + " bytes");
            }
            int length = ((b[at + 1] & 0xff) << 8) | (b[at + 2] & 0xff);
            if (length > to - at - 3) {
                throw new IllegalArgumentException("a TLV of " + length + " bytes where " + (to - at - 3)
                        + " are left");
            }
            list.add(new Tlv(b[at] & 0xff, Arrays.copyOfRange(b, at + 3, at + 3 + length)));
            at += 3 + length;
        }
        return list;
    }
}
