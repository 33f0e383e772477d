package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** {@code sluice serve --trust-forwarded-headers}: the access log shows the client a trusted proxy forwards. */
@Timeout(120)
class ForwardedHeadersIT {
    private static final Duration WAIT = Duration.ofSeconds(30);
    private static final String FORWARDED = "X-Forwarded-For: 203.0.113.9\r\n";
    private static final Pattern LOG_LINE = Pattern.compile("(\\S+) - - \\[[^]]+] \"GET /a\\.txt HTTP/1\\.1\" 200 2");

    /** The {@code %h} of the access log line for a request with {@link #FORWARDED}, from 127.0.0.1. */
    private static String loggedClient(Path site, String... flags) {
        List<String> args = new ArrayList<>(List.of("serve", "--host", "127.0.0.1", "--port", "0",
                "--access-log", "-", "--access-log-format", "common"));
        args.addAll(List.of(flags));
        args.add(site.toString());
        try (SluiceProcess p = SluiceProcess.jar(args.toArray(String[]::new))) {
            int port = Integer.parseInt(p.awaitStdout(AdminIT.LISTENING, WAIT).group(1));
            assertThat(RawHttp.get(port, "/a.txt", FORWARDED).status()).as(p::transcript).isEqualTo(200);
            return p.awaitStdout(LOG_LINE, WAIT).group(1);
        }
    }

    @Test
    void theStartupReportSaysWhoseFieldsAreBelieved(@TempDir Path site) {
        try (SluiceProcess p = SluiceProcess.jar("serve", "--host", "127.0.0.1", "--port", "0",
                "--trust-forwarded-headers", "--trusted-proxies", "10.0.1.2/32,fd00::/8", site.toString())) {
            p.awaitStdout(AdminIT.LISTENING, WAIT);
            assertThat(p.stdout()).as(p::transcript)
                    .contains("forwarded-headers: believed from trusted-proxies=10.0.1.2/32,fd00::/8");
        }
        try (SluiceProcess p = SluiceProcess.jar("serve", "--host", "127.0.0.1", "--port", "0", site.toString())) {
            p.awaitStdout(AdminIT.LISTENING, WAIT);
            assertThat(p.stdout()).as(p::transcript).noneMatch(l -> l.startsWith("forwarded-headers:"));
        }
    }

    @Test
    void logsTheForwardedClientOnlyWhenTheProxyIsTrusted(@TempDir Path site) throws Exception {
        Files.writeString(site.resolve("a.txt"), "a\n");
        assertThat(loggedClient(site, "--trust-forwarded-headers", "--trusted-proxies", "127.0.0.1/32"))
                .as("from a trusted proxy").isEqualTo("203.0.113.9");
        assertThat(loggedClient(site)).as("without the flag").isEqualTo("127.0.0.1");
        assertThat(loggedClient(site, "--trust-forwarded-headers", "--trusted-proxies", "10.0.0.0/8"))
                .as("from a peer that is not trusted").isEqualTo("127.0.0.1");
    }
}
