package dev.sluice.tls;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.security.KeyPair;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/** Renewals as Kubernetes and certbot do them, seen through symbolic links. */
@Timeout(value = 60, unit = TimeUnit.SECONDS)
class CertificateWatcherTest {
    @TempDir
    Path dir;

    /** Writes a pair with {@code serial} as {@code cert} and {@code key} into {@code directory}. */
    private static void writePair(Path directory, String cert, String key, long serial) throws Exception {
        Files.createDirectories(directory);
        KeyPair pair = TestPki.ec();
        TestPki.pem(directory.resolve(cert), TestPki.certificate(pair, serial, "DNS:a.example"));
        TestPki.pem(directory.resolve(key), TestPki.pkcs8(pair.getPrivate()));
    }

    /** Points {@code link} at {@code target} in one rename, as both tools do. */
    private static void repoint(Path link, String target) throws Exception {
        Path temporary = link.resolveSibling(link.getFileName() + ".tmp");
        Files.createSymbolicLink(temporary, Path.of(target));
        Files.move(temporary, link, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }

    /** A Kubernetes secret volume: tls.crt -> ..data/tls.crt, ..data -> ..2026_01 (serial 1). */
    private Path kubernetesMount() throws Exception {
        Path mount = dir.resolve("mount");
        writePair(mount.resolve("..2026_01"), "tls.crt", "tls.key", 1);
        Files.createSymbolicLink(mount.resolve("..data"), Path.of("..2026_01"));
        Files.createSymbolicLink(mount.resolve("tls.crt"), Path.of("..data/tls.crt"));
        Files.createSymbolicLink(mount.resolve("tls.key"), Path.of("..data/tls.key"));
        return mount;
    }

    private static CertificateReloader load(Path cert, Path key) throws Exception {
        return CertificateReloader.load(TlsConfig.of(List.of(KeySource.pem(cert, key))), Clock.systemUTC());
    }

    private static String servedSerial(CertificateReloader reloader) {
        return reloader.certificates().get(0).serial();
    }

    @Test
    void checkFindsNothingWhenNothingChanged() throws Exception {
        Path mount = kubernetesMount();
        CertificateReloader reloader = load(mount.resolve("tls.crt"), mount.resolve("tls.key"));
        try (CertificateWatcher watcher = CertificateWatcher.withoutThread(reloader, Duration.ZERO)) {
            assertThat(watcher.checkNow()).isFalse();
        }
        assertThat(reloader.stats().successes() + reloader.stats().failures()).isZero();
    }

    @Test
    void kubernetesDataLinkSwapReloads() throws Exception {
        Path mount = kubernetesMount();
        CertificateReloader reloader = load(mount.resolve("tls.crt"), mount.resolve("tls.key"));
        try (CertificateWatcher watcher = CertificateWatcher.withoutThread(reloader, Duration.ZERO)) {
            writePair(mount.resolve("..2026_02"), "tls.crt", "tls.key", 2);
            repoint(mount.resolve("..data"), "..2026_02");
            assertThat(watcher.checkNow()).as("check after the swap").isTrue();
            assertThat(watcher.checkNow()).as("second check").isFalse();
        }
        assertThat(servedSerial(reloader)).isEqualTo("2");
    }

    @Test
    void certbotLiveLinksToANewArchiveFileReload() throws Exception {
        Path live = dir.resolve("live/example");
        Path archive = dir.resolve("archive/example");
        writePair(archive, "fullchain1.pem", "privkey1.pem", 1);
        Files.createDirectories(live);
        Files.createSymbolicLink(live.resolve("fullchain.pem"), Path.of("../../archive/example/fullchain1.pem"));
        Files.createSymbolicLink(live.resolve("privkey.pem"), Path.of("../../archive/example/privkey1.pem"));
        CertificateReloader reloader = load(live.resolve("fullchain.pem"), live.resolve("privkey.pem"));
        try (CertificateWatcher watcher = CertificateWatcher.withoutThread(reloader, Duration.ZERO)) {
            writePair(archive, "fullchain2.pem", "privkey2.pem", 2);
            repoint(live.resolve("fullchain.pem"), "../../archive/example/fullchain2.pem");
            repoint(live.resolve("privkey.pem"), "../../archive/example/privkey2.pem");
            assertThat(watcher.checkNow()).isTrue();
        }
        assertThat(servedSerial(reloader)).isEqualTo("2");
    }

    @Test
    void watcherThreadReloadsAfterTheSwapWithoutBeingAsked() throws Exception {
        Path mount = kubernetesMount();
        CertificateReloader reloader = load(mount.resolve("tls.crt"), mount.resolve("tls.key"));
        CountDownLatch reloaded = new CountDownLatch(1);
        reloader.onReload(stats -> reloaded.countDown());
        try (CertificateWatcher watcher = CertificateWatcher.start(reloader, Duration.ofMillis(50))) {
            writePair(mount.resolve("..2026_02"), "tls.crt", "tls.key", 2);
            repoint(mount.resolve("..data"), "..2026_02");
            assertThat(reloaded.await(30, TimeUnit.SECONDS)).as("reloaded within 30 s").isTrue();
        }
        assertThat(servedSerial(reloader)).isEqualTo("2");
        assertThat(reloader.stats().successes()).isEqualTo(1);
    }
}
