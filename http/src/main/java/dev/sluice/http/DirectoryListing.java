package dev.sluice.http;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;

/**
 * The HTML page listing a directory: directories first, then files, each sorted by name (ignoring
 * case, then exactly), with human-readable sizes and modification times in UTC, and a parent link
 * except at the root. Plain HTML with a little inline CSS (light and dark), no script. Names are
 * HTML-escaped in text and percent-encoded (UTF-8, all but RFC 3986 unreserved characters) in
 * links, which are relative and start with {@code ./}, so no name can become markup, a scheme
 * ({@code javascript:}) or another path. Stateless.
 */
final class DirectoryListing {
    private static final DateTimeFormatter SHOWN =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm", Locale.ROOT).withZone(ZoneOffset.UTC);
    private static final String[] UNITS = {"KiB", "MiB", "GiB", "TiB", "PiB", "EiB"};
    private static final String STYLE = """
            :root{color-scheme:light dark;--fg:#1f2328;--muted:#59636e;--line:#d1d9e0;\
            --link:#0969da;--hover:#f6f8fa}
            @media (prefers-color-scheme:dark){:root{--fg:#e6edf3;--muted:#9198a1;--line:#3d444d;\
            --link:#4493f8;--hover:#151b23}}
            body{font:15px/1.5 system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;color:var(--fg);\
            max-width:60rem;margin:2rem auto;padding:0 1rem}
            h1{font-size:1.25rem;font-weight:600;overflow-wrap:anywhere}
            table{width:100%;border-collapse:collapse}
            th,td{padding:.35rem .6rem;text-align:left;border-bottom:1px solid var(--line)}
            th{color:var(--muted);font-weight:500;font-size:.85rem}
            td:first-child{overflow-wrap:anywhere}
            .size{text-align:right;white-space:nowrap;font-variant-numeric:tabular-nums}
            .date{white-space:nowrap;color:var(--muted);font-variant-numeric:tabular-nums}
            tr:hover td{background:var(--hover)}
            a{color:var(--link);text-decoration:none}a:hover{text-decoration:underline}
            .dir a{font-weight:600}
            footer{margin-top:1rem;color:var(--muted);font-size:.8rem}
            """;

    /** One listed entry. */
    record Entry(String name, boolean directory, long size, Instant modified) {
    }

    private DirectoryListing() {
    }

    /**
     * The entries of directory {@code dir} that {@code paths} would serve: hidden ones and links
     * that may not be followed are left out, as are entries that are neither a regular file nor a
     * directory (devices, pipes, sockets) or that cannot be read.
     */
    static List<Entry> entries(Path dir, SafePaths paths, boolean showHidden) throws IOException {
        List<Entry> entries = new ArrayList<>();
        try (DirectoryStream<Path> children = Files.newDirectoryStream(dir)) {
            for (Path child : children) {
                String name = child.getFileName().toString();
                if (!showHidden && SafePaths.hidden(name)) {
                    continue;
                }
                SafePaths.Found f = paths.check(child);
                if (f == null || !(f.attributes().isDirectory() || f.attributes().isRegularFile())
                        || !Files.isReadable(f.real())) {
                    continue;
                }
                entries.add(new Entry(name, f.attributes().isDirectory(), f.attributes().size(),
                        f.attributes().lastModifiedTime().toInstant()));
            }
        }
        entries.sort(Comparator.comparing((Entry e) -> !e.directory())
                .thenComparing(Entry::name, String.CASE_INSENSITIVE_ORDER)
                .thenComparing(Entry::name));
        return entries;
    }

