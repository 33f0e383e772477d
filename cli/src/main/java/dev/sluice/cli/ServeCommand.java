package dev.sluice.cli;

import dev.sluice.http.CorsFilter;
import dev.sluice.http.HttpConfig;
import dev.sluice.http.HttpHandler;
import dev.sluice.http.StaticFiles;
import dev.sluice.http.StaticFilesConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;

/**
 * {@code sluice serve [DIR]}: a file server for a folder, safe to put on a network: no way out of
 * the folder, no hidden files, every limit and timeout of the core on. The file handler may block
 * (disk I/O), so it runs on the connection's thread, or on a virtual thread on {@code event-loop}.
 */
@Command(name = "serve", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        defaultValueProvider = FlagDefaults.class, showDefaultValues = true, sortOptions = false,
        sortSynopsis = false, abbreviateSynopsis = true, footer = {"", FlagDefaults.FOOTER},
        description = {
            "Serves the files under DIR over HTTP/1.1: GET and HEAD, conditional and range "
                    + "requests, directory listings, precompressed .br/.gz siblings.",
            "Refuses paths that lead outside DIR, hidden files and symbolic links out of DIR. "
                    + "Prints 'listening on http://HOST:PORT', the folder and URLs to open and "
                    + "a line per request (unless --quiet) on stdout, logs on stderr, and runs "
                    + "until SIGTERM or SIGINT. Exits 2 on a bad "
                    + "flag, a DIR that is not a folder, or an address it cannot listen on."
        })
