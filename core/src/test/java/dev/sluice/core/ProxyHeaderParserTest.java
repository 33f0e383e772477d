package dev.sluice.core;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.zip.CRC32C;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The PROXY header decoder, sans I/O: each header fed whole, byte by byte and split at every
 * offset, then truncated, oversized and garbage headers. What follows a header is never consumed.
 */
class ProxyHeaderParserTest {
    static final InetSocketAddress PEER = new InetSocketAddress("127.0.0.1", 40000);
    static final byte[] V2_SIGNATURE = {0x0d, 0x0a, 0x0d, 0x0a, 0x00, 0x0d, 0x0a, 0x51, 0x55, 0x49, 0x54, 0x0a};
    private static final byte[] AFTER = "GET / HTTP/1.1\r\n".getBytes(StandardCharsets.US_ASCII);

    /** Decodes {@code header} fed whole, byte by byte and split at every offset; the same each way. */
    private static ProxyInfo decode(byte[] header) throws Exception {
        ByteBuffer whole = ByteBuffer.wrap(concat(header, AFTER));
        ProxyInfo info = ProxyHeaderParser.parse(whole, PEER);
        assertThat(info).as("whole").isNotNull();
        assertThat(whole.position()).as("consumed exactly the header").isEqualTo(header.length);
        for (int split = 0; split < header.length; split++) {
            ByteBuffer part = ByteBuffer.wrap(header, 0, split);
            assertThat(ProxyHeaderParser.parse(part, PEER)).as("the first %d bytes", split).isNull();
            assertThat(part.position()).as("nothing consumed of %d bytes", split).isZero();
            ByteBuffer rest = ByteBuffer.wrap(concat(header, AFTER));
            assertThat(ProxyHeaderParser.parse(rest, PEER)).as("then all, split at %d", split).isEqualTo(info);
        }
        ByteBuffer grown = ByteBuffer.allocate(header.length + AFTER.length);
        ProxyInfo byteByByte = null;
        for (int i = 0; i < header.length && byteByByte == null; i++) {
            grown.put(header[i]).flip();
            byteByByte = ProxyHeaderParser.parse(grown, PEER);
            assertThat(byteByByte == null).as("whole only at its last byte, %d", i).isEqualTo(i < header.length - 1);
            grown.compact();
        }
        assertThat(byteByByte).as("byte by byte").isEqualTo(info);
        return info;
    }

    private static String refusal(byte[] bytes) {
        ProxyHeaderParser.BadHeaderException e = org.junit.jupiter.api.Assertions.assertThrows(
                ProxyHeaderParser.BadHeaderException.class, () -> ProxyHeaderParser.parse(ByteBuffer.wrap(bytes), PEER));
        return e.getMessage();
    }

    private static byte[] ascii(String s) {
        return s.getBytes(StandardCharsets.ISO_8859_1);
    }

