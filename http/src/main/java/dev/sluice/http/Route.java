package dev.sluice.http;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * One route of a {@link Router}: a method, a path pattern and its handler. A pattern is a path of
 * "/"-separated segments, each either literal (compared with the decoded request segment) or
 * {@code {name}}, which matches any one non-empty segment and captures it decoded.
 */
final class Route {
    final String method;
    final String pattern;
    final HttpHandler handler;
    private final String[] segments;
    /** The parameter name of each segment, or null for a literal one. */
    private final String[] params;

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
        this.segments = pattern.substring(1).split("/", -1);
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
            }
        }
    }

    /** The captured parameters if {@code path} (decoded segments) matches, else null. */
    Map<String, String> match(String[] path) {
        if (path.length != segments.length) {
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
        return captured == null ? Map.of() : captured;
    }
}
