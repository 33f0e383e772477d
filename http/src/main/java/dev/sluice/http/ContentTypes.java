package dev.sluice.http;

import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code Content-Type} of a file from its extension (the text after the last {@code .},
 * ignoring case): the web's common types, IANA names where one exists (as in nginx's
 * {@code mime.types} and Go's {@code mime} package). Textual types carry {@code charset=utf-8}.
 * Anything else is {@value #UNKNOWN}, which browsers download rather than render. Immutable.
 */
final class ContentTypes {
    static final String UNKNOWN = "application/octet-stream";
    private static final String CHARSET = "; charset=utf-8";
    private static final Map<String, String> BY_EXTENSION = new HashMap<>();

    static {
        // Text and the web platform.
        add("text/html", "html", "htm");
        add("text/css", "css");
        add("text/javascript", "js", "mjs", "cjs"); // RFC 9239
        add("application/json", "json", "map");
        add("application/ld+json", "jsonld");
        add("application/manifest+json", "webmanifest");
        add("application/wasm", "wasm");
        add("text/plain", "txt", "text", "log", "conf", "ini");
        add("text/markdown", "md", "markdown");
        add("text/csv", "csv");
        add("text/tab-separated-values", "tsv");
        add("text/calendar", "ics");
        add("text/vcard", "vcf");
        add("text/vtt", "vtt");
        add("application/xml", "xml", "xsl", "xsd");
        add("application/xhtml+xml", "xhtml");
        add("application/rss+xml", "rss");
        add("application/atom+xml", "atom");
        add("application/yaml", "yaml", "yml"); // RFC 9512
        add("application/toml", "toml");
        add("application/rtf", "rtf");
        // Images.
        add("image/svg+xml", "svg");
        add("image/png", "png");
        add("image/apng", "apng");
        add("image/jpeg", "jpg", "jpeg", "jpe", "jfif");
        add("image/gif", "gif");
        add("image/webp", "webp");
        add("image/avif", "avif");
        add("image/jxl", "jxl");
        add("image/heic", "heic");
        add("image/vnd.microsoft.icon", "ico");
        add("image/bmp", "bmp");
        add("image/tiff", "tif", "tiff");
        // Fonts.
        add("font/woff", "woff");
        add("font/woff2", "woff2");
        add("font/ttf", "ttf");
        add("font/otf", "otf");
        add("application/vnd.ms-fontobject", "eot");
        // Audio and video.
        add("video/mp4", "mp4", "m4v");
        add("video/webm", "webm");
        add("video/ogg", "ogv");
        add("video/quicktime", "mov");
        add("video/x-msvideo", "avi");
        add("video/x-matroska", "mkv");
        add("video/mpeg", "mpeg", "mpg");
        add("video/mp2t", "ts");
        add("video/3gpp", "3gp");
        add("application/vnd.apple.mpegurl", "m3u8");
        add("application/dash+xml", "mpd");
        add("audio/ogg", "ogg", "oga");
        add("audio/opus", "opus");
        add("audio/mpeg", "mp3");
        add("audio/wav", "wav");
        add("audio/flac", "flac");
        add("audio/mp4", "m4a");
        add("audio/aac", "aac");
        add("audio/midi", "mid", "midi");
        // Documents.
        add("application/pdf", "pdf");
        add("application/epub+zip", "epub");
        add("application/msword", "doc");
        add("application/vnd.openxmlformats-officedocument.wordprocessingml.document", "docx");
        add("application/vnd.ms-excel", "xls");
        add("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx");
        add("application/vnd.ms-powerpoint", "ppt");
        add("application/vnd.openxmlformats-officedocument.presentationml.presentation", "pptx");
        add("application/vnd.oasis.opendocument.text", "odt");
        add("application/vnd.oasis.opendocument.spreadsheet", "ods");
        add("application/vnd.oasis.opendocument.presentation", "odp");
        // Archives and packages.
        add("application/zip", "zip");
        add("application/gzip", "gz", "tgz");
        add("application/x-brotli", "br");
        add("application/zstd", "zst");
        add("application/x-tar", "tar");
        add("application/x-bzip2", "bz2");
        add("application/x-xz", "xz");
        add("application/x-7z-compressed", "7z");
        add("application/vnd.rar", "rar");
        add("application/java-archive", "jar");
        add("application/vnd.android.package-archive", "apk");
    }

    private ContentTypes() {
    }

    private static void add(String type, String... extensions) {
        String full = textual(type) ? type + CHARSET : type;
        for (String e : extensions) {
            if (BY_EXTENSION.put(e, full) != null) {
                throw new IllegalStateException("extension twice: " + e);
            }
        }
    }

    /** Whether {@code type} is text a browser decodes with a charset. */
    private static boolean textual(String type) {
        return type.startsWith("text/") || type.endsWith("+xml") || type.endsWith("+json")
                || type.equals("application/json") || type.equals("application/xml")
                || type.equals("application/yaml") || type.equals("application/toml")
                || type.equals("application/vnd.apple.mpegurl");
    }

    /**
     * Whether a file of {@code contentType} (as {@link #of} gives it) shrinks when gzipped: text,
     * JSON, XML and SVG, scripts, WebAssembly, and uncompressed fonts. Images, audio, video and
     * archives are compressed already.
     */
    static boolean compressible(String contentType) {
        int semi = contentType.indexOf(';');
        String type = semi < 0 ? contentType : contentType.substring(0, semi);
        return textual(type) || type.equals("application/javascript") || type.equals("text/javascript")
                || type.equals("application/wasm") || type.equals("font/ttf") || type.equals("font/otf")
                || type.equals("image/x-icon") || type.equals("image/vnd.microsoft.icon");
    }

    /** The {@code Content-Type} for a file called {@code fileName}. */
    static String of(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0 || dot == fileName.length() - 1) {
            return UNKNOWN;
        }
        String type = BY_EXTENSION.get(fileName.substring(dot + 1).toLowerCase(Locale.ROOT));
        return type == null ? UNKNOWN : type;
    }
}
