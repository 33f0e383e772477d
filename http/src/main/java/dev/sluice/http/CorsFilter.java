package dev.sluice.http;

import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Cross-origin resource sharing (the Fetch standard's CORS protocol) for the origins given: a
 * filter that answers preflight requests itself and marks the other responses as readable by
 * those origins.
 *
 * <ul>
 *   <li>A request with an {@code Origin} the filter allows gets
 *       {@code Access-Control-Allow-Origin} (the origin itself, or {@code *} when every origin is
 *       allowed), {@code Access-Control-Expose-Headers} (the validators and range fields a script
 *       cannot read otherwise) and {@code Vary: Origin}.</li>
 *   <li>A preflight ({@code OPTIONS} with {@code Origin} and
 *       {@code Access-Control-Request-Method}) is answered {@code 204} without calling the
 *       handler: with {@code Access-Control-Allow-Methods}, the requested headers in
 *       {@code Access-Control-Allow-Headers} and {@code Access-Control-Max-Age} when the origin
 *       and method are allowed; with no CORS fields (so the browser refuses) when they are not.</li>
 *   <li>Requests without {@code Origin} pass through untouched. Credentials are not allowed.</li>
 * </ul>
 *
 * <pre>{@code
 * HttpHandler app = CorsFilter.of(List.of("https://app.example"), List.of("GET", "HEAD")).around(router);
 * }</pre>
 */
public final class CorsFilter implements HttpFilter {
    /** How long a browser may cache a preflight's answer, in seconds. */
    public static final int MAX_AGE_SECONDS = 600;
    private static final String EXPOSED = "ETag, Content-Range, Accept-Ranges, Content-Encoding";

    private final Set<String> origins;
    private final boolean any;
    private final List<String> methods;
    private final String allowMethods;

    private CorsFilter(List<String> origins, List<String> methods) {
        this.any = origins.contains("*");
        this.origins = Set.copyOf(origins.stream().map(CorsFilter::checkOrigin).toList());
        this.methods = List.copyOf(methods);
        this.allowMethods = String.join(", ", methods);
    }

    /**
     * A filter allowing {@code origins} ({@code https://app.example}, {@code http://localhost:3000};
     * {@code *} for every origin) to use {@code methods}.
     *
     * @throws IllegalArgumentException for an origin that is not {@code *} nor a scheme, host and
     *     optional port with nothing after them, or no origin or method at all
     */
    public static CorsFilter of(List<String> origins, List<String> methods) {
        if (origins.isEmpty() || methods.isEmpty()) {
            throw new IllegalArgumentException("CORS needs at least one origin and one method");
        }
        for (String m : methods) {
            if (m.isEmpty() || !m.chars().allMatch(c -> c < 0x80 && Grammar.isTchar((byte) c))) {
                throw new IllegalArgumentException("not a method: " + m);
            }
        }
        return new CorsFilter(origins, methods);
    }

    /** {@code origin} as browsers send it (lower-case scheme and host), or the reason it is not one. */
    private static String checkOrigin(String origin) {
        if (origin.equals("*")) {
            return origin;
        }
        String why = "'" + origin + "' is not an origin: want * or scheme://host[:port] with nothing after "
                + "it, e.g. https://app.example";
        URI uri;
        try {
            uri = new URI(origin);
        } catch (URISyntaxException e) {
            throw new IllegalArgumentException(why);
        }
        if (uri.getScheme() == null || uri.getHost() == null || uri.getRawUserInfo() != null
                || !uri.getRawPath().isEmpty() || uri.getRawQuery() != null || uri.getRawFragment() != null) {
            throw new IllegalArgumentException(why);
        }
        return origin.toLowerCase(Locale.ROOT);
    }

    @Override
    public HttpResponse filter(HttpRequest request, HttpHandler next) throws Exception {
        String origin = request.header("Origin");
        if (origin == null) {
            return next.handle(request);
        }
        boolean allowed = any || origins.contains(origin.toLowerCase(Locale.ROOT));
        String wanted = request.header("Access-Control-Request-Method");
        if (request.method().equals("OPTIONS") && wanted != null) {
            boolean ok = allowed && methods.contains(wanted);
            return preflight(origin, ok, request.header("Access-Control-Request-Headers"));
        }
        HttpResponse response = next.handle(request);
        if (!allowed) {
            return response;
        }
        return response.withHeader("Access-Control-Allow-Origin", any ? "*" : origin)
                .withHeader("Access-Control-Expose-Headers", EXPOSED)
                .withAddedHeader("Vary", "Origin");
    }

    private HttpResponse preflight(String origin, boolean allowed, String headers) {
        HttpResponse answer = HttpResponse.status(204)
                .withHeader("Vary", "Origin, Access-Control-Request-Method, Access-Control-Request-Headers");
        if (!allowed) {
            return answer;
        }
        answer = answer.withHeader("Access-Control-Allow-Origin", any ? "*" : origin)
                .withHeader("Access-Control-Allow-Methods", allowMethods)
                .withHeader("Access-Control-Max-Age", Integer.toString(MAX_AGE_SECONDS));
        if (headers != null && isTokenList(headers)) {
            answer = answer.withHeader("Access-Control-Allow-Headers", headers.strip());
        }
        return answer;
    }

    /** Whether {@code list} is field names separated by commas and spaces: safe to echo. */
    private static boolean isTokenList(String list) {
        boolean token = false;
        for (int i = 0; i < list.length(); i++) {
            char c = list.charAt(i);
            if (c < 0x80 && Grammar.isTchar((byte) c)) {
                token = true;
            } else if (c != ',' && c != ' ' && c != '\t') {
                return false;
            }
        }
        return token;
    }

    /** Answers from memory, never blocks. */
    @Override
    public boolean mayBlock() {
        return false;
    }
}
