package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bin/sluice} itself: it finds its repository, a JDK, the jar, and runs it. The jar this
 * build just made is fresh, so the launcher must run it as is; a build by the launcher in the
 * middle of this one would be a bug (the test checks that the jar is untouched).
 */
@Timeout(120)
class LauncherIT {
    private static final Path LAUNCHER = SluiceProcess.REPO_ROOT.resolve("bin/sluice");
    private FileTime jarTime;

    @BeforeEach
    void jarIsFresherThanTheSources() throws IOException {
        jarTime = Files.getLastModifiedTime(SluiceProcess.JAR);
        Optional<Path> newer = newerThanJar();
        // Sources edited since this build (by hand, mid-run) would make the launcher rebuild.
        assumeTrue(newer.isEmpty(), () -> "sources changed since the build: " + newer.get());
    }

    @Test
    void printsTheVersion() {
        try (SluiceProcess p = SluiceProcess.command(List.of(LAUNCHER.toString(), "--version"),
                jdkOfThisJvm(), SluiceProcess.REPO_ROOT)) {
            assertVersion(p);
        }
    }

    @Test
    void worksThroughASymlinkFromAnotherDirectory(@TempDir Path dir) throws IOException {
        Path link = Files.createSymbolicLink(dir.resolve("sluice"), LAUNCHER);
        try (SluiceProcess p = SluiceProcess.command(List.of(link.toString(), "--version"),
                jdkOfThisJvm(), dir)) {
            assertVersion(p);
        }
    }

    private void assertVersion(SluiceProcess p) {
        assertThat(p.awaitExit()).as(p::transcript).isZero();
        assertThat(p.stdout()).as(p::transcript)
                .containsExactly("sluice " + System.getProperty("sluice.version"));
        try {
            assertThat(Files.getLastModifiedTime(SluiceProcess.JAR)).as("the launcher rebuilt "
                    + "a fresh jar%n%s", p.transcript()).isEqualTo(jarTime);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JAVA_HOME of the JVM running the tests, which is at least 21. */
    private static Map<String, String> jdkOfThisJvm() {
        return Map.of("JAVA_HOME", System.getProperty("java.home"));
    }

    /** A pom.xml or a file under a module's src/main newer than the jar, as the launcher checks. */
    private static Optional<Path> newerThanJar() throws IOException {
        FileTime jar = Files.getLastModifiedTime(SluiceProcess.JAR);
        try (Stream<Path> modules = Files.list(SluiceProcess.REPO_ROOT)) {
            for (Path m : modules.filter(Files::isDirectory).toList()) {
                Path pom = m.resolve("pom.xml");
                Path main = m.resolve("src/main");
                if (Files.exists(pom) && Files.getLastModifiedTime(pom).compareTo(jar) > 0) {
                    return Optional.of(pom);
                }
                if (Files.isDirectory(main)) {
                    try (Stream<Path> files = Files.walk(main)) {
                        Optional<Path> newer = files.filter(f -> modified(f).compareTo(jar) > 0).findFirst();
                        if (newer.isPresent()) {
                            return newer;
                        }
                    }
                }
            }
        }
        Path pom = SluiceProcess.REPO_ROOT.resolve("pom.xml");
        return Files.getLastModifiedTime(pom).compareTo(jar) > 0 ? Optional.of(pom) : Optional.empty();
    }

    private static FileTime modified(Path f) {
        try {
            return Files.getLastModifiedTime(f);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
