package dev.sluice.cli;

import java.time.Duration;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * {@link TlsIT} with {@code --tls-provider tcnative}: every command and client check again with
 * BoringSSL, through Netty, making the engines (curl, openssl s_client, the JDK's HttpClient, wrk
 * under reloads).
 */
class TcnativeTlsIT extends TlsIT {
    @Override
    List<String> providerFlags() {
        return List.of("--tls-provider", "tcnative");
    }

    @Test
    void theStartupReportNamesTheProvider() throws Exception {
        try (SluiceProcess p = serve("--tls-self-signed")) {
            p.awaitStdout(Pattern.compile("tls provider: tcnative \\(Tcnative\\)"), Duration.ofSeconds(30));
        }
    }
}
