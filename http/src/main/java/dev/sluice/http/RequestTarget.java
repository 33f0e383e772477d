package dev.sluice.http;

/**
 * Checks a request-target (RFC 9112 3.2) and finds its parts, as offsets into the request line.
 * Accepts origin-form ({@code /path?query}), absolute-form ({@code http://host/path?query}, which
 * RFC 9112 3.2.2 says a server MUST accept; its authority then replaces Host) and asterisk-form
 * ({@code *}, for OPTIONS only). Authority-form belongs to CONNECT, which is refused with 501
 * before the target is looked at.
 *
 * <p>Only the characters RFC 3986 allows unescaped are accepted: no fragment ({@code #}), no
 * space, control, non-ASCII byte, {@code "<>\^`{|}}, and every {@code %} starts two hex digits.
 * The one leniency: in the query, {@code [ ] { } | ^ `} pass, because browsers send them unescaped
 * there ({@code ?ids[]=1}) and, being printable ASCII, they cannot shift any message boundary.
 * A {@code %00} in the path is refused too, so no handler ever sees a NUL in a decoded path.
 * Nothing is decoded or normalized here. Reusable; used by the codec thread only.
 */
final class RequestTarget {
    private static final String[] SCHEMES = {"http://", "https://"};
    /** Characters RFC 3986 does not allow in a query but browsers send there unescaped. */
    private static final String QUERY_EXTRA = "[]{}|^`";

    int pathStart;
    int pathEnd;
    /** Start of the query after "?", or -1 when there is no "?". */
    int queryStart;
    int queryEnd;
    /** Authority of an absolute-form target, or -1. */
    int authorityStart;
    int authorityEnd;

    void parse(byte[] b, int start, int end, boolean options) throws HttpException {
        authorityStart = -1;
        authorityEnd = -1;
        int pathFrom = start;
        if (b[start] == '/') {
            checkChars(b, start, end);
        } else if (end - start == 1 && b[start] == '*') {
            if (!options) {
                throw HttpException.badRequest("Asterisk-form is for OPTIONS only");
            }
            pathStart = start;
            pathEnd = end;
            queryStart = -1;
            queryEnd = -1;
            return;
        } else {
            pathFrom = absoluteForm(b, start, end);
        }
        int q = pathFrom;
        while (q < end && b[q] != '?') {
            q++;
        }
        pathStart = pathFrom;
        pathEnd = q;
        queryStart = q < end ? q + 1 : -1;
        queryEnd = q < end ? end : -1;
        for (int i = pathStart; i + 2 < pathEnd; i++) {
            if (b[i] == '%' && b[i + 1] == '0' && b[i + 2] == '0') {
                throw HttpException.badRequest("Encoded NUL in path");
            }
        }
    }

    /** Sets the authority of an absolute-form target (RFC 9112 3.2.2); the index its path starts at. */
    private int absoluteForm(byte[] b, int start, int end) throws HttpException {
        int afterScheme = scheme(b, start, end);
        int a = afterScheme;
        while (a < end && b[a] != '/' && b[a] != '?') {
            if (b[a] == '@') {
                // RFC 9110 4.2.4: userinfo in an "http" URI is an error.
                throw HttpException.badRequest("Userinfo in request target");
            }
            a++;
        }
        if (!Grammar.isAuthority(b, afterScheme, a)) {
            throw HttpException.badRequest("Invalid authority in request target");
        }
        authorityStart = afterScheme;
        authorityEnd = a;
        checkChars(b, a, end);
        return a;
    }

    /** The index after {@code http://} or {@code https://} (ignoring case); 400 for any other form. */
    private static int scheme(byte[] b, int start, int end) throws HttpException {
        for (String scheme : SCHEMES) {
            int n = scheme.length();
            if (end - start >= n && Grammar.equalsLower(b, start, start + n, scheme)) {
                return start + n;
            }
        }
        throw HttpException.badRequest("Invalid request target");
    }

    private static void checkChars(byte[] b, int start, int end) throws HttpException {
        boolean query = false;
        for (int i = start; i < end; i++) {
            byte c = b[i];
            query |= c == '?';
            if (c == '%') {
                if (i + 2 >= end || Grammar.hex(b[i + 1]) < 0 || Grammar.hex(b[i + 2]) < 0) {
                    throw HttpException.badRequest("Invalid percent-encoding in request target");
                }
                i += 2;
            } else if (c == '#') {
                throw HttpException.badRequest("Fragment in request target");
            } else if (!Grammar.isTargetChar(c) && !(query && QUERY_EXTRA.indexOf(c) >= 0)) {
                throw HttpException.badRequest("Invalid character in request target");
            }
        }
    }
}
