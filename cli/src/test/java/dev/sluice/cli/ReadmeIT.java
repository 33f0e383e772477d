package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * README.md's table of flags is what {@code sluice echo --help} prints, row for row. When they
 * differ, the failure message carries the table to paste in its place.
 */
@Timeout(60)
class ReadmeIT {
    private static final Path README = SluiceProcess.REPO_ROOT.resolve("README.md");

    @Test
    void flagTableMatchesEchoHelp() throws IOException {
        List<String> want = new ArrayList<>(HelpTable.MARKDOWN_HEADER);
        try (SluiceProcess p = SluiceProcess.jar("echo", "--help")) {
            assertThat(p.awaitExit()).as(p::transcript).isZero();
            HelpTable.parse(p.stdout()).stream()
                    .filter(f -> f.env() != null)
                    .map(HelpTable.Flag::markdownRow)
                    .forEach(want::add);
        }
        List<String> readme = Files.readAllLines(README);
        int start = readme.indexOf(HelpTable.MARKDOWN_HEADER.get(0));
        assertThat(start).as("README.md has no line %s", HelpTable.MARKDOWN_HEADER.get(0))
                .isNotNegative();
        int end = start;
        while (end < readme.size() && readme.get(end).startsWith("|")) {
            end++;
        }
        assertThat(readme.subList(start, end))
                .as("README.md's flag table differs from 'sluice echo --help'; replace it with:%n%s",
                        String.join("\n", want))
                .containsExactlyElementsOf(want);
    }
}
