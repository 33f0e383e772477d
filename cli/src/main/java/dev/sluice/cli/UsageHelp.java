package dev.sluice.cli;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.IHelpFactory;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * picocli's help, with two changes for the server commands:
 * <ul>
 *   <li>the flags under headings ({@link #GROUPS}), the most used first, rather than one list of
 *       fifty; a flag no group names goes under "Other", so none is ever left out;</li>
 *   <li>a line {@code Env: SLUICE_<FLAG>} under each flag of a command whose defaults come from
 *       {@link FlagDefaults}, so {@code --help} names every environment fallback. The name is
 *       computed by {@link FlagDefaults#envName}, the same code that reads the variable.</li>
 * </ul>
 */
final class UsageHelp implements IHelpFactory {
    /** A heading and the long names of its flags, in the order shown. */
    record Group(String heading, List<String> flags) {
    }

    /** The headings of the server commands' flags, in order; a command shows those it has. */
    static final List<Group> GROUPS = List.of(
            new Group("Listening", List.of("--port", "--host", "--backlog", "--reuse-port",
                    "--tcp-notsent-lowat-bytes", "--proxy-protocol", "--trusted-proxies",
                    "--trust-forwarded-headers")),
            new Group("TLS", List.of("--tls-cert", "--tls-key", "--tls-key-password-file", "--tls-keystore",
                    "--tls-keystore-password-file", "--tls-self-signed", "--tls-protocols", "--tls-provider",
                    "--tls-client-auth", "--tls-client-ca", "--tls-handshake-timeout", "--https-redirect-port",
                    "--hsts")),
            new Group("Files", List.of("--directory", "--index", "--no-listing", "--cache-control",
                    "--show-hidden", "--follow-symlinks", "--max-ranges", "--no-precompressed", "--compress", "--spa",
                    "--error-page")),
            new Group("Responses", List.of("--header", "--cors", "--server-header", "--basic-auth",
                    "--basic-auth-realm")),
            new Group("Admin and logging", List.of("--admin-port", "--admin-host", "--access-log",
                    "--access-log-format", "--quiet", "--log-level")),
            new Group("Limits", List.of("--max-connections", "--max-connections-per-ip", "--max-body-size",
                    "--overload", "--min-body-rate", "--min-response-rate")),
            new Group("Timeouts", List.of("--idle-timeout", "--header-timeout", "--request-timeout",
                    "--write-timeout", "--shutdown-timeout", "--drain-delay")),
            new Group("Engine", List.of("--engine", "--threads", "--queue")));
    static final String OTHER = "Other";
    static final String HELP = "Help";

    @Override
    public Help create(CommandSpec command, ColorScheme colors) {
        boolean server = command.defaultValueProvider() instanceof FlagDefaults;
        return new Help(command, colors) {
            @Override
            public IOptionRenderer createDefaultOptionRenderer() {
                IOptionRenderer base = super.createDefaultOptionRenderer();
                return server ? withEnv(base) : base;
            }

            @Override
            public String optionList() {
                return server ? grouped(this, command) : super.optionList();
            }
        };
    }

    /** The options of {@code command} in {@link #groups}, each group under its heading. */
    private static String grouped(Help help, CommandSpec command) {
        StringBuilder sb = new StringBuilder();
        for (Group g : groups(command)) {
            List<OptionSpec> options = g.flags().stream().map(command::findOption).toList();
            sb.append(System.lineSeparator()).append(g.heading()).append(':')
                    .append(System.lineSeparator());
            sb.append(help.optionListExcludingGroups(options, help.createDefaultLayout(), null,
                    help.parameterLabelRenderer()));
        }
        return sb.toString();
    }

    /**
     * The groups {@code command} has, its flags among them: {@link #GROUPS} in order, then
     * {@link #OTHER} for any flag they do not name, then {@link #HELP}; empty groups left out.
     */
    static List<Group> groups(CommandSpec command) {
        Set<String> left = new LinkedHashSet<>();
        List<String> help = new ArrayList<>();
        for (OptionSpec o : command.options()) {
            if (o.hidden()) {
                continue;
            }
            (o.usageHelp() || o.versionHelp() ? help : left).add(o.longestName());
        }
        List<Group> groups = new ArrayList<>();
        for (Group g : GROUPS) {
            List<String> present = g.flags().stream().filter(left::contains).toList();
            left.removeAll(present);
            if (!present.isEmpty()) {
                groups.add(new Group(g.heading(), present));
            }
        }
        if (!left.isEmpty()) {
            groups.add(new Group(OTHER, List.copyOf(left)));
        }
        if (!help.isEmpty()) {
            groups.add(new Group(HELP, help));
        }
        return groups;
    }

    private static Help.IOptionRenderer withEnv(Help.IOptionRenderer base) {
        return (option, labels, scheme) -> {
            Text[][] rows = base.render(option, labels, scheme);
            if (!FlagDefaults.hasEnvFallback(option) || rows.length == 0) {
                return rows;
            }
            Text[] env = new Text[rows[0].length];
            Arrays.fill(env, scheme.text(""));
            env[env.length - 1] = scheme.text("  Env: " + FlagDefaults.envName(option));
            Text[][] more = Arrays.copyOf(rows, rows.length + 1);
            more[rows.length] = env;
            return more;
        };
    }
}
