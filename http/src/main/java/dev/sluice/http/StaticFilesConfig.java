package dev.sluice.http;

import dev.sluice.core.internal.ConfigCopy;
import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;

/**
 * How {@link StaticFiles} serves a directory tree. Immutable and validated on construction; start
 * from {@link #of(Path)} (every other component at its default) and change components with the
 * {@code with} methods:
 *
 * <pre>{@code
 * StaticFiles.create(StaticFilesConfig.of(Path.of("public"))
 *         .withListing(false)
 *         .withCacheControl("max-age=3600"));
 * }</pre>
 *
 * <p>The style of every Sluice config record, but for its start: there is no {@code defaults()},
 * because the root has no safe default, so {@link #of(Path)} takes it and defaults the rest.
 *
 * @param root the directory served; request paths are resolved below it, never above it. It must
 *     exist and be a directory when {@link StaticFiles#create} is called, which resolves it to
 *     its real path once (later changes of a symbolic link to the root are not seen). Required.
 * @param listing whether a directory without an {@link #indexFile} answers with an HTML listing
 *     of its entries; when false it answers 404. Default {@value #DEFAULT_LISTING}.
 * @param showHidden whether hidden entries (a path segment starting with {@code .}, such as
 *     {@code .env} or {@code .git/config}, either in the request or in the real path a symbolic
 *     link leads to) are listed and served; when false they answer 404, as if missing. Default
 *     {@value #DEFAULT_SHOW_HIDDEN}.
 * @param followSymlinks whether a symbolic link may lead outside the root. When false (the
 *     default, {@value #DEFAULT_FOLLOW_SYMLINKS}), a path whose real path is outside the real root
 *     answers 404 and is left out of listings; links that stay inside the root always work.
 * @param cacheControl the {@code Cache-Control} value sent with files (200, 206 and 304
 *     responses), for example {@code "max-age=3600"} or {@code "no-cache"}; {@code null}, the
 *     default, sends none. Listings and errors never carry it. Must be printable ASCII and not
 *     blank.
 * @param maxRanges the most ranges one {@code Range} request may ask for. A request for more, or
 *     for ranges that overlap, gets the whole file (200), as nginx does; 1 allows single ranges
 *     only; 0 turns range requests off ({@code Range} is ignored and {@code Accept-Ranges: none}
 *     is sent). Default {@value #DEFAULT_MAX_RANGES}; must not be negative.
 * @param indexFile the file served for a directory request (a path ending in {@code /}) when the
 *     directory holds it, before any listing; {@code null} for none. A plain file name: no
 *     {@code /}, {@code \}, NUL, and not {@code .} or {@code ..}. Default
 *     {@value #DEFAULT_INDEX_FILE}.
 * @param precompressed whether a file's precompressed siblings ({@code name.br}, {@code name.gz})
 *     are served in its place to clients whose {@code Accept-Encoding} allows them, with
 *     {@code Content-Encoding}; a file with a sibling always gets {@code Vary: Accept-Encoding}.
 *     Ranges then apply to the compressed bytes (the sibling has its own {@code ETag}, so
 *     {@code If-Range} keeps them apart). Default {@value #DEFAULT_PRECOMPRESSED}.
 * @param singlePageApp whether a GET or HEAD for a path that is not found, from a client that
 *     accepts {@code text/html} (a browser navigating), gets the root's {@link #indexFile} (200)
 *     instead of 404, so that a single-page app's client-side routes load on a reload or a
 *     shared link; requests that do not ask for HTML (scripts, images, {@code fetch} calls)
 *     still get 404, and so does everything when the root has no index file. Needs an
 *     {@link #indexFile}. Default {@value #DEFAULT_SINGLE_PAGE_APP}.
 * @param errorPages for an error status (400-599) this handler answers, a file below the root
 *     whose contents replace the fixed text, the status and other fields kept: {@code 404} to
 *     {@code "404.html"}, {@code 500} to {@code "errors/oops.html"}. A page that is missing, hidden,
 *     unreadable or over 1 MiB leaves the fixed text. Default {@link #DEFAULT_ERROR_PAGES}, so a
 *     {@code 404.html} at the root is the not-found page, as on GitHub Pages and Netlify.
 * @param compress whether a file of a compressible type (text, JSON, XML, SVG, scripts,
 *     WebAssembly) of at least 1 KiB and without a precompressed sibling is sent gzipped to a
 *     client whose {@code Accept-Encoding} takes gzip, compressed as it is sent, with an
 *     {@code ETag} of its own and {@code Vary: Accept-Encoding} (sent with either answer). A
 *     request with {@code Range} always gets the file's own bytes. Default
 *     {@value #DEFAULT_COMPRESS}.
 */
