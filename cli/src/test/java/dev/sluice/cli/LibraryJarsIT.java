package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * What docs/embedding.md tells a library user: the coordinates it shows are the poms', and every
 * library module that was packaged has its sources and javadoc jars beside its jar.
 */
class LibraryJarsIT {
    private static final List<String> LIBRARIES = List.of("core", "http", "metrics", "tls");
    private static final Path ROOT = SluiceProcess.REPO_ROOT;

    private static String version() throws Exception {
        Matcher m = Pattern.compile("<artifactId>sluice-parent</artifactId>\\s*<version>([^<]+)</version>")
                .matcher(Files.readString(ROOT.resolve("pom.xml")));
        assertThat(m.find()).as("the parent pom's version").isTrue();
        return m.group(1);
    }

    @Test
    void theManualsDependencyIsThePomsCoordinates() throws Exception {
        String page = Files.readString(ROOT.resolve("docs/embedding.md"));
        assertThat(page).contains("<groupId>dev.sluice</groupId>", "<version>" + version() + "</version>");
        for (String m : LIBRARIES) {
            assertThat(Files.readString(ROOT.resolve(m).resolve("pom.xml")))
                    .as("%s/pom.xml", m).contains("<artifactId>sluice-" + m + "</artifactId>");
        }
        assertThat(page).contains("<artifactId>sluice-http</artifactId>", "`sluice-metrics`");
    }

    @Test
    void eachPackagedLibraryHasItsSourcesAndJavadocJars() throws Exception {
        String version = version();
        int packaged = 0;
        for (String m : LIBRARIES) {
            Path target = ROOT.resolve(m).resolve("target");
            String base = "sluice-" + m + "-" + version;
            if (!Files.exists(target.resolve(base + ".jar"))) {
                continue; // not built in this run (mvn -pl cli): nothing to check
            }
            packaged++;
            assertThat(target.resolve(base + "-sources.jar")).as("%s sources", m).isNotEmptyFile();
            assertThat(target.resolve(base + "-javadoc.jar")).as("%s javadoc", m).isNotEmptyFile();
        }
        assertThat(packaged).as("cli depends on core, http and metrics, built before it").isGreaterThanOrEqualTo(3);
    }
}
