package dev.sluice.cli;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The Markdown pages of the manual, README.md and docs/*.md, read back for the tests that check
 * them: their fenced code blocks, their links and the anchors their headings make.
 */
final class DocPages {
    static final Path ROOT = SluiceProcess.REPO_ROOT;
    static final Path README = ROOT.resolve("README.md");
    static final Path DOCS = ROOT.resolve("docs");

    private static final Pattern FENCE = Pattern.compile("^```(\\S*)\\s*$");
    private static final Pattern HEADING = Pattern.compile("^#{1,6} (.+?)\\s*#*$");
    private static final Pattern LINK = Pattern.compile("\\]\\(([^)\\s]+)\\)");
    private static final Pattern CODE_SPAN = Pattern.compile("`[^`]*`");

    /** A fenced block: its language, its first content line (1-based) and its text. */
    record Block(Path page, int line, String language, String text) {
    }

    /** A link's target as written, and the line it is on (1-based). */
    record Link(Path page, int line, String target) {
    }

    private DocPages() {
    }

    /** README.md, then every docs/*.md by name. */
    static List<Path> pages() {
        List<Path> pages = new ArrayList<>(List.of(README));
        pages.addAll(docsPages());
        return pages;
    }

    /** Every docs/*.md by name. */
    static List<Path> docsPages() {
        try (Stream<Path> files = Files.list(DOCS)) {
            return files.filter(p -> p.getFileName().toString().endsWith(".md")).sorted().toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code docs/cli.md}: the page as the repository names it, for failure messages. */
    static String name(Path page) {
        return ROOT.relativize(page).toString();
    }

    static List<String> lines(Path page) {
        try {
            return Files.readAllLines(page);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The fenced blocks of {@code page} in {@code language}, each with its final newline. */
    static List<Block> blocks(Path page, String language) {
        List<Block> blocks = new ArrayList<>();
        List<String> lines = lines(page);
        for (int i = 0; i < lines.size(); i++) {
            Matcher open = FENCE.matcher(lines.get(i).strip());
            if (!open.matches()) {
                continue;
            }
            int start = i + 1;
            StringBuilder text = new StringBuilder();
            for (i = start; i < lines.size() && !lines.get(i).strip().equals("```"); i++) {
                text.append(lines.get(i)).append('\n');
            }
            if (open.group(1).equals(language)) {
                blocks.add(new Block(page, start + 1, language, text.toString()));
            }
        }
        return blocks;
    }

    /** The lines of {@code page} outside fenced blocks, by 1-based number. */
    private static Map<Integer, String> prose(Path page) {
        Map<Integer, String> prose = new HashMap<>();
        boolean inBlock = false;
        List<String> lines = lines(page);
        for (int i = 0; i < lines.size(); i++) {
            String line = lines.get(i);
            if (line.strip().startsWith("```")) {
                inBlock = !inBlock;
            } else if (!inBlock) {
                prose.put(i + 1, line);
            }
        }
        return prose;
    }

    /** Every Markdown link of {@code page} outside code, in order. */
    static List<Link> links(Path page) {
        List<Link> links = new ArrayList<>();
        prose(page).entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Matcher m = LINK.matcher(CODE_SPAN.matcher(e.getValue()).replaceAll(""));
            while (m.find()) {
                links.add(new Link(page, e.getKey(), m.group(1)));
            }
        });
        return links;
    }

    /** The anchors GitHub makes of the headings of {@code page}. */
    static Set<String> anchors(Path page) {
        Set<String> anchors = new LinkedHashSet<>();
        Map<String, Integer> seen = new HashMap<>();
        prose(page).entrySet().stream().sorted(Map.Entry.comparingByKey()).forEach(e -> {
            Matcher m = HEADING.matcher(e.getValue());
            if (m.matches()) {
                String slug = slug(m.group(1));
                int n = seen.merge(slug, 1, Integer::sum) - 1;
                anchors.add(n == 0 ? slug : slug + "-" + n);
            }
        });
        return anchors;
    }

    /** GitHub's heading anchor: lower case, punctuation dropped, spaces as hyphens. */
    static String slug(String heading) {
        return heading.toLowerCase(Locale.ROOT)
                .replaceAll("[^\\p{L}\\p{N} _-]", "")
                .replace(' ', '-');
    }
}