public record StaticFilesConfig(Path root, boolean listing, boolean showHidden,
                                boolean followSymlinks, String cacheControl, int maxRanges,
                                String indexFile, boolean precompressed, boolean singlePageApp,
                                Map<Integer, String> errorPages, boolean compress) {
    public static final boolean DEFAULT_LISTING = true;
    public static final boolean DEFAULT_SHOW_HIDDEN = false;
    public static final boolean DEFAULT_FOLLOW_SYMLINKS = false;
    public static final int DEFAULT_MAX_RANGES = 16;
    public static final String DEFAULT_INDEX_FILE = "index.html";
    public static final boolean DEFAULT_PRECOMPRESSED = true;
    public static final boolean DEFAULT_SINGLE_PAGE_APP = false;
    public static final Map<Integer, String> DEFAULT_ERROR_PAGES = Map.of(404, "404.html");
    public static final boolean DEFAULT_COMPRESS = true;

    /**
     * @throws NullPointerException if {@code root} is null
     * @throws IllegalArgumentException if another component is out of range (see its description)
     */
    public StaticFilesConfig {
        Objects.requireNonNull(root, "root");
        if (cacheControl != null) {
            if (cacheControl.isBlank()) {
                throw new IllegalArgumentException("cacheControl is blank; use null for none");
            }
            for (int i = 0; i < cacheControl.length(); i++) {
                char c = cacheControl.charAt(i);
                if (c < 0x20 || c > 0x7E) {
                    throw new IllegalArgumentException("cacheControl must be printable ASCII");
                }
            }
        }
        if (maxRanges < 0) {
            throw new IllegalArgumentException("maxRanges must be >= 0, got " + maxRanges);
        }
        if (indexFile != null && (indexFile.isEmpty() || indexFile.equals(".") || indexFile.equals("..")
                || indexFile.indexOf('/') >= 0 || indexFile.indexOf('\\') >= 0
                || indexFile.indexOf('\0') >= 0)) {
            throw new IllegalArgumentException("indexFile must be a plain file name: " + indexFile);
        }
        if (singlePageApp && indexFile == null) {
            throw new IllegalArgumentException("singlePageApp needs an indexFile to answer with");
        }
        errorPages = Map.copyOf(Objects.requireNonNull(errorPages, "errorPages"));
        errorPages.forEach((status, page) -> {
            if (status < 400 || status > 599) {
                throw new IllegalArgumentException("errorPages must map statuses 400-599, got " + status);
            }
            if (SafePaths.relative(page) == null) {
                throw new IllegalArgumentException("errorPages must name files below the root, as "
                        + "404.html or errors/404.html; got '" + page + "' for " + status);
            }
        });
    }

    /** Serves {@code root} with every other component at its default. */
    public static StaticFilesConfig of(Path root) {
        return new StaticFilesConfig(root, DEFAULT_LISTING, DEFAULT_SHOW_HIDDEN, DEFAULT_FOLLOW_SYMLINKS,
                null, DEFAULT_MAX_RANGES, DEFAULT_INDEX_FILE, DEFAULT_PRECOMPRESSED, DEFAULT_SINGLE_PAGE_APP,
                DEFAULT_ERROR_PAGES, DEFAULT_COMPRESS);
    }

    // One withX per component: a copy with that component changed, validated as a new record is.

    public StaticFilesConfig withRoot(Path v) { return ConfigCopy.with(this, "root", v); }
    public StaticFilesConfig withListing(boolean v) { return ConfigCopy.with(this, "listing", v); }
    public StaticFilesConfig withShowHidden(boolean v) { return ConfigCopy.with(this, "showHidden", v); }
    public StaticFilesConfig withFollowSymlinks(boolean v) { return ConfigCopy.with(this, "followSymlinks", v); }
    public StaticFilesConfig withCacheControl(String v) { return ConfigCopy.with(this, "cacheControl", v); }
    public StaticFilesConfig withMaxRanges(int v) { return ConfigCopy.with(this, "maxRanges", v); }
    public StaticFilesConfig withIndexFile(String v) { return ConfigCopy.with(this, "indexFile", v); }
    public StaticFilesConfig withPrecompressed(boolean v) { return ConfigCopy.with(this, "precompressed", v); }
    public StaticFilesConfig withSinglePageApp(boolean v) { return ConfigCopy.with(this, "singlePageApp", v); }
    public StaticFilesConfig withErrorPages(Map<Integer, String> v) { return ConfigCopy.with(this, "errorPages", v); }
    public StaticFilesConfig withCompress(boolean v) { return ConfigCopy.with(this, "compress", v); }
}
