package dev.sluice.cli;

import dev.sluice.http.HttpFilter;
import dev.sluice.http.HttpResponse;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * {@code serve --header 'NAME: VALUE'}: fields added to every response the handler gives. The
 * first {@code --header} of a name replaces what the handler set for it; later ones of the same
 * name add a field each (as several {@code Link} fields).
 */
final class ResponseHeaders {
    private ResponseHeaders() {
    }

    /** One field: its name, its value, and whether it replaces the handler's fields of that name. */
    private record Field(String name, String value, boolean replaces) {
    }

    /**
     * The filter adding {@code headers}, each {@code NAME: VALUE}.
     *
     * @throws IllegalArgumentException ({@code header must ...}, which {@link FlagNames} turns into
     *     the flag or its variable) for one that is not a field, or one the server writes itself
     */
    static HttpFilter parse(List<String> headers) {
        List<Field> fields = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        HttpResponse probe = HttpResponse.status(204);
        for (String header : headers) {
            int colon = header.indexOf(':');
            String name = colon < 0 ? "" : header.substring(0, colon).strip();
            String value = colon < 0 ? "" : header.substring(colon + 1).strip();
            if (name.isEmpty()) {
                throw new IllegalArgumentException("header must be NAME: VALUE, e.g. "
                        + "'X-Frame-Options: DENY'; got '" + header + "'");
            }
            try {
                probe.withHeader(name, value);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("header must be a field a handler may set; '" + header
                        + "': " + e.getMessage());
            }
            fields.add(new Field(name, value, seen.add(name.toLowerCase(Locale.ROOT))));
        }
        List<Field> all = List.copyOf(fields);
        return HttpFilter.nonBlocking((request, next) -> {
            HttpResponse response = next.handle(request);
            for (Field f : all) {
                response = f.replaces() ? response.withHeader(f.name(), f.value())
                        : response.withAddedHeader(f.name(), f.value());
            }
            return response;
        });
    }
}
