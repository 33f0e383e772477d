package dev.sluice.http;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.security.SecureRandom;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The answer to a GET or HEAD of one regular file that {@link StaticFiles} has found: picks the
 * representation (the file, or a precompressed sibling), computes its validators, evaluates the
 * conditional fields ({@link Conditionals}), then {@code Range} ({@link RangeParser}), and answers
 * 200, 206 (one range, or {@code multipart/byteranges} for several), 304, 412 or 416. Bodies are
 * file regions, sent zero-copy and opened only when the response is encoded. Thread-safe. Built on
 * the public {@link HttpResponse} API alone ({@code withFile}, {@code withSegments}), as a user's
 * file server would be.
 *
 * <p>The {@code ETag} is strong, {@code "<mtime in ns, hex>-<size, hex>"} of the file actually
 * sent, so a sibling has its own. {@code Last-Modified} is the modification time, but never later
 * than now (RFC 9110 8.8.2.1).
 */
final class FileResponder {
    private static final HttpResponse PRECONDITION_FAILED = HttpResponse.text(412, "Precondition Failed\n");
    private static final SecureRandom BOUNDARIES = new SecureRandom();

    private final StaticFilesConfig config;
    private final SafePaths paths;
    private final InstantSource clock;

    FileResponder(StaticFilesConfig config, SafePaths paths, InstantSource clock) {
        this.config = config;
        this.paths = paths;
        this.clock = clock;
    }

    /**
     * The file sent, its {@code Content-Encoding} (null for the file itself), whether the answer
     * depends on {@code Accept-Encoding} (a sibling exists, or the file may be compressed on the
     * fly), and whether it is compressed on the fly.
     */
    private record Representation(SafePaths.Found file, String encoding, boolean varies, boolean onTheFly) {
    }

    /** The smallest file compressed on the fly: below it, gzip's framing outweighs the saving. */
    static final long MIN_COMPRESSED_BYTES = 1024;

    /** The validators of the file sent, and the time they were computed at, in epoch seconds. */
    private record Validators(String etag, long lastModified, long now) {
    }

    /**
     * Answers {@code request} with {@code file}, found at {@code path}; {@code name} (the last
     * segment asked for, before any symbolic link) gives the content type.
     */
    HttpResponse respond(HttpRequest request, SafePaths.Found file, SafePaths.RequestPath path, String name) {
        String type = ContentTypes.of(name);
        Representation rep = choose(request, file, path, type);
        Validators v = validators(rep.file().attributes(), rep.onTheFly());
        HttpResponse common = HttpResponse.status(200).withHeader("ETag", v.etag());
        if (config.cacheControl() != null) {
            common = common.withHeader("Cache-Control", config.cacheControl());
        }
        common = varied(common, rep.varies());
        switch (Conditionals.evaluate(request.headers(), v.etag(), v.lastModified(), v.now())) {
            case PRECONDITION_FAILED -> {
                return varied(PRECONDITION_FAILED, rep.varies());
            }
            case NOT_MODIFIED -> {
                // RFC 9110 15.4.5: a 304 carries the ETag, Cache-Control and Vary a 200 would.
                return common.withStatus(304);
            }
            case PROCEED -> {
                // go on
            }
        }
        HttpResponse ok = common.withHeader("Last-Modified", HttpDates.format(v.lastModified()))
                .withHeader("Content-Type", type)
                .withHeader("Accept-Ranges", config.maxRanges() > 0 ? "bytes" : "none")
                .withHeader("X-Content-Type-Options", "nosniff");
        if (rep.encoding() != null) {
            ok = ok.withHeader("Content-Encoding", rep.encoding());
        }
        return ranged(request, ok, rep, v, type);
    }

    /**
     * The precompressed sibling the client's {@code Accept-Encoding} allows; else the file
     * compressed on the fly, when it may be and the client takes gzip; else the file itself.
     */
    private Representation choose(HttpRequest request, SafePaths.Found file, SafePaths.RequestPath path,
                                  String type) {
        List<String> accepted = request.headers().all("Accept-Encoding");
        boolean hasSibling = false;
        if (config.precompressed()) {
            SafePaths.Found br = sibling(path, ".br");
            SafePaths.Found gzip = sibling(path, ".gz");
            hasSibling = br != null || gzip != null;
            String encoding = AcceptEncoding.choose(accepted, br != null, gzip != null);
            if (AcceptEncoding.BR.equals(encoding)) {
                return new Representation(br, encoding, true, false);
            }
            if (AcceptEncoding.GZIP.equals(encoding)) {
                return new Representation(gzip, encoding, true, false);
            }
        }
        boolean compressible = !hasSibling && config.compress() && ContentTypes.compressible(type)
                && file.attributes().size() >= MIN_COMPRESSED_BYTES;
        // A Range asks for bytes of the file: never of an encoding made on the fly.
        if (compressible && request.headers().all("Range").isEmpty()
                && AcceptEncoding.GZIP.equals(AcceptEncoding.choose(accepted, false, true))) {
            return new Representation(file, AcceptEncoding.GZIP, true, true);
        }
        return new Representation(file, null, hasSibling || compressible, false);
    }

