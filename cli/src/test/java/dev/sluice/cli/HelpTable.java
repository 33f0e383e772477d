package dev.sluice.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** The flags that {@code sluice COMMAND --help} lists, read back from its text. */
final class HelpTable {
    /** One flag: {@code --port}, {@code =<port>}, its description, default and variable. */
    record Flag(String name, String label, String description, String defaultValue, String env) {
        /** The flag as a row of the table of server flags in docs/cli.md. */
        String markdownRow() {
            return "| `" + name + (label == null ? "" : label.replace("|", "\\|")) + "` | "
                    + (defaultValue == null ? "none" : "`" + defaultValue + "`") + " | `" + env + "` | "
                    + description.replace("|", "\\|") + " |";
        }
    }

    /** The header of the table of server flags in docs/cli.md. */
    static final List<String> MARKDOWN_HEADER = List.of(
            "| Flag | Default | Environment | Meaning |",
            "|---|---|---|---|");

    private static final Pattern OPTION =
            Pattern.compile("^  (?:-\\w, |    )(--(?:\\[no-\\])?[a-z-]+)(\\[?=[^\\]\\s]+\\]?)?(?:\\s+(.*))?$");
    private static final Pattern DEFAULT = Pattern.compile("^\\s+Default: (.*)$");
    private static final Pattern ENV = Pattern.compile("^\\s+Env: (.*)$");

    private HelpTable() {
    }

    /** The long flags in {@code help}, in order, {@code --help} and {@code --version} included. */
    static List<Flag> parse(List<String> help) {
        List<Flag> flags = new ArrayList<>();
        String name = null;
        String label = null;
        StringBuilder description = new StringBuilder();
        String defaultValue = null;
        String env = null;
        for (String line : help) {
            Matcher option = OPTION.matcher(line);
            Matcher dflt = DEFAULT.matcher(line);
            Matcher envVar = ENV.matcher(line);
            if (option.matches()) {
                if (name != null) {
                    flags.add(new Flag(name, label, description.toString(), defaultValue, env));
                }
                name = option.group(1).replace("[no-]", ""); // a negatable flag: --[no-]compress
                label = option.group(2);
                description = new StringBuilder(option.group(3) == null ? "" : option.group(3));
                defaultValue = null;
                env = null;
            } else if (name != null && dflt.matches()) {
                defaultValue = dflt.group(1);
            } else if (name != null && envVar.matches()) {
                env = envVar.group(1);
            } else if (name != null && line.startsWith("     ")) {
                String part = line.strip();
                // picocli breaks after a hyphen without a space: "thread-per-" + "connection"
                boolean joined = description.isEmpty() || description.toString().endsWith("-");
                description.append(joined ? "" : " ").append(part);
            } else if (name != null) {
                flags.add(new Flag(name, label, description.toString(), defaultValue, env));
                name = null;
            }
        }
        if (name != null) {
            flags.add(new Flag(name, label, description.toString(), defaultValue, env));
        }
        return flags;
    }
}
