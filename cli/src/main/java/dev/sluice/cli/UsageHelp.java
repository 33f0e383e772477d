package dev.sluice.cli;

import java.util.Arrays;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.ColorScheme;
import picocli.CommandLine.Help.Ansi.Text;
import picocli.CommandLine.IHelpFactory;
import picocli.CommandLine.Model.CommandSpec;

/**
 * picocli's help, plus a line {@code Env: SLUICE_<FLAG>} under each flag of a command whose
 * defaults come from {@link FlagDefaults}, so {@code --help} names every environment fallback.
 * The name is computed by {@link FlagDefaults#envName}, the same code that reads the variable.
 */
final class UsageHelp implements IHelpFactory {
    @Override
    public Help create(CommandSpec command, ColorScheme colors) {
        return new Help(command, colors) {
            @Override
            public IOptionRenderer createDefaultOptionRenderer() {
                IOptionRenderer base = super.createDefaultOptionRenderer();
                if (!(command.defaultValueProvider() instanceof FlagDefaults)) {
                    return base;
                }
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
        };
    }
}