    static byte[] concat(byte[]... parts) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        for (byte[] p : parts) {
            out.writeBytes(p);
        }
        return out.toByteArray();
    }

    /** A v2 header: signature, version and command, family, length, then the block. */
    static byte[] v2(int versionCommand, int family, byte[]... block) {
        byte[] body = concat(block);
        ByteBuffer b = ByteBuffer.allocate(16 + body.length).put(V2_SIGNATURE)
                .put((byte) versionCommand).put((byte) family).putShort((short) body.length).put(body);
        return b.array();
    }

    static byte[] tlv(int type, byte[] value) {
        return ByteBuffer.allocate(3 + value.length).put((byte) type).putShort((short) value.length).put(value).array();
    }

    /** The address block of TCP over IPv4 or IPv6. */
    static byte[] addresses(InetSocketAddress src, InetSocketAddress dst) {
        byte[] s = src.getAddress().getAddress();
        return ByteBuffer.allocate(2 * s.length + 4).put(s).put(dst.getAddress().getAddress())
                .putShort((short) src.getPort()).putShort((short) dst.getPort()).array();
    }

    private static InetSocketAddress at(String literal, int port) throws Exception {
        return new InetSocketAddress(InetAddress.getByName(literal), port);
    }

    @Test
    void v1Tcp4() throws Exception {
        ProxyInfo info = decode(ascii("PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n"));
        assertThat(info.version()).isEqualTo(1);
        assertThat(info.local()).isFalse();
        assertThat(info.peer()).isEqualTo(PEER);
        assertThat(info.source()).isEqualTo(at("192.0.2.1", 56324));
        assertThat(info.destination()).isEqualTo(at("198.51.100.2", 443));
        assertThat(info.tlvs()).isEmpty();
    }

    @Test
    void v1Tcp6() throws Exception {
        ProxyInfo info = decode(ascii("PROXY TCP6 2001:db8::1 2001:db8:0:0:0:0:0:2 0 65535\r\n"));
        assertThat(info.source()).isEqualTo(at("2001:db8::1", 0));
        assertThat(info.destination()).isEqualTo(at("2001:db8::2", 65535));
    }

    @Test
    void v1UnknownIsServedAsThePeerWhateverFollowsIt() throws Exception {
        assertThat(decode(ascii("PROXY UNKNOWN\r\n")).source()).isNull();
        ProxyInfo info = decode(ascii("PROXY UNKNOWN ffff::1 ffff::2 1 2\r\n"));
        assertThat(info.source()).isNull();
        assertThat(info.local()).isFalse();
    }

    @Test
    void v1OfTheLongestLengthIsTakenAndOneByteMoreIsRefused() throws Exception {
        String six = "ffff:ffff:ffff:ffff:ffff:ffff:ffff:ffff";
        byte[] longest = ascii("PROXY UNKNOWN " + six + " " + six + " 65535 65535\r\n");
        assertThat(longest).hasSize(ProxyHeaderParser.MAX_V1_BYTES);
        assertThat(decode(longest).source()).isNull();
        byte[] longer = ascii("PROXY UNKNOWN " + six + " " + six + " 65535 655350\r\n");
        assertThat(refusal(longer)).isEqualTo("a v1 header with no CRLF in 107 bytes");
        assertThat(refusal(Arrays.copyOf(longer, 107))).as("refused before the rest arrives")
                .isEqualTo("a v1 header with no CRLF in 107 bytes");
    }

    @ParameterizedTest
    @ValueSource(strings = {
        "PROXY TCP4 192.0.2.1 198.51.100.2 56324\r\n",
        "PROXY TCP4 192.0.2.1 198.51.100.2 56324 443 7\r\n",
        "PROXY TCP5 192.0.2.1 198.51.100.2 56324 443\r\n",
        "PROXY tcp4 192.0.2.1 198.51.100.2 56324 443\r\n",
        "PROXY TCP4 192.0.2 198.51.100.2 56324 443\r\n",
        "PROXY TCP4 192.0.2.01 198.51.100.2 56324 443\r\n",
        "PROXY TCP4 192.0.2.256 198.51.100.2 56324 443\r\n",
        "PROXY TCP4 2001:db8::1 198.51.100.2 56324 443\r\n",
        "PROXY TCP6 192.0.2.1 2001:db8::2 56324 443\r\n",
        "PROXY TCP6 fe80::1%eth0 2001:db8::2 56324 443\r\n",
        "PROXY TCP4 localhost 198.51.100.2 56324 443\r\n",
        "PROXY TCP4 192.0.2.1 198.51.100.2 65536 443\r\n",
        "PROXY TCP4 192.0.2.1 198.51.100.2 056324 443\r\n",
        "PROXY TCP4 192.0.2.1 198.51.100.2 -1 443\r\n",
        "PROXY TCP4  192.0.2.1 198.51.100.2 56324 443\r\n",
        "PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\n",
        "PROXY TCP4 192.0.2.1 198.51.100.2 56324 443 \r\n",
        "PROXY \r\n",
        "PROXY TCP4 192.0.2.1 198.51.100.2 56324 4\u00e93\r\n",
    })
    void malformedV1IsRefused(String line) {
        assertThat(refusal(ascii(line))).startsWith("a v1 header");
    }

    @ParameterizedTest
    @ValueSource(strings = {"GET / HTTP/1.1\r\n", "G", "\u0016\u0003\u0001", "PROXX", "proxy ", "\r\n\r\nX",
        "\r\n\r\n\u0000\r\nQUIX"})
    void bytesThatBeginNoHeaderAreRefusedAtOnceWithoutEchoingThem(String garbage) {
        assertThat(refusal(ascii(garbage))).isEqualTo("no PROXY header");
    }

    @Test
    void v2ProxyOverIpv4WithEveryKindOfTlv() throws Exception {
        byte[] uniqueId = new byte[128];
        Arrays.fill(uniqueId, (byte) 7);
        byte[] ssl = concat(new byte[] {0x07, 0, 0, 0, 0},
                tlv(0x21, ascii("TLSv1.3")), tlv(0x22, ascii("client.example")),
                tlv(0x23, ascii("TLS_AES_128_GCM_SHA256")), tlv(0x24, ascii("SHA256")), tlv(0x25, ascii("RSA2048")));
        byte[] header = v2(0x21, 0x11, addresses(at("203.0.113.7", 51000), at("192.0.2.10", 443)),
                tlv(0x01, ascii("h2")), tlv(0x02, "bücher.example".getBytes(StandardCharsets.UTF_8)),
                tlv(0x04, new byte[3]), tlv(0x05, uniqueId), tlv(0x20, ssl), tlv(0x30, ascii("ns1")),
                tlv(0xE0, new byte[] {1, 2}));
        ProxyInfo info = decode(header);
        assertThat(info.version()).isEqualTo(2);
        assertThat(info.local()).isFalse();
        assertThat(info.source()).isEqualTo(at("203.0.113.7", 51000));
        assertThat(info.destination()).isEqualTo(at("192.0.2.10", 443));
        assertThat(info.alpn()).isEqualTo("h2");
        assertThat(info.authority()).isEqualTo("bücher.example");
        assertThat(info.uniqueId()).isEqualTo(uniqueId);
        assertThat(info.tlv(ProxyInfo.TYPE_NETNS)).isEqualTo(ascii("ns1"));
        assertThat(info.tlv(0xE0)).isEqualTo(new byte[] {1, 2});
        assertThat(info.tlv(0xE1)).isNull();
        assertThat(info.tlvs()).extracting(ProxyInfo.Tlv::type).containsExactly(0x01, 0x02, 0x04, 0x05, 0x20, 0x30, 0xE0);
        ProxyInfo.Ssl s = info.ssl();
        assertThat(s.secure()).isTrue();
        assertThat(s.verifiedClientCertificate()).isTrue();
        assertThat(s.version()).isEqualTo("TLSv1.3");
        assertThat(s.commonName()).isEqualTo("client.example");
        assertThat(s.cipher()).isEqualTo("TLS_AES_128_GCM_SHA256");
        assertThat(s.signatureAlgorithm()).isEqualTo("SHA256");
        assertThat(s.keyAlgorithm()).isEqualTo("RSA2048");
    }

    @Test
    void v2SslWithoutAVerifiedClientCertificate() throws Exception {
        byte[] header = v2(0x21, 0x11, addresses(at("203.0.113.7", 1), at("192.0.2.10", 2)),
                tlv(0x20, new byte[] {0x01, 0, 0, 0, 1}));
        ProxyInfo.Ssl s = decode(header).ssl();
        assertThat(s.secure()).isTrue();
        assertThat(s.verify()).isEqualTo(1);
        assertThat(s.verifiedClientCertificate()).isFalse();
        assertThat(s.version()).isNull();
        assertThat(s.subTlvs()).isEmpty();
    }

    @Test
    void v2ProxyOverIpv6() throws Exception {
        ProxyInfo info = decode(v2(0x21, 0x21, addresses(at("2001:db8::7", 443), at("2001:db8::1", 8443))));
        assertThat(info.source()).isEqualTo(at("2001:db8::7", 443));
        assertThat(info.destination()).isEqualTo(at("2001:db8::1", 8443));
        assertThat(info.ssl()).isNull();
        assertThat(info.authority()).isNull();
    }

    @Test
    void v2LocalIsServedAsThePeerAndItsBlockIsDiscarded() throws Exception {
        ProxyInfo info = decode(v2(0x20, 0x11, addresses(at("203.0.113.7", 1), at("192.0.2.10", 2)),
                tlv(0x02, ascii("ignored"))));
        assertThat(info.local()).isTrue();
        assertThat(info.source()).isNull();
        assertThat(info.tlvs()).isEmpty();
        assertThat(decode(v2(0x20, 0x00)).local()).as("LOCAL with no block at all").isTrue();
        assertThat(decode(v2(0x20, 0x77, new byte[3])).local()).as("even an unknown family: discarded").isTrue();
    }

    @Test
    void v2ProxyOfAnUnspecifiedOrUnixFamilyIsServedAsThePeerWithItsTlvs() throws Exception {
        ProxyInfo unspec = decode(v2(0x21, 0x00, tlv(0x02, ascii("a.example"))));
        assertThat(unspec.source()).isNull();
        assertThat(unspec.local()).isFalse();
        assertThat(unspec.authority()).isEqualTo("a.example");
        ProxyInfo unix = decode(v2(0x21, 0x31, new byte[216]));
        assertThat(unix.source()).isNull();
        assertThat(unix.destination()).isNull();
    }

    @Test
    void v2WithAMatchingCrc32cIsTakenAndAnyOtherRefused() throws Exception {
        byte[] header = v2(0x21, 0x11, addresses(at("203.0.113.7", 1), at("192.0.2.10", 2)),
                tlv(0x02, ascii("a.example")), tlv(0x03, new byte[4]));
        CRC32C crc = new CRC32C();
        crc.update(header);
        byte[] signed = header.clone();
        ByteBuffer.wrap(signed).putInt(signed.length - 4, (int) crc.getValue());
        assertThat(decode(signed).authority()).isEqualTo("a.example");
        signed[signed.length - 1] ^= 1;
        assertThat(refusal(signed)).isEqualTo("a v2 header with a CRC32C that does not match");
        assertThat(refusal(header)).as("all zero").isEqualTo("a v2 header with a CRC32C that does not match");
    }

    @Test
    void v2OfTheLongestLengthIsTakenAndALongerOneRefusedFromItsFixedPartAlone() throws Exception {
        int room = ProxyHeaderParser.MAX_V2_BYTES - 16 - 12 - 3;
        byte[] longest = v2(0x21, 0x11, addresses(at("203.0.113.7", 1), at("192.0.2.10", 2)), tlv(0x04, new byte[room]));
        assertThat(longest).hasSize(ProxyHeaderParser.MAX_V2_BYTES);
        assertThat(ProxyHeaderParser.parse(ByteBuffer.wrap(longest), PEER).source()).isEqualTo(at("203.0.113.7", 1));
        byte[] longer = v2(0x21, 0x11, addresses(at("203.0.113.7", 1), at("192.0.2.10", 2)),
                tlv(0x04, new byte[room + 1]));
        assertThat(refusal(Arrays.copyOf(longer, 16))).isEqualTo("a v2 header of 4097 bytes; at most 4096 taken");
        byte[] claimsAll = v2(0x21, 0x11);
        ByteBuffer.wrap(claimsAll).putShort(14, (short) 0xffff);
        assertThat(refusal(claimsAll)).isEqualTo("a v2 header of 65551 bytes; at most 4096 taken");
    }

    @Test
    void malformedV2IsRefused() throws Exception {
        byte[] ipv4 = addresses(at("203.0.113.7", 1), at("192.0.2.10", 2));
        assertThat(refusal(v2(0x11, 0x11, ipv4))).isEqualTo("a v2 header of version 1");
        assertThat(refusal(v2(0x31, 0x11, ipv4))).isEqualTo("a v2 header of version 3");
        assertThat(refusal(v2(0x22, 0x11, ipv4))).isEqualTo("a v2 header of an unknown command 2");
        assertThat(refusal(v2(0x21, 0x12, ipv4))).isEqualTo("a v2 header of datagram addresses");
        assertThat(refusal(v2(0x21, 0x10, ipv4))).isEqualTo("a v2 header of an unknown family 16");
        assertThat(refusal(v2(0x21, 0x41, ipv4))).isEqualTo("a v2 header of an unknown family 65");
        assertThat(refusal(v2(0x21, 0x11, Arrays.copyOf(ipv4, 11)))).isEqualTo("a v2 header shorter than its addresses");
        assertThat(refusal(v2(0x21, 0x21, ipv4))).isEqualTo("a v2 header shorter than its addresses");
        assertThat(refusal(v2(0x21, 0x11, ipv4, new byte[] {0x02, 0})))
                .isEqualTo("a v2 header with a TLV cut short after 2 bytes");
        assertThat(refusal(v2(0x21, 0x11, ipv4, new byte[] {0x02, 0, 5, 'a'})))
                .isEqualTo("a v2 header with a TLV of 5 bytes where 1 are left");
        assertThat(refusal(v2(0x21, 0x11, ipv4, tlv(0x05, new byte[129]))))
                .isEqualTo("a v2 header with a unique id of 129 bytes; at most 128");
        assertThat(refusal(v2(0x21, 0x11, ipv4, tlv(0x20, new byte[4]))))
                .isEqualTo("a v2 header with an SSL TLV of 4 bytes; at least 5 wanted");
        assertThat(refusal(v2(0x21, 0x11, ipv4, tlv(0x20, new byte[] {1, 0, 0, 0, 0, 0x21, 0, 9, 'T'}))))
                .isEqualTo("a v2 header with a TLV of 9 bytes where 1 are left");
    }

    @Test
    void aHeaderCutShortIsNeverTakenForOne() throws Exception {
        byte[] header = v2(0x21, 0x11, addresses(at("203.0.113.7", 1), at("192.0.2.10", 2)), tlv(0x02, ascii("x")));
        for (int n = 0; n < header.length; n++) {
            assertThat(ProxyHeaderParser.parse(ByteBuffer.wrap(header, 0, n), PEER)).as("%d bytes", n).isNull();
        }
        byte[] line = ascii("PROXY TCP4 192.0.2.1 198.51.100.2 56324 443\r\n");
        for (int n = 0; n < line.length; n++) {
            assertThat(ProxyHeaderParser.parse(ByteBuffer.wrap(line, 0, n), PEER)).as("%d bytes", n).isNull();
        }
    }

    @Test
    void tlvValuesAreCopiesAndCompareByContent() {
        byte[] v = {1, 2, 3};
        ProxyInfo.Tlv t = new ProxyInfo.Tlv(5, v);
        v[0] = 9;
        assertThat(t.value()).containsExactly(1, 2, 3);
        t.value()[1] = 9;
        assertThat(t).isEqualTo(new ProxyInfo.Tlv(5, new byte[] {1, 2, 3})).hasSameHashCodeAs(
                new ProxyInfo.Tlv(5, new byte[] {1, 2, 3}));
        assertThatThrownBy(() -> new ProxyInfo(2, false, null, null, null, java.util.List.of()))
                .isInstanceOf(NullPointerException.class);
    }
}