    /** The validators of {@code attrs}' file; an encoding made on the fly has an ETag of its own. */
    private Validators validators(BasicFileAttributes attrs, boolean onTheFly) {
        long now = clock.instant().getEpochSecond();
        long lastModified = Math.min(Math.floorDiv(attrs.lastModifiedTime().toMillis(), 1000), now);
        String etag = "\"" + Long.toHexString(attrs.lastModifiedTime().to(TimeUnit.NANOSECONDS))
                + "-" + Long.toHexString(attrs.size()) + (onTheFly ? "-gzip" : "") + "\"";
        return new Validators(etag, lastModified, now);
    }

    /** {@code ok} with the whole file, or the part a {@code Range} asks for: 206, or 416. */
    private HttpResponse ranged(HttpRequest request, HttpResponse ok, Representation rep, Validators v,
                                String type) {
        Path real = rep.file().real();
        if (rep.onTheFly()) {
            return ok.withBody(new GzipFileStream(real));
        }
        long size = rep.file().attributes().size();
        List<String> range = request.headers().all("Range");
        // RFC 9110 14.2: range handling is defined for GET only; a repeated Range is invalid.
        if (!request.method().equals("GET") || config.maxRanges() == 0 || range.size() != 1
                || !ifRange(request, v.etag(), v.lastModified(), v.now())) {
            return ok.withFile(real);
        }
        List<RangeParser.ByteRange> ranges = RangeParser.parse(range.get(0), size, config.maxRanges());
        if (ranges == null) {
            return ok.withFile(real);
        }
        if (ranges.isEmpty()) {
            HttpResponse unsatisfiable = HttpResponse.text(416, "Range Not Satisfiable\n")
                    .withHeader("Content-Range", "bytes */" + size);
            return varied(unsatisfiable, rep.varies());
        }
        if (ranges.size() == 1) {
            RangeParser.ByteRange r = ranges.get(0);
            return ok.withStatus(206).withHeader("Content-Range", r.contentRange(size))
                    .withFile(real, r.first(), r.length());
        }
        return multipart(ok.withStatus(206), real, ranges, size, type);
    }

    /** {@code r}, with {@code Vary: Accept-Encoding} when the answer depends on it. */
    private static HttpResponse varied(HttpResponse r, boolean varies) {
        // RFC 9110 12.5.5: the answer depends on Accept-Encoding, whichever representation was picked.
        return varies ? r.withHeader("Vary", "Accept-Encoding") : r;
    }

    /** Whether {@code If-Range}, when present, lets the {@code Range} apply. */
    private static boolean ifRange(HttpRequest request, String etag, long lastModified, long now) {
        List<String> values = request.headers().all("If-Range");
        return values.isEmpty()
                || (values.size() == 1 && Conditionals.ifRange(values.get(0), etag, lastModified, now));
    }

    /** The readable regular file {@code path} + {@code extension}, or null. */
    private SafePaths.Found sibling(SafePaths.RequestPath path, String extension) {
        List<String> segments = new ArrayList<>(path.segments());
        int last = segments.size() - 1;
        segments.set(last, segments.get(last) + extension);
        return paths.findReadableFile(new SafePaths.RequestPath(segments, false));
    }

    /**
     * RFC 9110 14.6: each range as a part with its own {@code Content-Type} and
     * {@code Content-Range}, between lines of a random boundary that cannot be guessed in advance.
     */
    private static HttpResponse multipart(HttpResponse partial, Path file, List<RangeParser.ByteRange> ranges,
                                          long size, String type) {
        byte[] random = new byte[16];
        BOUNDARIES.nextBytes(random);
        String boundary = "sluice-" + HexFormat.of().formatHex(random);
        List<BodySegment> segments = new ArrayList<>(2 * ranges.size() + 1);
        for (int i = 0; i < ranges.size(); i++) {
            RangeParser.ByteRange r = ranges.get(i);
            String head = (i == 0 ? "" : "\r\n") + "--" + boundary + "\r\n"
                    + "Content-Type: " + type + "\r\n"
                    + "Content-Range: " + r.contentRange(size) + "\r\n\r\n";
            segments.add(new BodySegment.Bytes(head.getBytes(StandardCharsets.US_ASCII)));
            segments.add(new BodySegment.FileRegion(file, r.first(), r.length()));
        }
        segments.add(new BodySegment.Bytes(("\r\n--" + boundary + "--\r\n").getBytes(StandardCharsets.US_ASCII)));
        return partial.withHeader("Content-Type", "multipart/byteranges; boundary=" + boundary)
                .withSegments(segments);
    }
}
