package dev.sluice.cli;

import java.io.IOException;
import java.nio.charset.MalformedInputException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The users and bcrypt hashes of an htpasswd file, as Apache's {@code htpasswd -B} writes them:
 * one {@code NAME:HASH} per line, blank lines and lines starting with {@code #} skipped. Only
 * bcrypt ({@code $2a$}, {@code $2b$}, {@code $2y$}) is taken: the older htpasswd hashes (MD5
 * {@code $apr1$}, SHA-1 {@code {SHA}}, crypt, plain text) are fast to brute-force, so a file
 * with one is refused, naming its line, rather than half-read.
 *
 * @param users name to hash, in the file's order
 */
record Htpasswd(Map<String, String> users) {
    /** A bcrypt hash in the modular crypt format: version, two-digit cost, 53 characters. */
    private static final Pattern BCRYPT = Pattern.compile("\\$2[aby]\\$(0[4-9]|[12][0-9]|3[01])\\$[./A-Za-z0-9]{53}");

    /** How every refusal starts: the flag, as {@link FlagNames} renames it, and what it needs. */
    private static final String MUST = "basic-auth must be an htpasswd file of bcrypt hashes; ";

    Htpasswd {
        users = Map.copyOf(users);
    }

    /**
     * Reads {@code file}.
     *
     * @throws IllegalArgumentException ({@code basic-auth must ...}) when it cannot be read, has no user,
     *     or has a line that is not {@code NAME:BCRYPT-HASH} (the message names the line, never
     *     its hash)
     */
    static Htpasswd read(Path file) {
        String bad = MUST + file;
        List<String> lines;
        try {
            lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        } catch (NoSuchFileException e) {
            throw new IllegalArgumentException(bad + " does not exist", e);
        } catch (MalformedInputException e) {
            throw new IllegalArgumentException(bad + " is not UTF-8 text", e);
        } catch (IOException e) {
            throw new IllegalArgumentException(bad + " cannot be read: " + e, e);
        }
        return parse(lines, file.toString());
    }

    /** The users of {@code lines}; {@code source} names them in errors. */
    static Htpasswd parse(List<String> lines, String source) {
        Map<String, String> users = new LinkedHashMap<>();
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i).strip();
            if (line.isEmpty() || line.startsWith("#")) {
                continue;
            }
            String where = MUST + source + " line " + (i + 1);
            int colon = line.indexOf(':');
            if (colon <= 0) {
                throw new IllegalArgumentException(where + " is not NAME:HASH");
            }
            String name = line.substring(0, colon);
            if (!BCRYPT.matcher(line.substring(colon + 1)).matches()) {
                throw new IllegalArgumentException(where + ": the hash of user '" + name
                        + "' is not bcrypt; make it with 'htpasswd -B'");
            }
            if (users.putIfAbsent(name, line.substring(colon + 1)) != null) {
                throw new IllegalArgumentException(where + ": user '" + name + "' is there twice");
            }
        }
        if (users.isEmpty()) {
            throw new IllegalArgumentException(MUST + source + " has no user");
        }
        return new Htpasswd(users);
    }
}
