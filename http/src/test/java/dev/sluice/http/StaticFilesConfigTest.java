package dev.sluice.http;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class StaticFilesConfigTest {
    private static final Path ROOT = Path.of("public");

    @Test
    void ofSetsEveryOtherComponentToItsDefault() {
        StaticFilesConfig c = StaticFilesConfig.of(ROOT);

        assertThat(c.root()).isEqualTo(ROOT);
        assertThat(c.listing()).isEqualTo(StaticFilesConfig.DEFAULT_LISTING).isTrue();
        assertThat(c.showHidden()).isEqualTo(StaticFilesConfig.DEFAULT_SHOW_HIDDEN).isFalse();
        assertThat(c.followSymlinks()).isEqualTo(StaticFilesConfig.DEFAULT_FOLLOW_SYMLINKS).isFalse();
        assertThat(c.cacheControl()).isNull();
        assertThat(c.maxRanges()).isEqualTo(StaticFilesConfig.DEFAULT_MAX_RANGES).isEqualTo(16);
        assertThat(c.indexFile()).isEqualTo(StaticFilesConfig.DEFAULT_INDEX_FILE).isEqualTo("index.html");
        assertThat(c.precompressed()).isEqualTo(StaticFilesConfig.DEFAULT_PRECOMPRESSED).isTrue();
    }

    @Test
    void eachWithChangesOneComponent() {
        StaticFilesConfig c = StaticFilesConfig.of(ROOT)
                .withRoot(Path.of("other"))
                .withListing(false)
                .withShowHidden(true)
                .withFollowSymlinks(true)
                .withCacheControl("max-age=60")
                .withMaxRanges(0)
                .withIndexFile(null)
                .withPrecompressed(false);

        assertThat(c).isEqualTo(new StaticFilesConfig(Path.of("other"), false, true, true, "max-age=60", 0,
                null, false, false, StaticFilesConfig.DEFAULT_ERROR_PAGES, true));
    }

    @Test
    void refusesInvalidComponents() {
        StaticFilesConfig c = StaticFilesConfig.of(ROOT);

        assertThatThrownBy(() -> StaticFilesConfig.of(null)).isInstanceOf(NullPointerException.class);
        assertThatThrownBy(() -> c.withMaxRanges(-1)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.withCacheControl(" ")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.withCacheControl("max-age=1\r\nX: y")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.withCacheControl("caf\u00e9")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> c.withIndexFile(null).withSinglePageApp(true))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("indexFile");
        for (String page : new String[] {"", "/abs.html", "../up.html", "a//b.html", "dir/", "a\\b.html", "./x"}) {
            assertThatThrownBy(() -> c.withErrorPages(java.util.Map.of(404, page))).as(page)
                    .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("errorPages");
        }
        assertThatThrownBy(() -> c.withErrorPages(java.util.Map.of(302, "x.html")))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("400-599");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", ".", "..", "a/index.html", "a\\index.html", "index\0.html"})
    void refusesAnIndexFileThatIsNotAPlainName(String name) {
        assertThatThrownBy(() -> StaticFilesConfig.of(ROOT).withIndexFile(name))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void createRefusesAMissingRootOrAFile(@TempDir Path tmp) throws IOException {
        Path file = Files.writeString(tmp.resolve("f.txt"), "x");

        assertThatThrownBy(() -> StaticFiles.create(StaticFilesConfig.of(tmp.resolve("missing"))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StaticFiles.create(StaticFilesConfig.of(file)))
                .isInstanceOf(IllegalArgumentException.class);
        assertThat(StaticFiles.create(StaticFilesConfig.of(tmp)).config().root()).isEqualTo(tmp);
    }
}
