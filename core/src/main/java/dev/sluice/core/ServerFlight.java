package dev.sluice.core;

import java.nio.ByteBuffer;

/**
 * Whether a handshake resumed a session, told from the records the server sent, whatever TLS
 * implementation made them: the JSSE API has no way to ask, and session creation times do not
 * tell (BoringSSL dates a resumed session anew). Only the clear part of the server's flight is
 * read:
 * <ul>
 *   <li>TLS 1.3: the ServerHello has a {@code pre_shared_key} extension exactly when the server
 *       accepted the client's PSK (RFC 8446 4.2.11); a HelloRetryRequest decides nothing.</li>
 *   <li>TLS 1.2: an abbreviated handshake sends ChangeCipherSpec after the ServerHello with no
 *       Certificate before it (RFC 5246 7.3); a full one sends its Certificate first.</li>
 * </ul>
 * Anything else (a message split oddly across records, an alert) leaves it undecided: not resumed.
 * Not thread-safe: one per connection, fed by the thread that wraps.
 */
final class ServerFlight {
    private static final int CHANGE_CIPHER_SPEC = 20, HANDSHAKE = 22;
    private static final int SERVER_HELLO = 2, CERTIFICATE = 11;
    private static final int PRE_SHARED_KEY = 41, SUPPORTED_VERSIONS = 43;
    private static final int RECORD_HEADER = 5, MESSAGE_HEADER = 4, RANDOM = 32;
    /** The random of a HelloRetryRequest: SHA-256 of "HelloRetryRequest" (RFC 8446 4.1.3). */
    private static final byte[] RETRY = java.util.HexFormat.of()
            .parseHex("cf21ad74e59a6111be1d8c021e65b891c2a211167abb8c5e079e09e2c8a8339c");

    private enum State { BEFORE_HELLO, TLS12, RESUMED, FULL }

    private State state = State.BEFORE_HELLO;

    /** Reads the records {@code out} (write mode) gained since position {@code from}. */
    void observe(ByteBuffer out, int from) {
        int at = from;
        while (undecided() && at + RECORD_HEADER <= out.position()) {
            int type = out.get(at) & 0xff;
            int body = at + RECORD_HEADER;
            int end = body + (out.getShort(at + 3) & 0xffff);
            if (end > out.position()) {
                return; // not a whole record: not what an engine writes; leave it undecided
            }
            if (type == HANDSHAKE) {
                messages(out, body, end);
            } else if (type == CHANGE_CIPHER_SPEC && state == State.TLS12) {
                state = State.RESUMED;
            } else if (type != CHANGE_CIPHER_SPEC) {
                state = State.FULL; // an alert or encrypted data first: nothing was resumed
            }
            at = end;
        }
    }

    /** Whether the server resumed a session; false while undecided. */
    boolean resumed() {
        return state == State.RESUMED;
    }

    private boolean undecided() {
        return state == State.BEFORE_HELLO || state == State.TLS12;
    }

    private void messages(ByteBuffer out, int at, int end) {
        while (undecided() && at + MESSAGE_HEADER <= end) {
            int type = out.get(at) & 0xff;
            int length = (out.getShort(at + 1) & 0xffff) << 8 | out.get(at + 3) & 0xff;
            int body = at + MESSAGE_HEADER;
            if (type == CERTIFICATE) {
                state = State.FULL;
            } else if (type == SERVER_HELLO && state == State.BEFORE_HELLO) {
                if (body + length > end) {
                    state = State.FULL; // a ServerHello split across records: undecidable, say full
                    return;
                }
                serverHello(out, body, body + length);
            }
            at = body + length;
        }
    }

    private void serverHello(ByteBuffer out, int at, int end) {
        int random = at + 2;
        if (isRetry(out, random)) {
            return; // a HelloRetryRequest: the ServerHello that decides comes later
        }
        int p = random + RANDOM;
        p += 1 + (out.get(p) & 0xff) + 2 + 1; // session id, cipher suite, compression method
        boolean tls13 = false;
        boolean psk = false;
        if (p + 2 <= end) {
            for (p += 2; p + 4 <= end; p += 4 + (out.getShort(p + 2) & 0xffff)) {
                int extension = out.getShort(p) & 0xffff;
                tls13 |= extension == SUPPORTED_VERSIONS;
                psk |= extension == PRE_SHARED_KEY;
            }
        }
        state = !tls13 ? State.TLS12 : psk ? State.RESUMED : State.FULL;
    }

    private static boolean isRetry(ByteBuffer out, int random) {
        for (int i = 0; i < RANDOM; i++) {
            if (out.get(random + i) != RETRY[i]) {
                return false;
            }
        }
        return true;
    }
}