final class ServeCommand implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    @Parameters(index = "0", arity = "0..1", paramLabel = "DIR", defaultValue = ".",
            description = "The folder to serve (or -d DIR).")
    Path dir;

    @Option(names = {"-d", "--directory"}, paramLabel = "<dir>",
            description = "The folder to serve, as DIR (jwebserver's -d). Default: DIR, or '.'.")
    Path directory;

    @Option(names = "--no-listing", defaultValue = "false", description = "Answer 404 for a folder "
            + "without an index file instead of listing it.")
    boolean noListing;

    @Option(names = "--show-hidden", defaultValue = "false",
            description = "Serve and list names that start with '.' (.env, .git).")
    boolean showHidden;

    @Option(names = "--follow-symlinks", defaultValue = "false",
            description = "Let symbolic links lead outside DIR.")
    boolean followSymlinks;

    @Option(names = "--cache-control", paramLabel = "VALUE",
            description = "The Cache-Control header of file responses, e.g. max-age=3600. "
                    + "Default: none.")
    String cacheControl;

    @Option(names = "--max-ranges", paramLabel = "N",
            defaultValue = "" + StaticFilesConfig.DEFAULT_MAX_RANGES,
            description = "Most ranges per request; 1: single ranges only; 0: no range requests.")
    int maxRanges;

    @Option(names = "--index", paramLabel = "NAME", defaultValue = StaticFilesConfig.DEFAULT_INDEX_FILE,
            description = "The file served for a folder; '' for none.")
    String index;

    @Option(names = "--no-precompressed", defaultValue = "false",
            description = "Never serve .br or .gz siblings.")
    boolean noPrecompressed;

    @Option(names = "--compress", negatable = true, defaultValue = "true", fallbackValue = "true",
            description = "Gzip text, JSON, XML, SVG and scripts of 1 KiB or more as they are sent, "
                    + "to clients that take gzip; --no-compress never does.")
    boolean compress;

    @Option(names = "--spa", defaultValue = "false", description = "Single-page app: a browser's "
            + "request for a path that is not found gets the index file (200); assets still 404.")
    boolean spa;

    @Option(names = "--error-page", paramLabel = "STATUS=PATH", split = ",", description = "The "
            + "page, below DIR, sent for an error status, e.g. 404=errors/404.html; repeat for more. "
            + "Default: 404=404.html (used when it exists).")
    List<String> errorPages = new ArrayList<>();

    @Option(names = "--header", paramLabel = "'NAME: VALUE'", description = "A field added to "
            + "every response, e.g. 'X-Frame-Options: DENY'; repeat for more. Default: none.")
    List<String> headers = new ArrayList<>();

    @Option(names = "--cors", paramLabel = "ORIGIN", split = ",", description = "Let scripts from "
            + "ORIGIN (e.g. https://app.example; * for any) read the files, preflights answered; "
            + "repeat or separate with commas. Default: none.")
    List<String> cors = new ArrayList<>();

    @Option(names = "--basic-auth", paramLabel = "FILE", description = "Ask for a name and "
            + "password (HTTP Basic) and check them against FILE, an htpasswd file of bcrypt "
            + "hashes ('htpasswd -B'). Passwords cross the network in clear text over HTTP: "
            + "use it on loopback or a trusted network. Default: none.")
    Path basicAuth;

    @Option(names = "--basic-auth-realm", paramLabel = "NAME", defaultValue = BasicAuthFilter.DEFAULT_REALM,
            description = "The realm of --basic-auth, which browsers show in their password prompt.")
    String realm;

    @Option(names = {"-q", "--quiet"}, defaultValue = "false", description = "Print no line per "
            + "request on stdout. By default each response gets one, in the common log format, "
            + "unless --access-log sends the lines elsewhere.")
    boolean quiet;

    @Mixin
    ServerOptions server;

    @Mixin
    HttpOptions http;

    @Mixin
    AdminOptions admin;

    @Mixin
    AccessLogOptions accessLog;

    @Mixin
    TlsOptions tls;

    @Mixin
    HttpsOptions https;

    @Mixin
    LogOptions logging;

    @Override
    public Integer call() {
        logging.apply();
        CommandLine cli = spec.commandLine();
        Path folder;
        try {
            folder = folder(cli.getParseResult());
        } catch (IllegalArgumentException e) {
            return Main.badValue(cli, e.getMessage());
        }
        HttpConfig httpConfig;
        HttpHandler handler;
        try {
            httpConfig = http.toConfig();
            HttpHandler files = StaticFiles.create(files(folder));
            BasicAuthFilter.checkRealm(realm);
            handler = handler(basicAuth == null ? files
                    : new BasicAuthFilter(Htpasswd.read(basicAuth), realm).around(files), headers, cors);
        } catch (IllegalArgumentException e) {
            return Main.badValue(cli, e.getMessage());
        }
        String warning = basicAuth == null ? null : clearTextWarning(server.host);
        if (warning != null) {
            System.getLogger("dev.sluice.cli").log(System.Logger.Level.WARNING, warning);
        }
        ServerRunner runner = new ServerRunner(cli, "http").tls(tls);
        runner.afterBanner(s -> banner(folder, ListenAddress.urls(runner.scheme(),
                ListenAddress.host(s.config().host(), s.address()), s.address(), ListenAddress.machine())));
        return ServeSupport.run(runner, cli, () -> tls.apply(server.toConfig()), httpConfig, handler, admin,
                accessLog.orConsole(quiet), https);
    }

    /**
     * The file server's settings from the flags, for {@code folder}.
     *
     * @throws IllegalArgumentException for a flag the settings refuse, or {@code --spa} without an
     *     index file
     */
    private StaticFilesConfig files(Path folder) {
        if (spa && index.isEmpty()) {
            throw new IllegalArgumentException("spa must have an index file to answer with; "
                    + "it cannot go with --index ''");
        }
        return StaticFilesConfig.of(folder)
                .withListing(!noListing)
                .withShowHidden(showHidden)
                .withFollowSymlinks(followSymlinks)
                .withCacheControl(cacheControl == null || cacheControl.isEmpty() ? null : cacheControl)
                .withMaxRanges(maxRanges)
                .withIndexFile(index.isEmpty() ? null : index)
                .withPrecompressed(!noPrecompressed)
                .withSinglePageApp(spa)
                .withErrorPages(errorPages(errorPages))
                .withCompress(compress);
    }

    /**
     * The warning {@code --basic-auth} gets when it listens on {@code host} beyond this machine
     * (over HTTP anyone on the path can read the passwords); null on loopback.
     */
    static String clearTextWarning(String host) {
        return ListenAddress.isLoopback(host) ? null : "basic_auth_in_clear: --basic-auth on " + host
                + " sends passwords over plain HTTP, readable by anyone on the network path; bind "
                + "127.0.0.1 or put TLS in front";
    }

    /**
     * The {@code --error-page} pages over the default {@code 404=404.html}: {@code STATUS=PATH} each.
     *
     * @throws IllegalArgumentException ({@code error-page must ...}) for one that is not STATUS=PATH
     */
    static Map<Integer, String> errorPages(List<String> given) {
        Map<Integer, String> pages = new TreeMap<>(StaticFilesConfig.DEFAULT_ERROR_PAGES);
        for (String g : given) {
            int eq = g.indexOf('=');
            int status;
            try {
                status = eq < 0 ? -1 : Integer.parseInt(g.substring(0, eq).strip());
            } catch (NumberFormatException e) {
                status = -1;
            }
            String page = eq < 0 ? "" : g.substring(eq + 1).strip();
            if (status < 400 || status > 599 || page.isEmpty()) {
                throw new IllegalArgumentException("error-page must be STATUS=PATH, a status 400-599 and "
                        + "a file below DIR, e.g. 404=errors/404.html; got '" + g + "'");
            }
            pages.put(status, page);
        }
        return pages;
    }

    /**
     * {@code files} with the {@code --header} fields added to every response and, when
     * {@code --cors} names origins, CORS for GET and HEAD from them.
     *
     * @throws IllegalArgumentException ({@code header must ...}, {@code cors must ...}) for a
     *     field or an origin that is not one
     */
    static HttpHandler handler(HttpHandler files, List<String> headers, List<String> cors) {
        HttpHandler handler = files;
        if (!cors.isEmpty()) {
            try {
                handler = CorsFilter.of(cors, List.of("GET", "HEAD")).around(handler);
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("cors must be * or origins; " + e.getMessage());
            }
        }
        if (!headers.isEmpty()) {
            handler = ResponseHeaders.parse(headers).around(handler);
        }
        return handler;
    }

    /**
     * The folder to serve, absolute: DIR or {@code -d} (not both on the command line; DIR beats
     * {@code SLUICE_DIRECTORY}), else the working directory.
     *
     * @throws IllegalArgumentException when it is given twice, does not exist or is not a folder
     */
    Path folder(ParseResult parsed) {
        boolean positional = parsed.hasMatchedPositional(0);
        if (positional && parsed.hasMatchedOption("--directory")) {
            throw new IllegalArgumentException("the folder is given twice, as DIR '" + dir
                    + "' and -d '" + directory + "'; give one");
        }
        boolean flag = !positional && directory != null;
        Path folder = flag ? directory : dir;
        String named = (flag ? "-d" : "DIR") + " '" + folder + "'";
        if (!Files.exists(folder)) {
            String port = folder.toString().matches("[0-9]{1,5}")
                    ? "; to listen on port " + folder + ", use --port " + folder : "";
            throw new IllegalArgumentException(named + " does not exist" + port);
        }
        if (!Files.isDirectory(folder)) {
            throw new IllegalArgumentException(named + " is not a folder");
        }
        return folder.toAbsolutePath().normalize();
    }

    /** What {@code serve} prints after the listening line: the folder, and URLs to open. */
    static List<String> banner(Path folder, List<String> urls) {
        List<String> lines = new ArrayList<>();
        lines.add("serving " + folder + " at");
        urls.forEach(u -> lines.add("  " + u));
        return lines;
    }
}
