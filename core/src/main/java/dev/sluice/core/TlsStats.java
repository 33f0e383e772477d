package dev.sluice.core;

import java.nio.ByteBuffer;
import java.security.cert.CertificateException;
import java.util.Map;
import java.util.HashMap;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.LongAdder;
import java.util.function.LongSupplier;
import javax.net.ssl.SSLSession;

/**
 * What a TLS listener's handshakes came to ({@link Stats#tls()}): those completed, by protocol
 * and cipher suite; how many of them resumed a session; and those that failed, by reason.
 * Counted once per connection, when its handshake ends; safe to read from any thread.
 *
 * <p>A failure's reason is, in this order: {@value #PLAINTEXT} (the client spoke plain text to
 * the TLS port); the name of the alert the server sent, when it went in clear (before TLS 1.3
 * encrypts the handshake), such as {@code protocol_version} or {@code handshake_failure};
 * {@code bad_certificate} when the client's certificate failed verification; {@value #ERROR}
 * for any other refusal; {@value #TIMEOUT} (the handshake deadline passed); {@value #CLOSED} (the
 * client left, or the connection broke, before the handshake finished).
 */
public final class TlsStats {
    /** Plain text (such as an HTTP request) sent to the TLS port. */
    public static final String PLAINTEXT = "plaintext";
    /** The handshake did not finish within {@link ServerConfig#tlsHandshakeTimeout()}. */
    public static final String TIMEOUT = "timeout";
    /** The client closed, or the connection broke, before the handshake finished. */
    public static final String CLOSED = "closed";
    /** Refused for a reason sent to the client encrypted, other than its certificate. */
    public static final String ERROR = "handshake_error";
    /** The alert descriptions of RFC 8446 section 6 (and RFC 5246's), by code. */
    private static final Map<Integer, String> ALERTS = Map.ofEntries(
            Map.entry(10, "unexpected_message"), Map.entry(20, "bad_record_mac"),
            Map.entry(22, "record_overflow"), Map.entry(40, "handshake_failure"),
            Map.entry(42, "bad_certificate"), Map.entry(43, "unsupported_certificate"),
            Map.entry(44, "certificate_revoked"), Map.entry(45, "certificate_expired"),
            Map.entry(46, "certificate_unknown"), Map.entry(47, "illegal_parameter"),
            Map.entry(48, "unknown_ca"), Map.entry(49, "access_denied"), Map.entry(50, "decode_error"),
            Map.entry(51, "decrypt_error"), Map.entry(70, "protocol_version"),
            Map.entry(71, "insufficient_security"), Map.entry(80, "internal_error"),
            Map.entry(86, "inappropriate_fallback"), Map.entry(90, "user_canceled"),
            Map.entry(109, "missing_extension"), Map.entry(110, "unsupported_extension"),
            Map.entry(112, "unrecognized_name"), Map.entry(116, "certificate_required"),
            Map.entry(120, "no_application_protocol"));
    private static final byte ALERT_RECORD = 21;

    /**
     * A protocol version and cipher suite a handshake agreed on.
     *
     * @param protocol such as {@code TLSv1.3}
     * @param cipherSuite such as {@code TLS_AES_128_GCM_SHA256}
     */
    public record Negotiated(String protocol, String cipherSuite) { }

    private final Map<Negotiated, LongAdder> handshakes = new ConcurrentHashMap<>();
    private final Map<String, LongAdder> failures = new ConcurrentHashMap<>();
    private final LongAdder resumed = new LongAdder();
    private final LongAdder renegotiationsRefused = new LongAdder();
    private volatile LongSupplier buffered = () -> 0;

    TlsStats() {
    }

    /** Handshakes completed, by what they agreed on. */
    public Map<Negotiated, Long> handshakes() {
        return snapshot(handshakes);
    }

    /** All handshakes completed. */
    public long completed() {
        return handshakes.values().stream().mapToLong(LongAdder::sum).sum();
    }

    /** Handshakes completed that resumed an earlier session (a ticket or a cached session id). */
    public long resumed() {
        return resumed.sum();
    }

    /** Handshakes that did not complete, by reason (see the class comment). */
    public Map<String, Long> failures() {
        return snapshot(failures);
    }

    /** TLS 1.2 renegotiations a client started on an established connection, refused (and closed). */
    public long renegotiationsRefused() {
        return renegotiationsRefused.sum();
    }

    /**
     * Bytes of TLS buffers (records in, plain text in, records out) the open connections hold now
     * (gauge). Each is taken when needed and dropped once empty, so idle connections add nothing.
     * Counted when read, by a pass over the open connections.
     */
    public long bufferedBytes() {
        return buffered.getAsLong();
    }

    void bufferedFrom(LongSupplier supplier) {
        buffered = supplier;
    }

    private static <K> Map<K, Long> snapshot(Map<K, LongAdder> counters) {
        Map<K, Long> copy = new HashMap<>();
        counters.forEach((k, v) -> copy.put(k, v.sum()));
        return Map.copyOf(copy);
    }

    /** A handshake completed with {@code session}; {@code resumed}: it resumed an earlier one. */
    void onHandshake(SSLSession session, boolean resumed) {
        handshakes.computeIfAbsent(new Negotiated(session.getProtocol(), session.getCipherSuite()),
                k -> new LongAdder()).increment();
        if (resumed) {
            this.resumed.increment();
        }
    }

    void onFailure(String reason) {
        failures.computeIfAbsent(reason, k -> new LongAdder()).increment();
    }

    void onRenegotiationRefused() {
        renegotiationsRefused.increment();
    }

    /**
     * Why a handshake was refused: the alert in {@code records} (write mode, the alert the
     * engine just wrapped), if it is in clear, else what {@code cause} says.
     */
    static String refusal(ByteBuffer records, Throwable cause) {
        if (records != null && records.position() >= 7 && records.get(0) == ALERT_RECORD) {
            int code = records.get(6) & 0xff;
            return ALERTS.getOrDefault(code, "alert_" + code);
        }
        for (Throwable t = cause; t != null; t = t.getCause()) {
            if (t instanceof CertificateException) {
                return "bad_certificate";
            }
        }
        return ERROR;
    }
}
