package dev.sluice.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CertificateReloaderTest {
    private static final Clock CLOCK = Clock.fixed(Instant.parse("2026-06-01T00:00:00Z"), ZoneOffset.UTC);

    @TempDir
    Path dir;
    private KeySource.Pem files;
    private CertificateReloader reloader;

    @BeforeEach
    void load() throws Exception {
        files = writePair(1);
        reloader = CertificateReloader.load(TlsConfig.of(List.of(files)), CLOCK);
    }

    /** Writes a new EC pair with {@code serial} over the same two files. */
    private KeySource.Pem writePair(long serial) throws Exception {
        KeyPair pair = TestPki.ec();
        return TestPki.pemPair(dir, "server", pair, TestPki.certificate(pair, serial, "DNS:a.example"));
    }

    private long handshakeSerial(SSLEngine server) throws Exception {
        SSLEngine client = Handshakes.client("a.example");
        Handshakes.run(client, server);
        return Handshakes.serverCertificate(client).getSerialNumber().longValue();
    }

    @Test
    void newHandshakesGetTheNewPairWhileEnginesMadeBeforeKeepTheOld() throws Exception {
        SSLEngine established = reloader.newEngine();
        assertThat(handshakeSerial(established)).isEqualTo(1);
        SSLEngine madeBefore = reloader.newEngine();

        writePair(2);
        assertThat(reloader.reload()).as("reload").isTrue();

        assertThat(((java.security.cert.X509Certificate) established.getSession().getLocalCertificates()[0])
                .getSerialNumber().longValue()).as("established session").isEqualTo(1);
        assertThat(handshakeSerial(madeBefore)).as("engine made before the reload").isEqualTo(1);
        assertThat(handshakeSerial(reloader.newEngine())).as("new engine").isEqualTo(2);
        assertThat(reloader.stats().successes()).isEqualTo(1);
        assertThat(reloader.certificates().get(0).serial()).isEqualTo("2");
    }

    @Test
    void failedReloadKeepsTheOldPairInServiceAndSaysWhy() throws Exception {
        Files.copy(writePairElsewhere(), files.key(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        writeCertificateOnly(3);

        assertThat(reloader.reload()).as("reload").isFalse();

        ReloadStats stats = reloader.stats();
        assertThat(stats.failures()).isEqualTo(1);
        assertThat(stats.successes()).isZero();
        assertThat(stats.lastError()).startsWith(files.certificateChain()
                + ": the private key does not match the certificate");
        assertThat(handshakeSerial(reloader.newEngine())).isEqualTo(1);
        assertThat(stats.certificates().get(0).serial()).isEqualTo("1");
    }

    @Test
    void failedReloadOfAMissingFileKeepsTheOldPair() throws Exception {
        Files.delete(files.key());
        assertThat(reloader.reload()).isFalse();
        assertThat(reloader.stats().lastError()).isEqualTo(files.key() + ": file not found");
        assertThat(handshakeSerial(reloader.newEngine())).isEqualTo(1);
    }

    @Test
    void successAfterFailureClearsTheLastErrorAndTellsListeners() throws Exception {
        List<ReloadStats> seen = new CopyOnWriteArrayList<>();
        reloader.onReload(seen::add);
        Files.delete(files.key());
        reloader.reload();
        writePair(4);
        reloader.reload();

        assertThat(seen).extracting(ReloadStats::failures, ReloadStats::successes)
                .containsExactly(org.assertj.core.groups.Tuple.tuple(1L, 0L), org.assertj.core.groups.Tuple.tuple(1L, 1L));
        assertThat(seen.get(1).lastError()).isNull();
        assertThat(seen.get(1).certificates().get(0).serial()).isEqualTo("4");
    }

    @Test
    void watchesEveryFileOfEveryPair() {
        assertThat(reloader.files()).containsExactly(files.certificateChain(), files.key());
    }

    private Path writePairElsewhere() throws Exception {
        Path other = dir.resolve("other");
        Files.createDirectories(other);
        KeyPair pair = TestPki.ec();
        return TestPki.pemPair(other, "x", pair, TestPki.certificate(pair, 9, "DNS:a.example")).key();
    }

    private void writeCertificateOnly(long serial) throws Exception {
        TestPki.pem(files.certificateChain(), TestPki.certificate(TestPki.ec(), serial, "DNS:a.example"));
    }
}
