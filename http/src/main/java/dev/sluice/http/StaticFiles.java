package dev.sluice.http;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.System.Logger.Level;
import java.nio.file.DirectoryIteratorException;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.Path;
import java.time.InstantSource;
import java.util.List;
import java.util.Locale;
import java.util.Objects;

/**
 * Serves the files below a root directory, as nginx's {@code root} and Caddy's
 * {@code file_server} do, per RFC 9110. Create it with {@link #create(StaticFilesConfig)} and hand
 * it to {@link HttpProtocol#create(HttpHandler)}, alone or mounted under a {@link Router} route
 * ending in {@code /*}: it maps {@link HttpRequest#rawPathInMount()} below the root, so under
 * {@code /files/*} the request {@code /files/a.txt} gets {@code root/a.txt} (and {@code /files}
 * a redirect to {@code /files/}).
 *
 * <table>
 *   <caption>Answers</caption>
 *   <tr><th>request</th><th>answer</th></tr>
 *   <tr><td>a method other than GET and HEAD</td><td>405, {@code Allow: GET, HEAD}</td></tr>
 *   <tr><td>a path that tries to leave the root or is malformed ({@code ..}, {@code %2f},
 *       {@code %5c}, {@code %00}, {@code //}, bad UTF-8...; see {@link SafePaths})</td><td>400</td></tr>
 *   <tr><td>a file that is missing, hidden, behind a symbolic link that leads out of the root,
 *       unreadable, or neither a regular file nor a directory</td><td>404, always the same</td></tr>
 *   <tr><td>a regular file</td><td>200 with the file, {@code ETag}, {@code Last-Modified},
 *       {@code Accept-Ranges}; or 206, 304, 412, 416 (see {@link FileResponder})</td></tr>
 *   <tr><td>a directory without the final "/"</td><td>301 to the path with it, query kept</td></tr>
 *   <tr><td>a directory holding the index file</td><td>that file</td></tr>
 *   <tr><td>another directory</td><td>an HTML listing if enabled ({@link DirectoryListing}; JSON
 *       for a client that accepts {@code application/json} and not {@code text/html}), else
 *       404</td></tr>
 * </table>
 *
 * <p>Error bodies are fixed texts: nothing from the request, nor from the file system, is echoed.
 * An unreadable file answers 404, like a missing one, so a client cannot map what exists. Every
 * file response carries {@code X-Content-Type-Options: nosniff}; listings also carry a
 * {@code Content-Security-Policy} that allows no script.
 *
 * <p>{@link #handle} reads the file system, so it {@link #mayBlock() may block}: the
 * {@code event-loop} engine runs it on a virtual thread. The file bytes themselves are sent by
 * the engine with {@code FileChannel.transferTo}, never read into memory. Immutable and
 * thread-safe: one instance serves every connection.
 */
public final class StaticFiles implements HttpHandler {
    private static final System.Logger LOG = System.getLogger("dev.sluice.http");
    private static final HttpResponse BAD_REQUEST = HttpResponse.text(400, "Bad Request\n");
    private static final HttpResponse NOT_FOUND = HttpResponse.text(404, "Not Found\n");
    /** The largest error page read; a larger one leaves the fixed text. */
    private static final long MAX_ERROR_PAGE_BYTES = 1 << 20;
    private static final HttpResponse METHOD_NOT_ALLOWED =
            HttpResponse.text(405, "Method Not Allowed\n").withHeader("Allow", "GET, HEAD");
    private static final String LISTING_POLICY =
            "default-src 'none'; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'; "
                    + "frame-ancestors 'none'";

    private final StaticFilesConfig config;
    private final SafePaths paths;
    private final FileResponder files;

    private StaticFiles(StaticFilesConfig config, Path realRoot, InstantSource clock) {
        this.config = config;
        this.paths = new SafePaths(realRoot, config.showHidden(), config.followSymlinks());
        this.files = new FileResponder(config, paths, clock);
    }

    /**
     * A handler serving {@code config.root()}, resolved to its real path now.
     *
     * @throws IllegalArgumentException if the root does not exist or is not a directory
     */
    public static StaticFiles create(StaticFilesConfig config) {
        return create(config, InstantSource.system());
    }

    static StaticFiles create(StaticFilesConfig config, InstantSource clock) {
        Objects.requireNonNull(config, "config");
        Path realRoot;
        try {
            realRoot = config.root().toRealPath();
        } catch (IOException e) {
            throw new IllegalArgumentException("root does not exist or cannot be read: " + config.root(), e);
        }
        if (!Files.isDirectory(realRoot)) {
            throw new IllegalArgumentException("root is not a directory: " + config.root());
        }
        return new StaticFiles(config, realRoot, Objects.requireNonNull(clock, "clock"));
    }

    /** The configuration this handler serves. */
    public StaticFilesConfig config() {
        return config;
    }

    @Override
    public HttpResponse handle(HttpRequest request) {
        HttpResponse answer = find(request);
        if (answer == NOT_FOUND && config.singlePageApp() && acceptsHtml(request)) {
            answer = appShell(request, answer);
        }
        return answer.status() >= 400 ? errorPage(answer) : answer;
    }

