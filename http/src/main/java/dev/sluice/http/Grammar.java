package dev.sluice.http;

/**
 * The character classes of RFC 9110, RFC 9112 and RFC 3986 as lookup tables, and the small checks
 * built on them. Pure functions over byte ranges; no state.
 */
final class Grammar {
    static final byte SP = ' ';
    static final byte HTAB = '\t';
    static final byte CR = '\r';
    static final byte LF = '\n';

    private static final int TCHAR = 1;
    /** Allowed unescaped in an origin-form path or query (RFC 3986 pchar, "/", "?"). */
    private static final int TARGET = 2;
    /** Allowed in a reg-name or IPv4 address of a Host (a conservative subset of RFC 3986). */
    private static final int HOST = 4;
    private static final byte[] CLASS = new byte[256];
    private static final byte[] LOWER = new byte[256];

    static {
        for (int c = 0; c < 256; c++) {
            LOWER[c] = (byte) (c >= 'A' && c <= 'Z' ? c + 32 : c);
        }
        for (int c = '0'; c <= '9'; c++) {
            CLASS[c] = TCHAR | TARGET | HOST;
        }
        for (int c = 'a'; c <= 'z'; c++) {
            CLASS[c] = TCHAR | TARGET | HOST;
            CLASS[c - 32] = TCHAR | TARGET | HOST;
        }
        for (char c : "-._~".toCharArray()) {
            CLASS[c] |= TCHAR | TARGET | HOST;
        }
        for (char c : "!#$%&'*+^`|".toCharArray()) {
            CLASS[c] |= TCHAR;
        }
        // RFC 3986: sub-delims, ":" and "@" in pchar, "/" and "?" in path and query; "%" is
        // checked apart because it must start a pct-encoded triplet.
        for (char c : "!$&'()*+,;=:@/?".toCharArray()) {
            CLASS[c] |= TARGET;
        }
    }

    private Grammar() {
    }

    static boolean isTchar(byte b) {
        return (CLASS[b & 0xFF] & TCHAR) != 0;
    }

    static boolean isTargetChar(byte b) {
        return (CLASS[b & 0xFF] & TARGET) != 0;
    }

    /** A control character other than HTAB (RFC 5234 CTL, which includes DEL). */
    static boolean isControl(byte b) {
        return (b >= 0 && b < 0x20 && b != HTAB) || b == 0x7F;
    }

    static boolean isWhitespace(byte b) {
        return b == SP || b == HTAB;
    }

    static byte lower(byte b) {
        return LOWER[b & 0xFF];
    }

    /** The value of a hex digit, or -1. */
    static int hex(byte b) {
        if (b >= '0' && b <= '9') {
            return b - '0';
        }
        int l = lower(b);
        return l >= 'a' && l <= 'f' ? l - 'a' + 10 : -1;
    }

    /** Whether {@code b[start, end)} equals {@code lower}, which is lower-case ASCII, ignoring case. */
    static boolean equalsLower(byte[] b, int start, int end, String lower) {
        if (end - start != lower.length()) {
            return false;
        }
        for (int i = 0; i < lower.length(); i++) {
            if (lower(b[start + i]) != lower.charAt(i)) {
                return false;
            }
        }
        return true;
    }

    /**
     * Parses the field line {@code b[start, end)} (no CRLF; control characters already refused)
     * into {@code out[at..at+3]}: name start, name end, value start, value end, the value without
     * its surrounding whitespace (RFC 9112 5).
     */
    static void fieldLine(byte[] b, int start, int end, int[] out, int at) throws HttpException {
        if (isWhitespace(b[start])) {
            // RFC 9112 5.2: obs-fold, or whitespace before the first field (2.2): reject.
            throw HttpException.badRequest("Obsolete line folding");
        }
        int i = start;
        while (i < end && isTchar(b[i])) {
            i++;
        }
        if (i == end || b[i] != ':') {
            // RFC 9112 5.1: whitespace between name and colon MUST be answered with 400.
            throw HttpException.badRequest(i < end && isWhitespace(b[i])
                    ? "Whitespace before colon" : "Invalid header field name");
        }
        if (i == start) {
            throw HttpException.badRequest("Empty header field name");
        }
        int valueStart = i + 1;
        while (valueStart < end && isWhitespace(b[valueStart])) {
            valueStart++;
        }
        int valueEnd = end;
        while (valueEnd > valueStart && isWhitespace(b[valueEnd - 1])) {
            valueEnd--;
        }
        out[at] = start;
        out[at + 1] = i;
        out[at + 2] = valueStart;
        out[at + 3] = valueEnd;
    }

    /**
     * Whether {@code b[start, end)} is a valid authority for an "http" URI without userinfo:
     * {@code host [ ":" port ]}, where host is an IP-literal in brackets or a non-empty name of
     * letters, digits, "-", ".", "_" and "~" (RFC 3986 3.2, RFC 9110 4.2.1: an empty host is invalid).
     */
    static boolean isAuthority(byte[] b, int start, int end) {
        int i = start;
        if (i < end && b[i] == '[') {
            i++;
            int hostStart = i;
            while (i < end && b[i] != ']') {
                if (hex(b[i]) < 0 && b[i] != ':' && b[i] != '.') {
                    return false;
                }
                i++;
            }
            if (i == end || i == hostStart) {
                return false;
            }
            i++;
        } else {
            while (i < end && (CLASS[b[i] & 0xFF] & HOST) != 0) {
                i++;
            }
            if (i == start) {
                return false;
            }
        }
        if (i == end) {
            return true;
        }
        if (b[i] != ':' || end - i - 1 > 5) {
            return false;
        }
        for (i++; i < end; i++) {
            if (b[i] < '0' || b[i] > '9') {
                return false;
            }
        }
        return true;
    }
}
