package dev.sluice.http;

import java.util.List;

/**
 * Request targets that try to read {@code secret.txt} (or {@code outside/secret.txt}, or a system
 * file) from beside the root, or a hidden file inside it. Drawn from the usual path-traversal
 * cheat sheets (OWASP, PayloadsAllTheThings, the dotdotpwn patterns) and from the encodings
 * servers have got wrong before: percent-encoded and double-encoded dots and separators, overlong
 * UTF-8, IIS %u escapes, backslashes, NUL, ";" path parameters (Tomcat), doubled slashes, and
 * symbolic links. Some are refused by the codec before any handler sees them; every one is also
 * handed to the handler directly.
 */
final class TraversalCorpus {
    private TraversalCorpus() {
    }

    static final List<String> TARGETS = List.of(
            // Plain and partly encoded dot-dot.
            "/../secret.txt",
            "/../../../../../../../../secret.txt",
            "/docs/../../secret.txt",
            "/docs/sub/../../../secret.txt",
            "/./../secret.txt",
            "/%2e%2e/secret.txt",
            "/%2E%2E/secret.txt",
            "/.%2e/secret.txt",
            "/%2e./secret.txt",
            "/%2e%2e%2fsecret.txt",
            "/..%2fsecret.txt",
            "/..%2Fsecret.txt",
            "/docs/%2e%2e/%2e%2e/secret.txt",
            "/..%2f..%2f..%2f..%2fetc%2fpasswd",
            "/../../../../../../etc/passwd",
            "/%2e%2e/%2e%2e/%2e%2e/%2e%2e/etc/passwd",
            // Double encoding.
            "/%252e%252e/secret.txt",
            "/%252e%252e%252fsecret.txt",
            "/..%252fsecret.txt",
            "/%252e%252e%255csecret.txt",
            "/..%255c..%255csecret.txt",
            "/%25%32%65%25%32%65/secret.txt",
            // Backslashes, raw and encoded.
            "/..\\secret.txt",
            "/\\..\\secret.txt",
            "/..%5csecret.txt",
            "/..%5Csecret.txt",
            "/%2e%2e%5csecret.txt",
            "/%5c..%5csecret.txt",
            "/..%5c..%5c..%5cetc/passwd",
            "/....\\\\secret.txt",
            // Overlong and otherwise invalid UTF-8, IIS %u, look-alike characters.
            "/%c0%ae%c0%ae/secret.txt",
            "/%c0%ae%c0%ae%c0%afsecret.txt",
            "/%e0%80%ae%e0%80%ae/secret.txt",
            "/%f0%80%80%ae%f0%80%80%ae/secret.txt",
            "/%c0%2e%c0%2e/secret.txt",
            "/..%c0%afsecret.txt",
            "/..%c1%9csecret.txt",
            "/..%c0%af..%c0%afetc/passwd",
            "/%uff0e%uff0e/secret.txt",
            "/..%u2215secret.txt",
            "/%ef%bc%8e%ef%bc%8e/secret.txt",
            "/..%ef%bc%8fsecret.txt",
            "/..%e2%88%95secret.txt",
            // NUL, controls and other separators.
            "/secret.txt%00.html",
            "/..%00/secret.txt",
            "/%00../secret.txt",
            "/..%0d%0a/secret.txt",
            "/..%09/secret.txt",
            "/.. /secret.txt",
            "/..%20/secret.txt",
            // Doubled slashes and odd dot runs.
            "//../secret.txt",
            "//secret.txt",
            "///secret.txt",
            "/.//..//secret.txt",
            "/docs//../../secret.txt",
            "/....//secret.txt",
            "/..../secret.txt",
            "/...//...//secret.txt",
            // Path parameters, queries, fragments.
            "/..;/secret.txt",
            "/docs/..;/..;/secret.txt",
            "/%2e%2e;/secret.txt",
            "/..%3bsecret.txt",
            "/..?/secret.txt",
            "/..%3f/secret.txt",
            "/..#/secret.txt",
            "/..%23/secret.txt",
            // Absolute paths and Windows forms.
            "/etc/passwd",
            "/" + "%2fetc%2fpasswd",
            "/C:/Windows/win.ini",
            "/c:%5cwindows%5cwin.ini",
            "/file:///etc/passwd",
            // Symbolic links that lead out, and hidden files.
            "/link-out",
            "/dirlink-out/secret.txt",
            "/dirlink-out/",
            "/docs/../link-out",
            "/link-out/",
            "/.env",
            "/.git/config",
            "/.git/",
            "/%2eenv",
            "/%2egit/config",
            "/link-hidden",
            "/.hidden-dir/x.txt",
            "/.hidden-dir/");

    /** What no answer may contain: the sentinel beside the root, hidden files, system files. */
    static final List<String> FORBIDDEN = List.of(SiteFixture.SENTINEL, SiteFixture.HIDDEN, "root:x:0:0",
            "[fonts]", "secret.txt");
}
