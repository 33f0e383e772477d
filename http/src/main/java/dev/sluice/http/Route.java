package dev.sluice.http;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One route of a {@link Router}: a method, a path pattern and its handler. A pattern is a path of
 * "/"-separated segments, each either literal (compared with the decoded request segment) or
 * {@code {name}}, which matches any one non-empty segment and captures it decoded; a last segment
 * {@code *} matches the rest of the path, none or many segments, captured decoded as {@code "*"}.
 */
final class Route {
    final String method;
    final String pattern;
    final HttpHandler handler;
    private final String[] segments;
    /** The parameter name of each segment, or null for a literal one. */
    private final String[] params;
    /** Whether the pattern ends in {@code /*}: {@link #segments} are then the part before it. */
    private final boolean wildcard;

    Route(String method, String pattern, HttpHandler handler) {
        if (method.isEmpty() || !method.chars().allMatch(c -> c < 0x80 && Grammar.isTchar((byte) c))) {
            throw new IllegalArgumentException("method is not a token: " + method);
        }
        if (!pattern.startsWith("/")) {
            throw new IllegalArgumentException("pattern must start with /: " + pattern);
        }
        this.method = method;
        this.pattern = pattern;
        this.handler = handler;
        String[] all = pattern.substring(1).split("/", -1);
        this.wildcard = all[all.length - 1].equals("*");
        this.segments = wildcard ? Arrays.copyOf(all, all.length - 1) : all;
        this.params = new String[segments.length];
        for (int i = 0; i < segments.length; i++) {
            String s = segments[i];
            if (s.startsWith("{") && s.endsWith("}") && s.length() > 2) {
                String name = s.substring(1, s.length() - 1);
                if (!name.chars().allMatch(c -> Character.isLetterOrDigit(c) || c == '_')) {
                    throw new IllegalArgumentException("invalid parameter name in " + pattern);
                }
                for (int j = 0; j < i; j++) {
                    if (name.equals(params[j])) {
                        throw new IllegalArgumentException("parameter " + name + " twice in " + pattern);
                    }
                }
                params[i] = name;
            } else if (s.indexOf('{') >= 0 || s.indexOf('}') >= 0) {
                throw new IllegalArgumentException("a parameter must be a whole segment: " + pattern);
            } else if (s.equals("*")) {
                throw new IllegalArgumentException("* may only be the last segment: " + pattern);
            }
        }
    }

    /** The captured parameters if {@code path} (decoded segments) matches, else null. */
    Map<String, String> match(String[] path) {
        if (wildcard ? path.length < segments.length : path.length != segments.length) {
            return null;
        }
        Map<String, String> captured = null;
        for (int i = 0; i < segments.length; i++) {
            if (params[i] == null) {
                if (!segments[i].equals(path[i])) {
                    return null;
                }
            } else if (path[i].isEmpty()) {
                return null;
            } else {
                if (captured == null) {
                    captured = new LinkedHashMap<>();
                }
                captured.put(params[i], path[i]);
            }
        }
        if (wildcard) {
            if (captured == null) {
                captured = new LinkedHashMap<>();
            }
            captured.put("*", String.join("/", Arrays.asList(path).subList(segments.length, path.length)));
        }
        return captured == null ? Map.of() : captured;
    }

    /**
     * For a pattern ending in {@code /*}: the part of {@code rawPath} its other segments matched,
     * undecoded ({@code /files} of {@code /files/a/b}; empty for {@code /*}); else null.
     */
    String mountOf(String rawPath) {
        if (!wildcard) {
            return null;
        }
        int end = 0;
        for (int i = 0; i < segments.length; i++) {
            int slash = rawPath.indexOf('/', end + 1);
            end = slash < 0 ? rawPath.length() : slash;
        }
        return rawPath.substring(0, end);
    }
}
