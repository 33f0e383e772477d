package dev.sluice.http;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Reads a {@code Range} field (RFC 9110 14.1.2) against a representation of {@code size} bytes.
 * Only the {@code bytes} unit is understood (its name ignoring case); each range-spec is
 * {@code first-last}, {@code first-} (to the end) or {@code -suffix} (the last bytes), separated
 * by commas with optional whitespace; empty list elements are skipped. Stateless.
 *
 * <table>
 *   <caption>Outcomes</caption>
 *   <tr><th>field</th><th>result</th><th>answer</th></tr>
 *   <tr><td>another unit, bad syntax, or {@code last < first}</td><td>null</td>
 *       <td>200, whole file (RFC 9110 14.2 lets a server ignore Range)</td></tr>
 *   <tr><td>more than {@code maxRanges} range-specs</td><td>null</td><td>200, whole file</td></tr>
 *   <tr><td>two satisfiable ranges that overlap</td><td>null</td><td>200, whole file (a
 *       request for the same bytes many times over is an amplification attack)</td></tr>
 *   <tr><td>no satisfiable range (for example {@code bytes=500-} of 100 bytes, or any range of
 *       an empty file)</td><td>empty</td><td>416</td></tr>
 *   <tr><td>otherwise</td><td>the satisfiable ranges, clipped to the size, in request
 *       order</td><td>206</td></tr>
 * </table>
 */
final class RangeParser {

    /** Bytes {@code first..last}, both inclusive, of the representation. */
    record ByteRange(long first, long last) {
        long length() {
            return last - first + 1;
        }

        /** The {@code Content-Range} value of this range of {@code size} bytes. */
        String contentRange(long size) {
            return "bytes " + first + "-" + last + "/" + size;
        }
    }

    private RangeParser() {
    }

    /**
     * The ranges {@code value} asks for in a representation of {@code size} bytes: null to ignore
     * the field, empty when none is satisfiable; see the class table.
     *
     * @param maxRanges at least 1
     */
    static List<ByteRange> parse(String value, long size, int maxRanges) {
        int eq = value.indexOf('=');
        if (eq < 0 || !value.substring(0, eq).strip().equalsIgnoreCase("bytes")) {
            return null;
        }
        List<ByteRange> ranges = new ArrayList<>();
        int specs = 0;
        int at = eq + 1;
        while (at <= value.length()) {
            int comma = value.indexOf(',', at);
            int end = comma < 0 ? value.length() : comma;
            String spec = value.substring(at, end).strip();
            at = end + 1;
            if (spec.isEmpty()) {
                continue;
            }
            if (++specs > maxRanges) {
                return null;
            }
            if (!add(spec, size, ranges)) {
                return null;
            }
        }
        if (specs == 0) {
            return null;
        }
        return overlap(ranges) ? null : ranges;
    }

    /** Adds what {@code spec} asks of {@code size} bytes, if satisfiable; false if it is invalid. */
    private static boolean add(String spec, long size, List<ByteRange> ranges) {
        int dash = spec.indexOf('-');
        if (dash < 0) {
            return false;
        }
        long first = number(spec, 0, dash);
        long last = number(spec, dash + 1, spec.length());
        if (dash == 0) {
            // suffix-range: the last "last" bytes; -0 is unsatisfiable.
            if (last < 0) {
                return false;
            }
            if (last > 0 && size > 0) {
                ranges.add(new ByteRange(Math.max(0, size - last), size - 1));
            }
            return true;
        }
        boolean open = dash == spec.length() - 1;
        if (first < 0 || (!open && last < 0) || (!open && last < first)) {
            return false;
        }
        if (first < size) {
            ranges.add(new ByteRange(first, open ? size - 1 : Math.min(last, size - 1)));
        }
        return true;
    }

    private static boolean overlap(List<ByteRange> ranges) {
        if (ranges.size() < 2) {
            return false;
        }
        List<ByteRange> sorted = new ArrayList<>(ranges);
        sorted.sort(Comparator.comparingLong(ByteRange::first));
        for (int i = 1; i < sorted.size(); i++) {
            if (sorted.get(i).first() <= sorted.get(i - 1).last()) {
                return true;
            }
        }
        return false;
    }

    /**
     * The decimal number in {@code s[start, end)}: at least one digit, saturating at
     * {@code Long.MAX_VALUE}; -1 if the range is empty or holds a non-digit.
     */
    private static long number(String s, int start, int end) {
        if (start >= end) {
            return -1;
        }
        long n = 0;
        for (int i = start; i < end; i++) {
            char c = s.charAt(i);
            if (c < '0' || c > '9') {
                return -1;
            }
            n = n > (Long.MAX_VALUE - 9) / 10 ? Long.MAX_VALUE : n * 10 + (c - '0');
        }
        return n;
    }
}