    /** The page for the directory at request path {@code path} holding {@code entries}, as UTF-8. */
    static byte[] html(SafePaths.RequestPath path, List<Entry> entries) {
        StringBuilder shown = new StringBuilder("/");
        for (String s : path.segments()) {
            shown.append(s).append('/');
        }
        String title = "Index of " + escape(shown.toString());
        StringBuilder b = new StringBuilder(1024 + entries.size() * 160);
        b.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n")
                .append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>").append(title).append("</title>\n<style>\n").append(STYLE)
                .append("</style>\n</head>\n<body>\n<h1>").append(title).append("</h1>\n<table>\n")
                .append("<thead><tr><th>Name</th><th class=\"size\">Size</th><th>Modified</th></tr></thead>\n")
                .append("<tbody>\n");
        if (!path.segments().isEmpty()) {
            b.append("<tr class=\"dir\"><td><a href=\"../\">../</a></td><td class=\"size\"></td>")
                    .append("<td class=\"date\"></td></tr>\n");
        }
        int directories = 0;
        for (Entry e : entries) {
            String name = escape(e.name()) + (e.directory() ? "/" : "");
            String href = "./" + encode(e.name()) + (e.directory() ? "/" : "");
            b.append(e.directory() ? "<tr class=\"dir\">" : "<tr>")
                    .append("<td><a href=\"").append(href).append("\">").append(name).append("</a></td>")
                    .append("<td class=\"size\">").append(e.directory() ? "\u2014" : size(e.size()))
                    .append("</td><td class=\"date\"><time datetime=\"")
                    .append(e.modified().truncatedTo(ChronoUnit.SECONDS))
                    .append("\">").append(SHOWN.format(e.modified())).append("</time></td></tr>\n");
            directories += e.directory() ? 1 : 0;
        }
        int files = entries.size() - directories;
        b.append("</tbody>\n</table>\n<footer>").append(count(directories, "director", "y", "ies"))
                .append(", ").append(count(files, "file", "", "s")).append("</footer>\n</body>\n</html>\n");
        return b.toString().getBytes(StandardCharsets.UTF_8);
    }

    /**
     * The listing as JSON, UTF-8: {@code {"path":"/docs/","entries":[{"name":"a.txt",
     * "type":"file","size":12,"modified":"2024-01-02T03:04:05Z","href":"./a.txt"},...]}}, in the
     * page's order; a directory has {@code "type":"directory"} and no size.
     */
    static byte[] json(SafePaths.RequestPath path, List<Entry> entries) {
        StringBuilder shown = new StringBuilder("/");
        for (String s : path.segments()) {
            shown.append(s).append('/');
        }
        StringBuilder b = new StringBuilder(64 + entries.size() * 120).append("{\"path\":");
        jsonString(b, shown.toString()).append(",\"entries\":[");
        for (int i = 0; i < entries.size(); i++) {
            Entry e = entries.get(i);
            b.append(i == 0 ? "\n{\"name\":" : ",\n{\"name\":");
            jsonString(b, e.name()).append(",\"type\":\"").append(e.directory() ? "directory\"" : "file\"");
            if (!e.directory()) {
                b.append(",\"size\":").append(e.size());
            }
            b.append(",\"modified\":\"").append(e.modified().truncatedTo(ChronoUnit.SECONDS)).append("\",\"href\":");
            jsonString(b, "./" + encode(e.name()) + (e.directory() ? "/" : "")).append('}');
        }
        return b.append("]}\n").toString().getBytes(StandardCharsets.UTF_8);
    }

    /** Appends {@code s} as a JSON string (RFC 8259): quotes, backslashes and controls escaped. */
    private static StringBuilder jsonString(StringBuilder b, String s) {
        b.append('"');
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            if (c == '"' || c == '\\') {
                b.append('\\').append(c);
            } else if (c < 0x20 || c == 0x7F || c == 0x2028 || c == 0x2029) {
                b.append(String.format(Locale.ROOT, "\\u%04x", (int) c));
            } else {
                b.append(c);
            }
        }
        return b.append('"');
    }

    private static String count(int n, String stem, String one, String many) {
        return n + " " + stem + (n == 1 ? one : many);
    }

    /** {@code bytes} for people: {@code 512 B}, {@code 1.5 KiB}, {@code 3.0 GiB}. */
    static String size(long bytes) {
        if (bytes < 1024) {
            return bytes + " B";
        }
        double value = bytes;
        int unit = -1;
        while (value >= 1024 && unit < UNITS.length - 1) {
            value /= 1024;
            unit++;
        }
        return String.format(Locale.ROOT, "%.1f %s", value, UNITS[unit]);
    }

    /** {@code s} with the five HTML-significant characters escaped, safe in text and attributes. */
    static String escape(String s) {
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }

    /** {@code name} as one path segment: UTF-8, every byte but A-Z a-z 0-9 - . _ ~ percent-encoded. */
    static String encode(String name) {
        StringBuilder b = new StringBuilder(name.length() + 16);
        for (byte x : name.getBytes(StandardCharsets.UTF_8)) {
            int c = x & 0xFF;
            if ((c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9')
                    || c == '-' || c == '.' || c == '_' || c == '~') {
                b.append((char) c);
            } else {
                b.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 15, 16)));
            }
        }
        return b.toString();
    }
}
