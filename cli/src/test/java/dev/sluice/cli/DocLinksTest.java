package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * README.md is a quick start of one screen or two, every page of docs/ is reachable from it, and
 * no relative link of README.md or docs/*.md leads nowhere: to a missing file, or to a heading
 * that the page it names does not have.
 */
@Timeout(60)
class DocLinksTest {
    private static final int MAX_README_LINES = 150;
    private static final Path BENCHMARKS = DocPages.DOCS.resolve("benchmarks.md");
    private static final Path BENCH_DOC = DocPages.ROOT.resolve("bench/doc");

    @Test
    void readmeIsAtMost150Lines() {
        int lines = DocPages.lines(DocPages.README).size();
        assertThat(lines).as("README.md lines: got %d; want at most %d (the reference goes in docs/)",
                lines, MAX_README_LINES).isLessThanOrEqualTo(MAX_README_LINES);
    }

    @Test
    void readmeLinksEveryDocsPage() {
        Set<Path> linked = DocPages.links(DocPages.README).stream()
                .filter(link -> !isExternal(link.target()))
                .map(DocLinksTest::targetFile)
                .collect(Collectors.toSet());
        List<String> unlinked = DocPages.docsPages().stream()
                .filter(page -> !linked.contains(page))
                .map(DocPages::name)
                .toList();
        assertThat(DocPages.docsPages()).as("pages in docs/").isNotEmpty();
        assertThat(unlinked).as("docs pages README.md does not link: got %s; want none", unlinked)
                .isEmpty();
    }

    @Test
    void everyRelativeLinkLeadsToAFileAndHeadingThatExist() {
        List<String> broken = new ArrayList<>();
        int checked = 0;
        for (Path page : DocPages.pages()) {
            for (DocPages.Link link : DocPages.links(page)) {
                if (isExternal(link.target())) {
                    continue;
                }
                checked++;
                String problem = problem(link);
                if (problem != null) {
                    broken.add(DocPages.name(page) + ":" + link.line() + ": (" + link.target() + ") "
                            + problem);
                }
            }
        }
        assertThat(checked).as("relative links checked").isPositive();
        assertThat(broken).as("links that lead nowhere:%n%s", String.join("\n", broken)).isEmpty();
    }

    @Test
    void findsABrokenLinkAndAMissingAnchor() {
        Path cli = DocPages.DOCS.resolve("cli.md");
        assertThat(problem(new DocPages.Link(cli, 1, "no-such-page.md"))).as("missing file")
                .startsWith("no file");
        assertThat(problem(new DocPages.Link(cli, 1, "http.md#no-such-heading")))
                .as("missing heading").startsWith("no heading");
        assertThat(problem(new DocPages.Link(cli, 1, "http.md#strictness"))).as("good link").isNull();
        assertThat(DocPages.slug("The send queue (TCP_NOTSENT_LOWAT)"))
                .isEqualTo("the-send-queue-tcp_notsent_lowat");
        assertThat(DocPages.slug("`sluice serve`")).isEqualTo("sluice-serve");
        assertThat(DocPages.slug("HTTP/1.1")).isEqualTo("http11");
    }

    /** What is wrong with a relative link, or null if it leads to a file (and heading) that exist. */
    private static String problem(DocPages.Link link) {
        Path file = targetFile(link);
        if (!Files.exists(file) && link.page().equals(BENCHMARKS)) {
            // bench/harness/report.py copies bench/doc/*.md into this page verbatim, links and all,
            // so those links are relative to bench/doc/. Still checked, from there.
            file = targetFile(new DocPages.Link(BENCH_DOC.resolve("findings.md"), link.line(),
                    link.target()));
        }
        if (!Files.exists(file)) {
            return "no file " + DocPages.name(file);
        }
        int hash = link.target().indexOf('#');
        if (hash < 0 || !file.getFileName().toString().endsWith(".md")) {
            return null;
        }
        String anchor = link.target().substring(hash + 1);
        Set<String> anchors = DocPages.anchors(file);
        return anchors.contains(anchor) ? null
                : "no heading with anchor #" + anchor + " in " + DocPages.name(file) + "; it has "
                        + anchors;
    }

    /** The file a relative link names, resolved from its page; the page itself for {@code #x}. */
    private static Path targetFile(DocPages.Link link) {
        String target = link.target();
        int hash = target.indexOf('#');
        String path = hash < 0 ? target : target.substring(0, hash);
        return path.isEmpty() ? link.page()
                : link.page().getParent().resolve(path).normalize();
    }

    private static boolean isExternal(String target) {
        return target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*");
    }
}
