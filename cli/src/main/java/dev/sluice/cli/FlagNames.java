package dev.sluice.cli;

import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParseResult;

/**
 * The libraries' configuration records name what they refuse by their own names: a component
 * ({@code maxRanges must be >= 0, got -1}) or the core's kebab-case name ({@code max-connections
 * must be at least 1}). The user typed a flag or set a variable; {@link #rename} puts that in
 * the name's place, for every flag at once: a component {@code fooBar} is the flag
 * {@code --foo-bar} (as {@link FlagDefaults#flagName} maps them), unless {@link #ALIASES} says
 * otherwise.
 */
final class FlagNames {
    /** Components whose flag is not their kebab-case name. */
    static final Map<String, String> ALIASES = Map.of("indexFile", "--index",
            "serverName", "--server-header", "errorPages", "--error-page", "maxBodyBytes", "--max-body-size");
    private static final Pattern SUBJECT =
            Pattern.compile("([a-z][A-Za-z-]*)( (?:must|is|are) .*)", Pattern.DOTALL);

    private FlagNames() {
    }

    /**
     * {@code message} with its leading component name replaced by the flag, or by the flag's
     * variable when the value came from there; as it is when it names no flag of {@code spec}.
     */
    static String rename(CommandSpec spec, String message) {
        Matcher m = SUBJECT.matcher(String.valueOf(message));
        if (!m.matches()) {
            return message;
        }
        String subject = m.group(1);
        String flag = ALIASES.getOrDefault(subject,
                subject.indexOf('-') >= 0 ? "--" + subject : FlagDefaults.flagName(subject));
        OptionSpec option = spec.findOption(flag);
        return option == null ? message : said(spec, option) + m.group(2);
    }

    /** How the user gave {@code option}'s value: its variable when that set it, else the flag. */
    static String said(CommandSpec spec, OptionSpec option) {
        ParseResult parsed = spec.commandLine() == null ? null : spec.commandLine().getParseResult();
        boolean typed = parsed != null && parsed.hasMatchedOption(option);
        if (!typed && spec.defaultValueProvider() instanceof FlagDefaults defaults
                && defaults.fromEnvironment(option) != null) {
            return FlagDefaults.envName(option);
        }
        return option.longestName();
    }
}