    /**
     * {@code error} with the body of its configured page, when there is one to read; else as it
     * is. The page is read whole each time (at most {@link #MAX_ERROR_PAGE_BYTES}), so a change
     * shows at once.
     */
    private HttpResponse errorPage(HttpResponse error) {
        String page = config.errorPages().get(error.status());
        if (page == null) {
            return error;
        }
        try {
            SafePaths.Found found = paths.findReadableFile(SafePaths.relative(page));
            if (found == null || found.attributes().size() > MAX_ERROR_PAGE_BYTES) {
                return error;
            }
            byte[] body = Files.readAllBytes(found.real());
            return error.withHeader("Content-Type", ContentTypes.of(page)).withBody(body);
        } catch (IOException | UncheckedIOException | InvalidPathException | SecurityException e) {
            LOG.log(Level.DEBUG, "error_page_failed: {0}", e.toString());
            return error;
        }
    }

    private HttpResponse find(HttpRequest request) {
        String method = request.method();
        if (!method.equals("GET") && !method.equals("HEAD")) {
            return METHOD_NOT_ALLOWED;
        }
        String inMount = request.rawPathInMount();
        if (inMount.isEmpty()) {
            return redirectToDirectory(request, SafePaths.parse("/"));
        }
        SafePaths.RequestPath path = SafePaths.parse(inMount);
        if (path == null) {
            return BAD_REQUEST;
        }
        try {
            SafePaths.Found found = paths.find(path);
            if (found == null) {
                return NOT_FOUND;
            }
            if (found.attributes().isDirectory()) {
                return directory(request, path, found);
            }
            if (found.attributes().isRegularFile() && !path.directory() && !path.segments().isEmpty()
                    && Files.isReadable(found.real())) {
                return files.respond(request, found, path, path.segments().getLast());
            }
            return NOT_FOUND;
        } catch (IOException | UncheckedIOException | DirectoryIteratorException | InvalidPathException
                 | SecurityException e) {
            // A file that vanished or changed while being looked at: as good as missing.
            LOG.log(Level.DEBUG, "static_file_failed: {0}", e.toString());
            return NOT_FOUND;
        }
    }

    /** Whether {@code request} asks for JSON and not for HTML: a script, not a browser's page load. */
    private static boolean wantsJson(HttpRequest request) {
        String accept = request.header("Accept");
        if (accept == null) {
            return false;
        }
        String a = accept.toLowerCase(Locale.ROOT);
        return a.contains("application/json") && !a.contains("text/html");
    }

    /** Whether {@code request} asks for HTML: a browser's navigation, not a script's or an image's fetch. */
    private static boolean acceptsHtml(HttpRequest request) {
        String accept = request.header("Accept");
        return accept != null && accept.toLowerCase(Locale.ROOT).contains("text/html");
    }

    /** The root's index file, for a single-page app's client-side route; {@code otherwise} if it has none. */
    private HttpResponse appShell(HttpRequest request, HttpResponse otherwise) {
        try {
            HttpResponse shell = index(request, SafePaths.parse("/"));
            if (shell != null) {
                return shell;
            }
        } catch (UncheckedIOException | InvalidPathException | SecurityException e) {
            LOG.log(Level.DEBUG, "static_file_failed: {0}", e.toString());
        }
        return otherwise;
    }

    /** The index file of the directory at {@code dir}, answered as a file; null if it has none. */
    private HttpResponse index(HttpRequest request, SafePaths.RequestPath dir) {
        SafePaths.RequestPath indexPath = dir.child(config.indexFile(), false);
        SafePaths.Found index = paths.findReadableFile(indexPath);
        return index == null ? null : files.respond(request, index, indexPath, config.indexFile());
    }

    private HttpResponse directory(HttpRequest request, SafePaths.RequestPath path, SafePaths.Found dir)
            throws IOException {
        if (!path.directory()) {
            return redirectToDirectory(request, path);
        }
        HttpResponse index = config.indexFile() == null ? null : index(request, path);
        if (index != null) {
            return index;
        }
        if (!config.listing() || !Files.isReadable(dir.real())) {
            return NOT_FOUND;
        }
        List<DirectoryListing.Entry> entries = DirectoryListing.entries(dir.real(), paths, config.showHidden());
        if (wantsJson(request)) {
            return HttpResponse.status(200)
                    .withHeader("Content-Type", "application/json")
                    .withHeader("X-Content-Type-Options", "nosniff")
                    .withHeader("Vary", "Accept")
                    .withBody(DirectoryListing.json(path, entries));
        }
        return HttpResponse.status(200)
                .withHeader("Content-Type", "text/html; charset=utf-8")
                .withHeader("X-Content-Type-Options", "nosniff")
                .withHeader("Content-Security-Policy", LISTING_POLICY)
                .withHeader("Vary", "Accept")
                .withBody(DirectoryListing.html(path, entries));
    }

    /**
     * 301 to the directory's path with "/" added, rebuilt from the mount path and the decoded
     * segments (so it never starts with "//" and can never name another host), the query kept if
     * printable.
     */
    private static HttpResponse redirectToDirectory(HttpRequest request, SafePaths.RequestPath path) {
        StringBuilder location = new StringBuilder(request.mountPath());
        if (location.indexOf("//") >= 0) {
            return BAD_REQUEST;
        }
        for (String s : path.segments()) {
            location.append('/').append(DirectoryListing.encode(s));
        }
        location.append('/');
        String query = request.query();
        if (!query.isEmpty() && query.chars().allMatch(c -> c > 0x20 && c < 0x7F)) {
            location.append('?').append(query);
        }
        return HttpResponse.status(301).withHeader("Location", location.toString());
    }
}
