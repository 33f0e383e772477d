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
 * The table of server flags in docs/cli.md is what {@code sluice echo --help} prints, row for row:
 * every flag that has an environment variable, by its long name, in the order of the help. When
 * they differ, the failure message carries the table to paste in its place.
 */
@Timeout(60)
class ReadmeIT {
    private static final Path DOC = SluiceProcess.REPO_ROOT.resolve("docs/cli.md");
    /** The comment just above the table, so other tables of the page are never taken for it. */
    private static final String MARKER = "<!-- Generated from 'sluice echo --help'";

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
        List<String> doc = Files.readAllLines(DOC);
        int marker = 0;
        while (marker < doc.size() && !doc.get(marker).startsWith(MARKER)) {
            marker++;
        }
        assertThat(marker).as("docs/cli.md has no line starting %s", MARKER).isLessThan(doc.size());
        int start = doc.subList(marker, doc.size()).indexOf(HelpTable.MARKDOWN_HEADER.get(0));
        assertThat(start).as("docs/cli.md has no line %s after %s", HelpTable.MARKDOWN_HEADER.get(0),
                MARKER).isNotNegative();
        start += marker;
        int end = start;
        while (end < doc.size() && doc.get(end).startsWith("|")) {
            end++;
        }
        assertThat(doc.subList(start, end))
                .as("the flag table at docs/cli.md:%d differs from 'sluice echo --help'; replace "
                        + "its %d lines with:%n%s%n", start + 1, end - start, String.join("\n", want))
                .containsExactlyElementsOf(want);
    }
}
