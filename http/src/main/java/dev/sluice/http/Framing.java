package dev.sluice.http;

/**
 * Decides, from a complete request head, how its body is framed and whether the connection may
 * persist (RFC 9112 6 and 9.3), and refuses every head that would leave either in doubt: the
 * ambiguities request smuggling lives on. Reusable; used by the codec thread only.
 *
 * <ul>
 *   <li>Host: HTTP/1.1 needs exactly one, and it must be a valid authority (RFC 9112 3.2): 400.
 *   <li>Content-Length: digits only, one field line, no lists, even of equal values (RFC 9110 8.6
 *       allows refusing those): 400. A number too large to hold is just too large: 413 later.
 *   <li>Transfer-Encoding: only with HTTP/1.1, never with Content-Length, chunked last and once
 *       (RFC 9112 6.1, 6.3): 400. Another coding before chunked is not implemented: 501. Empty list
 *       elements are ignored (RFC 9110 5.6.1); any other element must be a bare token.
 *   <li>Connection: {@code close} ends the connection after the response; HTTP/1.0 persists only
 *       with {@code keep-alive}.
 *   <li>Expect: {@code 100-continue} is noted (ignored for HTTP/1.0, RFC 9110 10.1.1); anything
 *       else is an expectation this server cannot meet: 417, decided by the codec.
 * </ul>
 */
final class Framing {
    private static final int TRANSFER_ENCODING = 0;
    private static final int CONNECTION = 1;
    private static final int EXPECT = 2;

    /** The Content-Length, {@link Long#MAX_VALUE} when it overflows, -1 when absent. */
    long contentLength;
    boolean chunked;
    /** The connection may carry another request, as far as this request says. */
    boolean persistent;
    boolean expectContinue;
    boolean expectOther;

    private boolean chunkedSeen;
    private boolean chunkedLast;
    private boolean otherCoding;
    private boolean close;
    private boolean keepAlive;

    void analyze(Headers h, int minor) throws HttpException {
        contentLength = -1;
        chunked = false;
        expectContinue = false;
        expectOther = false;
        chunkedSeen = false;
        chunkedLast = false;
        otherCoding = false;
        close = false;
        keepAlive = false;
        boolean te = false;
        int hosts = 0;
        int host = -1;
        byte[] d = h.data();
        for (int i = 0; i < h.size(); i++) {
            if (h.nameIs(i, "host")) {
                hosts++;
                host = i;
            } else if (h.nameIs(i, "content-length")) {
                if (contentLength >= 0) {
                    throw HttpException.badRequest("Duplicate Content-Length");
                }
                contentLength = digits(d, h.valueStart(i), h.valueEnd(i));
            } else if (h.nameIs(i, "transfer-encoding")) {
                te = true;
                elements(d, h.valueStart(i), h.valueEnd(i), TRANSFER_ENCODING);
            } else if (h.nameIs(i, "connection")) {
                elements(d, h.valueStart(i), h.valueEnd(i), CONNECTION);
            } else if (h.nameIs(i, "expect")) {
                elements(d, h.valueStart(i), h.valueEnd(i), EXPECT);
            }
        }
        checkHost(h, hosts, host, minor);
        chunked = te && chunkedTransfer(minor);
        expectContinue &= minor != 0;
        persistent = !close && (minor == 1 || keepAlive);
    }

    /** RFC 9112 3.2: one valid Host, required from HTTP/1.1. */
    private static void checkHost(Headers h, int hosts, int host, int minor) throws HttpException {
        if (hosts > 1) {
            throw HttpException.badRequest("Duplicate Host header");
        }
        if (hosts == 0 && minor == 1) {
            throw HttpException.badRequest("Missing Host header");
        }
        if (host >= 0 && !Grammar.isAuthority(h.data(), h.valueStart(host), h.valueEnd(host))) {
            throw HttpException.badRequest("Invalid Host header");
        }
    }

    /** RFC 9112 6.1, 6.3: a Transfer-Encoding this server can frame by; true, or it throws. */
    private boolean chunkedTransfer(int minor) throws HttpException {
        if (minor == 0) {
            throw HttpException.badRequest("Transfer-Encoding in HTTP/1.0");
        }
        if (contentLength >= 0) {
            throw HttpException.badRequest("Both Transfer-Encoding and Content-Length");
        }
        if (!chunkedLast) {
            throw HttpException.badRequest("Chunked is not the final transfer coding");
        }
        if (otherCoding) {
            throw new HttpException(501, "Transfer coding not implemented");
        }
        return true;
    }

    private static long digits(byte[] d, int start, int end) throws HttpException {
        if (start == end) {
            throw HttpException.badRequest("Invalid Content-Length");
        }
        long value = 0;
        for (int i = start; i < end; i++) {
            int digit = d[i] - '0';
            if (digit < 0 || digit > 9) {
                throw HttpException.badRequest("Invalid Content-Length");
            }
            // RFC 9110 8.6: guard the conversion; a value past 2^63 is simply too large.
            value = value > (Long.MAX_VALUE - digit) / 10 ? Long.MAX_VALUE : value * 10 + digit;
        }
        return value;
    }

    private void elements(byte[] d, int start, int end, int field) throws HttpException {
        while (start <= end) {
            int comma = start;
            while (comma < end && d[comma] != ',') {
                comma++;
            }
            int s = start;
            int e = comma;
            while (s < e && Grammar.isWhitespace(d[s])) {
                s++;
            }
            while (e > s && Grammar.isWhitespace(d[e - 1])) {
                e--;
            }
            if (s < e) {
                element(d, s, e, field);
            }
            start = comma + 1;
        }
    }

    private void element(byte[] d, int s, int e, int field) throws HttpException {
        switch (field) {
            case TRANSFER_ENCODING -> {
                for (int i = s; i < e; i++) {
                    if (!Grammar.isTchar(d[i])) {
                        throw HttpException.badRequest("Invalid Transfer-Encoding");
                    }
                }
                if (Grammar.equalsLower(d, s, e, "chunked")) {
                    if (chunkedSeen) {
                        throw HttpException.badRequest("Chunked applied more than once");
                    }
                    chunkedSeen = true;
                    chunkedLast = true;
                } else {
                    chunkedLast = false;
                    otherCoding = true;
                }
            }
            case CONNECTION -> {
                close |= Grammar.equalsLower(d, s, e, "close");
                keepAlive |= Grammar.equalsLower(d, s, e, "keep-alive");
            }
            default -> {
                if (Grammar.equalsLower(d, s, e, "100-continue")) {
                    expectContinue = true;
                } else {
                    expectOther = true;
                }
            }
        }
    }
}
