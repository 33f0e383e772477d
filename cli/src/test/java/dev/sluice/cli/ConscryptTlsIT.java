package dev.sluice.cli;

import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link TlsIT} with {@code --tls-provider conscrypt}: every command and client check again with
 * BoringSSL making the engines (curl, openssl s_client, the JDK's HttpClient, wrk under reloads).
 */
class ConscryptTlsIT extends TlsIT {
    @Override
    List<String> providerFlags() {
        return List.of("--tls-provider", "conscrypt");
    }

    @Test
    void theStartupReportNamesTheProvider() throws Exception {
        try (SluiceProcess p = serve("--tls-self-signed")) {
            p.awaitStdout(Pattern.compile("tls provider: conscrypt \\(Conscrypt\\)"), java.time.Duration.ofSeconds(30));
        }
    }
}
