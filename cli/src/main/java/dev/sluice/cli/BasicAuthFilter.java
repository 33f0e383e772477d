package dev.sluice.cli;

import dev.sluice.http.HttpFilter;
import dev.sluice.http.HttpHandler;
import dev.sluice.http.HttpRequest;
import dev.sluice.http.HttpResponse;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Arrays;
import java.util.Base64;
import java.util.HexFormat;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;

/**
 * HTTP Basic authentication (RFC 7617) against the bcrypt hashes of an {@link Htpasswd} file:
 * {@code serve --basic-auth FILE}.
 *
 * <ul>
 *   <li>A request without valid credentials gets {@code 401} with
 *       {@code WWW-Authenticate: Basic realm="REALM", charset="UTF-8"} and does not reach the
 *       handler. Malformed credentials (not Base64, no colon, not UTF-8) are invalid ones, never
 *       a {@code 500}.</li>
 *   <li>The password is checked by BouncyCastle's {@code OpenBSDBCrypt.checkPassword}, which
 *       compares the whole hash without stopping at the first difference. A user who is not in
 *       the file costs the same: the password is checked against a hash of the same cost made at
 *       start, so the time of a 401 does not tell whether the name exists.</li>
 *   <li>bcrypt is slow by design (cost 10: tens of milliseconds of CPU), and a browser sends the
 *       same credentials with every request of a page. So a pair that matched is remembered, as a
 *       keyed HMAC-SHA256 of name and password (the key is random and lives only in this
 *       process), for up to {@value #REMEMBERED} pairs; failures are never remembered.</li>
 * </ul>
 *
 * <p>The filter may block (bcrypt is CPU work), so on {@code event-loop} it runs off the loop.
 */
final class BasicAuthFilter implements HttpFilter {
    /** The realm browsers show when they ask for a name and password. */
    static final String DEFAULT_REALM = "sluice";
    /** Matched pairs remembered; past this the memory is emptied and refilled. */
    static final int REMEMBERED = 1024;

    private final Map<String, String> users;
    private final String challenge;
    private final String decoy;
    private final byte[] key = new byte[32];
    private final Map<String, Boolean> matched = new ConcurrentHashMap<>();

    /**
     * Checks users and realm, and makes the decoy hash (one bcrypt run at the file's first cost).
     *
     * @throws IllegalArgumentException for a realm {@link #checkRealm} refuses
     */
    BasicAuthFilter(Htpasswd file, String realm) {
        checkRealm(realm);
        this.users = file.users();
        this.challenge = "Basic realm=\"" + realm + "\", charset=\"UTF-8\"";
        SecureRandom random = new SecureRandom();
        random.nextBytes(key);
        byte[] salt = new byte[16];
        random.nextBytes(salt);
        String first = users.values().iterator().next();
        int cost = Integer.parseInt(first.substring(4, 6));
        char[] nobody = HexFormat.of().formatHex(salt).toCharArray();
        this.decoy = OpenBSDBCrypt.generate("2y", nobody, salt, cost);
    }

    /**
     * Checks that {@code realm} fits a quoted string as is.
     *
     * @throws IllegalArgumentException ({@code basic-auth-realm must ...}) when it is empty or has
     *     a quote, a backslash or a character outside printable ASCII
     */
    static void checkRealm(String realm) {
        if (realm.isEmpty() || realm.chars().anyMatch(c -> c < 0x20 || c == '"' || c == '\\' || c > 0x7E)) {
            throw new IllegalArgumentException("basic-auth-realm must be printable ASCII without "
                    + "quotes or backslashes");
        }
    }

    @Override
    public HttpResponse filter(HttpRequest request, HttpHandler next) throws Exception {
        return allowed(request.headers().get("Authorization")) ? next.handle(request) : challenge();
    }

    /** The {@code 401} with the challenge. */
    HttpResponse challenge() {
        return HttpResponse.text(401, "401 Unauthorized\n").withHeader("WWW-Authenticate", challenge);
    }

    /** Whether the {@code Authorization} field's value names a user of the file with its password. */
    boolean allowed(String authorization) {
        char[] pair = credentials(authorization);
        if (pair == null) {
            return false;
        }
        try {
            int colon = indexOf(pair, ':');
            if (colon < 0) {
                return false;
            }
            String name = new String(pair, 0, colon);
            char[] password = Arrays.copyOfRange(pair, colon + 1, pair.length);
            String memo = memo(pair);
            if (matched.containsKey(memo)) {
                return true;
            }
            String hash = users.get(name);
            boolean ok = OpenBSDBCrypt.checkPassword(hash == null ? decoy : hash, password) && hash != null;
            Arrays.fill(password, '\0');
            if (ok) {
                if (matched.size() >= REMEMBERED) {
                    matched.clear();
                }
                matched.put(memo, Boolean.TRUE);
            }
            return ok;
        } finally {
            Arrays.fill(pair, '\0');
        }
    }

    /** {@code name:password} from {@code Basic BASE64}, or null when it is not that. */
    private static char[] credentials(String authorization) {
        if (authorization == null || authorization.length() < 6
                || !authorization.regionMatches(true, 0, "Basic ", 0, 6)) {
            return null;
        }
        byte[] raw;
        try {
            raw = Base64.getDecoder().decode(authorization.substring(6).strip());
        } catch (IllegalArgumentException e) {
            return null;
        }
        try {
            CharBuffer chars = StandardCharsets.UTF_8.newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(raw));
            char[] pair = new char[chars.remaining()];
            chars.get(pair);
            return pair;
        } catch (CharacterCodingException e) {
            return null;
        } finally {
            Arrays.fill(raw, (byte) 0);
        }
    }

    private static int indexOf(char[] chars, char c) {
        for (int i = 0; i < chars.length; i++) {
            if (chars[i] == c) {
                return i;
            }
        }
        return -1;
    }

    /** The keyed hash a matched pair is remembered by. */
    private String memo(char[] pair) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(key, "HmacSHA256"));
            ByteBuffer bytes = StandardCharsets.UTF_8.encode(CharBuffer.wrap(pair));
            mac.update(bytes);
            if (bytes.hasArray()) {
                Arrays.fill(bytes.array(), (byte) 0);
            }
            return HexFormat.of().formatHex(mac.doFinal());
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is missing from this JDK", e);
        }
    }
}
