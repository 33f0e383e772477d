package dev.sluice.http;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.InvalidPathException;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.List;

/**
 * Maps request paths to files below a root, and nowhere else. Two steps, both required:
 *
 * <ol>
 *   <li>{@link #parse}: the raw path (never the decoded one, where {@code %2F} has become "/")
 *       is split on "/", then each segment is percent-decoded once, as strict UTF-8. Refused
 *       outright (400, whatever the file system holds): a path not starting with "/", an empty
 *       segment ({@code //}) other than a trailing one, a non-ASCII raw character, malformed
 *       UTF-8 including overlong forms ({@code %c0%ae}), and decoded segments that are "." or
 *       "..", or hold "/", "\", NUL or another control character. Decoding once means
 *       {@code %252e} is the literal name {@code %2e}, not a dot.</li>
 *   <li>{@link #find}: the segments are resolved one by one below the real root (each must stay
 *       a single name on this file system), then the result's real path (every symbolic link
 *       resolved) must lie below the real root unless links may lead out, and no segment of the
 *       request, nor of the real path below the root, may be hidden (start with ".") unless
 *       hidden files are shown. Anything else is "not found", so a refusal looks exactly like a
 *       missing file.</li>
 * </ol>
 *
 * <p>A symbolic link swapped in between the check and the open could still lead out; only
 * someone who can already write below the root can do that. Immutable and thread-safe.
 */
final class SafePaths {

    /** A request path: its decoded segments and whether it ended in "/". */
    record RequestPath(List<String> segments, boolean directory) {
        /** This path with one more segment. */
        RequestPath child(String name, boolean directory) {
            List<String> more = new ArrayList<>(segments);
            more.add(name);
            return new RequestPath(List.copyOf(more), directory);
        }
    }

    /** A file found below the root: its real path and attributes (links followed). */
    record Found(Path real, BasicFileAttributes attributes) {
    }

    private final Path realRoot;
    private final boolean showHidden;
    private final boolean followSymlinks;
    /**
     * Whether a name's {@code lstat} tells every link apart, so {@link #attributesIfNoLinks} may
     * skip the real path. Not on Windows: a junction is no symbolic link to lstat, and a short
     * name hides a leading dot.
     */
    private final boolean posix;

    SafePaths(Path realRoot, boolean showHidden, boolean followSymlinks) {
        this.realRoot = realRoot;
        this.showHidden = showHidden;
        this.followSymlinks = followSymlinks;
        this.posix = realRoot.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    /**
     * A file name relative to the root as a configuration gives it ({@code errors/404.html}, not
     * percent-encoded), or null when a segment is empty, {@code .}, {@code ..} or holds a control
     * character or a backslash.
     */
    static RequestPath relative(String name) {
        List<String> segments = List.of(name.split("/", -1));
        for (String s : segments) {
            if (s.isEmpty() || s.equals(".") || s.equals("..")
                    || s.chars().anyMatch(c -> c < 0x20 || c == 0x7F || c == '\\')) {
                return null;
            }
        }
        return new RequestPath(segments, false);
    }

    /** The segments of {@code rawPath}, or null if it is refused (see the class comment). */
    static RequestPath parse(String rawPath) {
        if (!rawPath.startsWith("/")) {
            return null;
        }
        String[] raw = rawPath.substring(1).split("/", -1);
        List<String> segments = new ArrayList<>(raw.length);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i].isEmpty()) {
                if (i == raw.length - 1) {
                    break;
                }
                return null;
            }
            String s = decode(raw[i]);
            if (s == null || s.equals(".") || s.equals("..")) {
                return null;
            }
            for (int k = 0; k < s.length(); k++) {
                char c = s.charAt(k);
                if (c < 0x20 || c == 0x7F || c == '/' || c == '\\') {
                    return null;
                }
            }
            segments.add(s);
        }
        return new RequestPath(List.copyOf(segments), rawPath.endsWith("/"));
    }

    /** {@code raw} percent-decoded as strict UTF-8; null for a non-ASCII or malformed segment. */
    private static String decode(String raw) {
        byte[] bytes = new byte[raw.length()];
        int n = 0;
        for (int i = 0; i < raw.length(); i++) {
            if (raw.charAt(i) >= 0x80) {
                return null;
            }
        }
        for (int i = 0; i < raw.length(); i++) {
            char c = raw.charAt(i);
            if (c == '%') {
                int hi = i + 2 < raw.length() ? Grammar.hex((byte) raw.charAt(i + 1)) : -1;
                int lo = hi >= 0 ? Grammar.hex((byte) raw.charAt(i + 2)) : -1;
                if (lo < 0) {
                    return null;
                }
                bytes[n++] = (byte) (hi << 4 | lo);
                i += 2;
            } else {
                bytes[n++] = (byte) c;
            }
        }
        try {
            return StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes, 0, n)).toString();
        } catch (CharacterCodingException e) {
            return null;
        }
    }

    /** Whether a file or directory name is hidden. */
    static boolean hidden(String name) {
        return name.startsWith(".");
    }

    /** {@link #find}, kept only when it is a regular file this process can read; else null. */
    Found findReadableFile(RequestPath path) {
        Found f = find(path);
        return f != null && f.attributes().isRegularFile() && Files.isReadable(f.real()) ? f : null;
    }

    /** The file {@code path} names below the root, or null if it is missing or refused. */
    Found find(RequestPath path) {
        Path p = realRoot;
        try {
            for (String s : path.segments()) {
                if (!showHidden && hidden(s)) {
                    return null;
                }
                Path next = p.resolve(s);
                // On any file system, a segment must add exactly one name (no drive, no root).
                if (!p.equals(next.getParent()) || !s.equals(next.getFileName().toString())) {
                    return null;
                }
                p = next;
            }
        } catch (InvalidPathException e) {
            return null;
        }
        return check(p);
    }

    /**
     * {@code p} (below the real root by its names) if it exists and its real path passes the
     * symbolic-link and hidden rules; else null.
     */
    Found check(Path p) {
        try {
            BasicFileAttributes linkFree = attributesIfNoLinks(p);
            Path real = linkFree != null ? p : p.toRealPath();
            if (!real.startsWith(realRoot)) {
                if (!followSymlinks) {
                    return null;
                }
            } else if (!showHidden) {
                for (Path name : realRoot.relativize(real)) {
                    if (hidden(name.toString())) {
                        return null;
                    }
                }
            }
            return new Found(real, linkFree != null ? linkFree
                    : Files.readAttributes(real, BasicFileAttributes.class));
        } catch (IOException | InvalidPathException | SecurityException e) {
            return null;
        }
    }

    /**
     * The attributes of {@code p} when no name from the real root down to it is a symbolic link,
     * so that {@code p} is its own real path; null when one is a link, or when {@code p} is not
     * below the root by its names (a directory reached through a link). One {@code lstat} per name
     * below the root, where {@link Path#toRealPath} reads every component of the absolute path
     * as a link: on a 1 MiB file that was a tenth of the server's CPU.
     *
     * @throws IOException when a name is missing
     */
    private BasicFileAttributes attributesIfNoLinks(Path p) throws IOException {
        if (!posix || !p.startsWith(realRoot)) {
            return null;
        }
        BasicFileAttributes a = null;
        Path q = realRoot;
        for (int i = realRoot.getNameCount(); i < p.getNameCount(); i++) {
            q = q.resolve(p.getName(i));
            a = Files.readAttributes(q, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
            if (a.isSymbolicLink()) {
                return null;
            }
        }
        return a != null ? a : Files.readAttributes(realRoot, BasicFileAttributes.class);
    }
}
