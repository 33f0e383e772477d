package dev.sluice.http;

import java.util.List;
import java.util.Locale;

/**
 * Picks a precompressed sibling from {@code Accept-Encoding} (RFC 9110 12.5.3). A coding is
 * acceptable with its own q-value, else that of {@code *}, else not at all; {@code q=0} means
 * "not acceptable", and a q-value that does not parse counts as 0. {@code x-gzip} is
 * {@code gzip} (RFC 9110 8.4.1.3). The file itself ({@code identity}) is always a fallback; it
 * wins over a sibling only when given a strictly higher q-value, itself or through {@code *}. No
 * field at all means identity only: an old client that sends none should not get bytes it may
 * not decode. Stateless.
 */
final class AcceptEncoding {
    static final String BR = "br";
    static final String GZIP = "gzip";

    private AcceptEncoding() {
    }

    /**
     * The coding to serve, {@link #BR} or {@link #GZIP}, or null for the file itself: the one of
     * those available with the highest q-value above 0, Brotli on a tie (it is smaller), unless
     * identity was given a strictly higher q-value.
     *
     * @param fieldValues every {@code Accept-Encoding} field value of the request
     */
    static String choose(List<String> fieldValues, boolean brAvailable, boolean gzipAvailable) {
        if (fieldValues.isEmpty() || !(brAvailable || gzipAvailable)) {
            return null;
        }
        double star = -1;
        double br = -1;
        double gzip = -1;
        double identity = -1;
        for (String value : fieldValues) {
            for (String element : value.split(",")) {
                int semi = element.indexOf(';');
                String coding = (semi < 0 ? element : element.substring(0, semi)).strip()
                        .toLowerCase(Locale.ROOT);
                if (coding.isEmpty()) {
                    continue;
                }
                double q = semi < 0 ? 1 : quality(element.substring(semi + 1));
                switch (coding) {
                    case "*" -> star = Math.max(star, q);
                    case "br" -> br = Math.max(br, q);
                    case "gzip", "x-gzip" -> gzip = Math.max(gzip, q);
                    case "identity" -> identity = Math.max(identity, q);
                    default -> {
                        // A coding we have no sibling for.
                    }
                }
            }
        }
        double qBr = brAvailable ? (br >= 0 ? br : Math.max(star, 0)) : 0;
        double qGzip = gzipAvailable ? (gzip >= 0 ? gzip : Math.max(star, 0)) : 0;
        // Identity competes only with a q-value of its own (or of *): "br;q=0.9" still means br.
        double qIdentity = identity >= 0 ? identity : Math.max(star, 0);
        if (qBr > 0 && qBr >= qGzip) {
            return qIdentity > qBr ? null : BR;
        }
        if (qGzip > 0) {
            return qIdentity > qGzip ? null : GZIP;
        }
        return null;
    }

    /** The q parameter among {@code params} ({@code q=0.5;x=y}); 1 if absent, 0 if malformed. */
    private static double quality(String params) {
        for (String p : params.split(";")) {
            String param = p.strip();
            if (param.length() > 1 && (param.charAt(0) == 'q' || param.charAt(0) == 'Q')) {
                String v = param.substring(1).strip();
                if (!v.startsWith("=")) {
                    continue;
                }
                return qvalue(v.substring(1).strip());
            }
        }
        return 1;
    }

    /** RFC 9110 12.4.2: {@code 0[.ddd]} or {@code 1[.000]}; 0 for anything else. */
    private static double qvalue(String v) {
        if (!v.matches("0(\\.[0-9]{0,3})?|1(\\.0{0,3})?")) {
            return 0;
        }
        return Double.parseDouble(v.endsWith(".") ? v + "0" : v);
    }
}
