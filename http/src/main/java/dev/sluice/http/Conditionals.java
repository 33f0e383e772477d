package dev.sluice.http;

import java.util.List;

/**
 * Conditional requests (RFC 9110 13) for a GET or HEAD of a file whose validators are a strong
 * {@code ETag} and a {@code Last-Modified} date, evaluated in the order of RFC 9110 13.2.2:
 *
 * <ol>
 *   <li>{@code If-Match} (strong comparison, {@code *} matches): false is 412;</li>
 *   <li>else {@code If-Unmodified-Since}: modified since is 412;</li>
 *   <li>{@code If-None-Match} (weak comparison, {@code *} matches): a match is 304;</li>
 *   <li>else {@code If-Modified-Since}: not modified since is 304;</li>
 *   <li>{@code If-Range}, evaluated by the caller only when a {@code Range} would apply
 *       ({@link #ifRange}).</li>
 * </ol>
 *
 * <p>A date that is not a valid HTTP-date, or a date field sent more than once, is ignored, as
 * RFC 9110 13.1.3 and 13.1.4 require. Dates compare in whole seconds. Stateless.
 */
final class Conditionals {

    enum Outcome { PROCEED, NOT_MODIFIED, PRECONDITION_FAILED }

    /** RFC 9110 8.8.3.2: strong comparison (If-Match) rules out weak tags; weak (If-None-Match) ignores {@code W/}. */
    enum Comparison { STRONG, WEAK }

    private Conditionals() {
    }

    /**
     * @param etag the current strong entity-tag, quotes included
     * @param lastModified the current {@code Last-Modified}, in epoch seconds
     * @param now the current epoch second (to read two-digit years)
     */
    static Outcome evaluate(Headers h, String etag, long lastModified, long now) {
        List<String> ifMatch = h.all("If-Match");
        if (!ifMatch.isEmpty()) {
            if (!matches(ifMatch, etag, Comparison.STRONG)) {
                return Outcome.PRECONDITION_FAILED;
            }
        } else {
            long since = date(h, "If-Unmodified-Since", now);
            if (since != HttpDates.INVALID && lastModified > since) {
                return Outcome.PRECONDITION_FAILED;
            }
        }
        List<String> ifNoneMatch = h.all("If-None-Match");
        if (!ifNoneMatch.isEmpty()) {
            if (matches(ifNoneMatch, etag, Comparison.WEAK)) {
                return Outcome.NOT_MODIFIED;
            }
        } else {
            long since = date(h, "If-Modified-Since", now);
            if (since != HttpDates.INVALID && lastModified <= since) {
                return Outcome.NOT_MODIFIED;
            }
        }
        return Outcome.PROCEED;
    }

    /**
     * RFC 9110 13.1.5: whether a {@code Range} may be honoured given {@code If-Range} value
     * {@code value}: true for the current strong entity-tag or exactly the current
     * {@code Last-Modified} date; false for a weak tag, another validator or anything invalid (so
     * the whole file is sent).
     */
    static boolean ifRange(String value, String etag, long lastModified, long now) {
        String v = value.strip();
        if (v.startsWith("\"")) {
            return v.equals(etag);
        }
        if (v.startsWith("W/")) {
            return false;
        }
        long date = HttpDates.parse(v, now);
        return date != HttpDates.INVALID && date == lastModified;
    }

    /** The one value of date field {@code name} as epoch seconds; INVALID if absent, repeated or bad. */
    private static long date(Headers h, String name, long now) {
        List<String> values = h.all(name);
        return values.size() == 1 ? HttpDates.parse(values.get(0), now) : HttpDates.INVALID;
    }

    /**
     * Whether the entity-tag lists in {@code fieldValues} hold {@code *} or a tag that matches
     * {@code etag} (a strong tag of ours). Strong comparison (RFC 9110 8.8.3.2) rules out weak
     * tags; weak comparison ignores the {@code W/}. Malformed elements match nothing.
     */
    static boolean matches(List<String> fieldValues, String etag, Comparison comparison) {
        boolean strong = comparison == Comparison.STRONG;
        for (String value : fieldValues) {
            int i = 0;
            int n = value.length();
            while (i < n) {
                char c = value.charAt(i);
                if (c == ' ' || c == '\t' || c == ',') {
                    i++;
                    continue;
                }
                if (c == '*') {
                    return true;
                }
                boolean weak = value.startsWith("W/", i);
                int open = weak ? i + 2 : i;
                int close = open < n && value.charAt(open) == '"' ? value.indexOf('"', open + 1) : -1;
                if (close < 0) {
                    // Not an entity-tag: skip to the next element.
                    int comma = value.indexOf(',', i);
                    i = comma < 0 ? n : comma + 1;
                    continue;
                }
                if (!(strong && weak) && value.regionMatches(open, etag, 0, etag.length())
                        && close + 1 - open == etag.length()) {
                    return true;
                }
                i = close + 1;
            }
        }
        return false;
    }
}
