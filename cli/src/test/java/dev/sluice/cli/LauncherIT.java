package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.FileTime;
import java.time.Duration;
import java.util.HashMap;
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

    /**
     * The launcher's Maven step (lib/find-java.sh: sluice_quiet_maven, sluice_mvn) on a terminal
     * that takes colour: neither a passing nor a failing build writes an escape sequence (Debian's
     * Maven 3.8.7 wrote ESC[0m at exit even with -B -q). Offline and non-recursive: no download,
     * no build of the modules under test.
     */
    @Test
    void mavenStepWritesNoEscapeSequences() {
        String lib = SluiceProcess.REPO_ROOT.resolve("bin/lib/find-java.sh").toString();
        for (String goal : List.of("-N validate", "-pl no-such-module validate")) {
            String script = ". '" + lib + "' && sluice_find_java && sluice_quiet_maven && sluice_mvn -q -o " + goal;
            Map<String, String> env = new HashMap<>(jdkOfThisJvm());
            env.put("TERM", "xterm-256color");
            env.put("MAVEN_OPTS", "");
            try (SluiceProcess p = SluiceProcess.command(List.of("bash", "-c", script), env,
                    SluiceProcess.REPO_ROOT)) {
                int exit = p.awaitExit(Duration.ofSeconds(90));
                assertThat(exit).as(p::transcript).isEqualTo(goal.startsWith("-N") ? 0 : 1);
                assertThat(p.stdout()).as("got an escape sequence; want none%n%s", p.transcript())
                        .noneMatch(l -> l.indexOf('\u001b') >= 0);
                assertThat(p.stderr()).as("got an escape sequence; want none%n%s", p.transcript())
                        .noneMatch(l -> l.indexOf('\u001b') >= 0);
            }
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
