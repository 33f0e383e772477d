package dev.sluice.metrics;

import java.math.BigDecimal;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Rewrites the numbers of a Prometheus text exposition in plain decimal: the sample values and the
 * {@code le} and {@code quantile} labels. The Java client (prometheus-metrics 1.x, under
 * Micrometer) writes them with {@link Double#toString}, so a scrape reads {@code le="1.0E-4"} and
 * {@code sluice_sent_bytes_total 1.0508748E7}; the format allows that, but people read these
 * files. Here: a whole number as an integer ({@code 10508748}, {@code 0}), any other finite value
 * as its shortest decimal without an exponent ({@code 0.0001}, {@code 2.5}), {@code +Inf},
 * {@code -Inf} and {@code NaN} as they are. Prometheus parses every form alike
 * ({@code strconv.ParseFloat}), and the Go client's {@code le="0.0001"} reads the same.
 */
final class PrometheusNumbers {
    /** {@code le="1.0E-4"} or {@code quantile="0.5"}: the label's value, group 2. */
    private static final Pattern BOUND = Pattern.compile("\\b(le|quantile)=\"([^\"]*)\"");
    /** Integers this size and below are exact in a double. */
    private static final double EXACT = 0x1p53;

    private PrometheusNumbers() {
    }

    /** {@code exposition} with every sample's value and bound label written plain. */
    static String plain(String exposition) {
        StringBuilder out = new StringBuilder(exposition.length());
        for (String line : exposition.split("\n", -1)) {
            if (!out.isEmpty()) {
                out.append('\n');
            }
            out.append(line.isEmpty() || line.startsWith("#") ? line : sample(line));
        }
        return out.toString();
    }

    /** {@code name{labels} value [timestamp]}: the labels' bounds and the value rewritten. */
    private static String sample(String line) {
        int labelsEnd = line.lastIndexOf('}');
        int valueStart = line.indexOf(' ', Math.max(labelsEnd, 0));
        if (valueStart < 0) {
            return line;
        }
        int valueEnd = line.indexOf(' ', valueStart + 1);
        valueEnd = valueEnd < 0 ? line.length() : valueEnd;
        Matcher m = BOUND.matcher(line.substring(0, valueStart));
        String head = m.replaceAll(r -> r.group(1) + "=\"" + Matcher.quoteReplacement(number(r.group(2))) + "\"");
        return head + " " + number(line.substring(valueStart + 1, valueEnd)) + line.substring(valueEnd);
    }

    /** One number, written plain; text that is not a number comes back as it is. */
    static String number(String text) {
        double d;
        try {
            d = Double.parseDouble(text);
        } catch (NumberFormatException e) {
            return text;
        }
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == Math.rint(d) && Math.abs(d) <= EXACT) {
            return Long.toString((long) d);
        }
        return new BigDecimal(Double.toString(d)).stripTrailingZeros().toPlainString();
    }
}
