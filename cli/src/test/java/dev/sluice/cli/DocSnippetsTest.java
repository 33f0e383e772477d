package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import javax.tools.Diagnostic;
import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code java} block of README.md and docs/*.md is a whole compilation unit, imports
 * included, that compiles against core, http and cli: a reader can paste it into a file and build
 * it. A block that does not compile fails the test with its page and line.
 */
@Timeout(300)
class DocSnippetsTest {
    private static final Pattern TYPE =
            Pattern.compile("public\\s+(?:final\\s+|abstract\\s+)*(?:class|record|interface|enum)\\s+(\\w+)");

    @Test
    void everyJavaBlockOfTheDocsCompiles(@TempDir Path out) throws IOException {
        List<DocPages.Block> blocks = DocPages.pages().stream()
                .flatMap(page -> DocPages.blocks(page, "java").stream()).toList();
        assertThat(blocks.stream().filter(b -> b.page().equals(DocPages.README)))
                .as("java blocks in README.md: got none; want the embedding example").isNotEmpty();
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        assertThat(javac).as("a system Java compiler (the tests run on a JDK)").isNotNull();
        List<String> failures = new ArrayList<>();
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, Locale.ROOT, null)) {
            for (DocPages.Block block : blocks) {
                failures.addAll(compile(javac, files, block, Files.createTempDirectory(out, "snippet")));
            }
        }
        assertThat(failures)
                .as("java blocks that do not compile (each must be a whole file, imports included):%n%s",
                        String.join("\n", failures))
                .isEmpty();
    }

    @Test
    void reportsTheDocLineOfABlockThatDoesNotCompile(@TempDir Path out) throws IOException {
        JavaCompiler javac = ToolProvider.getSystemJavaCompiler();
        DocPages.Block broken = new DocPages.Block(DocPages.README, 40, "java",
                "public class Broken {\n    void f() {\n        Server s = null;\n    }\n}\n");
        try (StandardJavaFileManager files = javac.getStandardFileManager(null, Locale.ROOT, null)) {
            List<String> failures = compile(javac, files, broken, out);
            assertThat(failures).as("failures of a block using Server without its import")
                    .singleElement().asString().startsWith("README.md:42: ").contains("Server");
        }
    }

    /** The errors of {@code block} as {@code page:line: message}; none if it compiles. */
    private static List<String> compile(JavaCompiler javac, StandardJavaFileManager files,
            DocPages.Block block, Path out) {
        Matcher type = TYPE.matcher(block.text());
        String name = type.find() ? type.group(1) : "Snippet";
        JavaFileObject source = new SimpleJavaFileObject(
                URI.create("string:///" + name + ".java"), JavaFileObject.Kind.SOURCE) {
            @Override
            public CharSequence getCharContent(boolean ignoreEncodingErrors) {
                return block.text();
            }
        };
        DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
        List<String> options = List.of("--release", "21", "-proc:none", "-implicit:none",
                "-d", out.toString(), "-classpath", testClassPath());
        boolean ok = javac.getTask(null, files, diagnostics, options, null, List.of(source)).call();
        List<String> errors = diagnostics.getDiagnostics().stream()
                .filter(d -> d.getKind() == Diagnostic.Kind.ERROR)
                .map(d -> DocPages.name(block.page()) + ":" + (block.line() + d.getLineNumber() - 1)
                        + ": " + d.getMessage(Locale.ROOT).lines().map(String::strip)
                                .collect(Collectors.joining("; ")))
                .collect(Collectors.toCollection(ArrayList::new));
        if (!ok && errors.isEmpty()) {
            errors.add(DocPages.name(block.page()) + ":" + block.line() + ": does not compile");
        }
        return errors;
    }

    /** The class path and module path the tests run with: core, http, cli and their libraries. */
    private static String testClassPath() {
        return Stream.of("java.class.path", "jdk.module.path")
                .map(System::getProperty)
                .filter(p -> p != null && !p.isEmpty())
                .collect(Collectors.joining(File.pathSeparator));
    }
}
