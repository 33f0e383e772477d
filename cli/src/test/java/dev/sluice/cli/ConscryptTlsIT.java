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
    void theStartupReportNamesTheProviderAndWarnsWhenDescriptorsCannotHoldMaxConnections() throws Exception {
        // This JVM's open-file limit is the child's: max-connections at the limit needs three times it.
        long fds = ((com.sun.management.UnixOperatingSystemMXBean)
                java.lang.management.ManagementFactory.getOperatingSystemMXBean()).getMaxFileDescriptorCount();
        try (SluiceProcess p = serve("--tls-self-signed", "--max-connections", Long.toString(Math.min(fds, 1_000_000)))) {
            p.awaitStdout(Pattern.compile("tls provider: conscrypt \\(Conscrypt\\)"), java.time.Duration.ofSeconds(30));
            p.awaitStdout(Pattern.compile("warning: with --tls-provider conscrypt each TLS connection holds 3 file "
                    + "descriptors.*"), java.time.Duration.ofSeconds(30));
        }
    }
}
