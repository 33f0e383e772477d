package dev.sluice.http;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * The header (or trailer) fields of a request, in the order they arrived. Names are matched
 * ignoring ASCII case; a name may occur more than once. Immutable and safe to share.
 *
 * <p>Fields stay as the bytes that arrived: a {@code String} is made only for a name or value
 * someone asks for. Values are decoded as ISO-8859-1, so bytes above 0x7F (RFC 9110
 * {@code obs-text}) come back as the characters U+0080..U+00FF, one per byte. Values have no
 * leading or trailing whitespace.
 */
public final class Headers {
    static final Headers EMPTY = new Headers(new byte[0], new int[0], 0);

    private final byte[] data;
    /** Per field: name start, name end, value start, value end, all indexes into {@link #data}. */
    private final int[] fields;
    private final int count;

    Headers(byte[] data, int[] fields, int count) {
        this.data = data;
        this.fields = fields;
        this.count = count;
    }

    /** How many field lines there are. */
    public int size() {
        return count;
    }

    /** The name of field {@code i} (0-based, in arrival order), as sent. */
    public String name(int i) {
        checkIndex(i);
        return string(fields[4 * i], fields[4 * i + 1]);
    }

    /** The value of field {@code i} (0-based, in arrival order). */
    public String value(int i) {
        checkIndex(i);
        return string(fields[4 * i + 2], fields[4 * i + 3]);
    }

    /** The value of the first field named {@code name} (ignoring case), or {@code null}. */
    public String get(String name) {
        int i = indexOf(name, 0);
        return i < 0 ? null : value(i);
    }

    /** The values of every field named {@code name} (ignoring case), in order; empty if none. */
    public List<String> all(String name) {
        List<String> values = new ArrayList<>(2);
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            values.add(value(i));
        }
        return values;
    }

    /** Whether a field named {@code name} (ignoring case) is present. */
    public boolean contains(String name) {
        return indexOf(name, 0) >= 0;
    }

    /**
     * Whether a field named {@code name} has {@code token} as one of its comma-separated
     * elements, ignoring case: {@code containsToken("Connection", "close")}.
     */
    public boolean containsToken(String name, String token) {
        for (int i = indexOf(name, 0); i >= 0; i = indexOf(name, i + 1)) {
            int start = fields[4 * i + 2];
            int end = fields[4 * i + 3];
            while (start < end) {
                int comma = start;
                while (comma < end && data[comma] != ',') {
                    comma++;
                }
                int s = start;
                int e = comma;
                while (s < e && Grammar.isWhitespace(data[s])) {
                    s++;
                }
                while (e > s && Grammar.isWhitespace(data[e - 1])) {
                    e--;
                }
                if (e - s == token.length() && regionMatches(s, token)) {
                    return true;
                }
                start = comma + 1;
            }
        }
        return false;
    }

    /** The index of the first field at or after {@code from} named {@code name}, or -1. */
    int indexOf(String name, int from) {
        for (int i = from; i < count; i++) {
            int start = fields[4 * i];
            if (fields[4 * i + 1] - start == name.length() && regionMatches(start, name)) {
                return i;
            }
        }
        return -1;
    }

    /** Whether the name of field {@code i} is {@code lower} (lower-case ASCII), ignoring case. */
    boolean nameIs(int i, String lower) {
        return Grammar.equalsLower(data, fields[4 * i], fields[4 * i + 1], lower);
    }

    byte[] data() {
        return data;
    }

    int valueStart(int i) {
        return fields[4 * i + 2];
    }

    int valueEnd(int i) {
        return fields[4 * i + 3];
    }

    private boolean regionMatches(int start, String s) {
        for (int k = 0; k < s.length(); k++) {
            char c = s.charAt(k);
            if (c > 0x7F || Grammar.lower(data[start + k]) != Grammar.lower((byte) c)) {
                return false;
            }
        }
        return true;
    }

    private String string(int start, int end) {
        return new String(data, start, end - start, StandardCharsets.ISO_8859_1);
    }

    private void checkIndex(int i) {
        if (i < 0 || i >= count) {
            throw new IndexOutOfBoundsException("field " + i + " of " + count);
        }
    }

    /** The fields as {@code name: value} lines, for debugging. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Headers[");
        for (int i = 0; i < count; i++) {
            sb.append(i == 0 ? "" : ", ").append(name(i)).append(": ").append(value(i));
        }
        return sb.append(']').toString();
    }
}
