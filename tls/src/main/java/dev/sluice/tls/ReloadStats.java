package dev.sluice.tls;

import java.time.Instant;
import java.util.List;
import java.util.Objects;

/**
 * What reloading has done so far, for logs and metrics.
 *
 * @param successes reloads that put new material in service (the initial load not counted)
 * @param failures reloads that failed, leaving the previous material in service
 * @param lastError the reason of the latest failure, or null when the latest reload succeeded or
 *     there was none
 * @param loadedAt when the material in service was loaded
 * @param certificates the certificates in service, one per key pair, in configuration order
 */
public record ReloadStats(long successes, long failures, String lastError, Instant loadedAt,
                          List<CertificateInfo> certificates) {
    /** @throws NullPointerException if {@code loadedAt} or {@code certificates} is null */
    public ReloadStats {
        Objects.requireNonNull(loadedAt, "loadedAt");
        certificates = List.copyOf(certificates);
    }
}
