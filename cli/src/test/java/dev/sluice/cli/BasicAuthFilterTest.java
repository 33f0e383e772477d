package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.sluice.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import org.bouncycastle.crypto.generators.OpenBSDBCrypt;
import org.junit.jupiter.api.Test;

/** HTTP Basic against bcrypt hashes: who gets in, what is refused, and the files refused at start. */
class BasicAuthFilterTest {
    private static final byte[] SALT = "sixteen bytes!!!".getBytes(StandardCharsets.US_ASCII);
    // Cost 4, the least bcrypt allows: the tests check logic, not hardness.
    private static final String ALICE = OpenBSDBCrypt.generate("2y", "wonder land".toCharArray(), SALT, 4);
    private static final String BOB = OpenBSDBCrypt.generate("2b", "pässwörd:with:colons".toCharArray(), SALT, 4);
    private final BasicAuthFilter auth = new BasicAuthFilter(
            Htpasswd.parse(List.of("# users", "", "alice:" + ALICE, "bob:" + BOB), "test"), "files");

    private static final String MUST = "basic-auth must be an htpasswd file of bcrypt hashes; ";

    private static String basic(String pair) {
        return "Basic " + Base64.getEncoder().encodeToString(pair.getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void letsInAUserWithTheRightPassword() {
        assertThat(auth.allowed(basic("alice:wonder land"))).isTrue();
        assertThat(auth.allowed(basic("bob:pässwörd:with:colons"))).as("UTF-8, colons after the first").isTrue();
        assertThat(auth.allowed("basic " + basic("alice:wonder land").substring(6))).as("scheme in any case").isTrue();
        assertThat(auth.allowed(basic("alice:wonder land"))).as("a second time, remembered").isTrue();
    }

    @Test
    void takesAHashMadeByApacheHtpasswd() {
        // htpasswd -B -b -c users alice 'p@ss wörd' (apache2-utils 2.4, a UTF-8 terminal)
        Htpasswd file = Htpasswd.parse(List.of("alice:$2y$05$2ra57eBSnrKTdJiyURhHmeXC8uRSEpuQ8ioP860BfCJyI2WqWjvJe"), "f");
        BasicAuthFilter apache = new BasicAuthFilter(file, "r");

        assertThat(apache.allowed(basic("alice:p@ss wörd"))).isTrue();
        assertThat(apache.allowed(basic("alice:p@ss word"))).isFalse();
    }

    @Test
    void refusesWrongPasswordsUnknownUsersAndMalformedCredentials() {
        assertThat(auth.allowed(basic("alice:wonder lan"))).isFalse();
        assertThat(auth.allowed(basic("alice:wonder land "))).isFalse();
        assertThat(auth.allowed(basic("Alice:wonder land"))).as("names are case-sensitive").isFalse();
        assertThat(auth.allowed(basic("carol:wonder land"))).as("not in the file").isFalse();
        assertThat(auth.allowed(basic("bob:" + ALICE))).as("the hash is not the password").isFalse();
        assertThat(auth.allowed(null)).isFalse();
        assertThat(auth.allowed("")).isFalse();
        assertThat(auth.allowed("Bearer abc")).isFalse();
        assertThat(auth.allowed("Basic !!!not-base64")).isFalse();
        assertThat(auth.allowed(basic("no colon at all"))).isFalse();
        assertThat(auth.allowed("Basic " + Base64.getEncoder().encodeToString(new byte[] {'a', ':', (byte) 0xFF})))
                .as("not UTF-8").isFalse();
    }

    @Test
    void aWrongPasswordIsNotRememberedAfterARightOne() {
        assertThat(auth.allowed(basic("alice:wonder land"))).isTrue();
        assertThat(auth.allowed(basic("alice:wonder land!"))).isFalse();
    }

    @Test
    void challengesWithTheRealmAndUtf8() {
        HttpResponse r = auth.challenge();

        assertThat(r.status()).isEqualTo(401);
        assertThat(r.header("WWW-Authenticate")).isEqualTo("Basic realm=\"files\", charset=\"UTF-8\"");
    }

    @Test
    void refusesARealmThatWouldBreakTheHeader() {
        Htpasswd users = Htpasswd.parse(List.of("alice:" + ALICE), "test");
        assertThatThrownBy(() -> new BasicAuthFilter(users, "a\"b")).hasMessageStartingWith("basic-auth-realm must");
        assertThatThrownBy(() -> new BasicAuthFilter(users, "")).hasMessageStartingWith("basic-auth-realm must");
    }

    @Test
    void refusesFilesWithHashesThatAreNotBcrypt() {
        String md5 = "bob:$apr1$abcdefgh$0123456789012345678901";
        assertThatThrownBy(() -> Htpasswd.parse(List.of("alice:" + ALICE, md5), "f"))
                .hasMessage(MUST + "f line 2: the hash of user 'bob' is not bcrypt; "
                        + "make it with 'htpasswd -B'")
                .hasMessageNotContaining("$apr1$");
        assertThatThrownBy(() -> Htpasswd.parse(List.of("bob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g="), "f"))
                .hasMessageContaining("line 1: the hash of user 'bob' is not bcrypt");
        assertThatThrownBy(() -> Htpasswd.parse(List.of("bob:plain"), "f")).hasMessageContaining("not bcrypt");
        assertThatThrownBy(() -> Htpasswd.parse(List.of("no colon"), "f"))
                .hasMessage(MUST + "f line 1 is not NAME:HASH");
        assertThatThrownBy(() -> Htpasswd.parse(List.of(":" + ALICE), "f")).hasMessageContaining("is not NAME:HASH");
        assertThatThrownBy(() -> Htpasswd.parse(List.of("a:" + ALICE, "a:" + BOB), "f"))
                .hasMessage(MUST + "f line 2: user 'a' is there twice");
        assertThatThrownBy(() -> Htpasswd.parse(List.of("# nobody"), "f"))
                .hasMessage(MUST + "f has no user");
    }

    @Test
    void readsHashesOfEveryBcryptVersion() {
        String a = OpenBSDBCrypt.generate("2a", "x".toCharArray(), SALT, 5);
        Htpasswd file = Htpasswd.parse(List.of("  u:" + a + "  ", "v:" + ALICE, "w:" + BOB), "f");

        assertThat(file.users()).containsOnlyKeys("u", "v", "w");
        assertThat(new BasicAuthFilter(file, "r").allowed(basic("u:x"))).isTrue();
    }
}
