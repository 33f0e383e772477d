package dev.sluice.cli;

import java.io.PrintWriter;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.function.UnaryOperator;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
import picocli.CommandLine.Help;
import picocli.CommandLine.Help.Ansi;
import picocli.CommandLine.HelpCommand;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.ParseResult;
import picocli.CommandLine.Spec;
import picocli.CommandLine.UnmatchedArgumentException;

/**
 * {@code sluice}: the entry point of the runnable jar. Exit codes: 0 after a clean run (a server
 * stopped by SIGTERM or SIGINT included), 2 for a usage error (a bad flag or value, an address
 * that cannot be bound) after exactly one line {@code sluice: ...} on stderr, 1 for a bug.
 * {@code sluice} without a command prints the usage on stderr and exits 2, as {@code go} does: it
 * is a usage error, with the usage as the message.
 *
 * <p>Colour: none when {@code NO_COLOR} is set and not empty (no-color.org) or {@code TERM} is
 * {@code dumb}, whatever else asks for it ({@code -Dpicocli.ansi=true}); else picocli decides
 * (a terminal on stdout). The logs never colour anything.
 */
@Command(name = "sluice", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "A TCP and HTTP/1.1 server for Java 21+.",
        subcommands = {ServeCommand.class, RespondCommand.class, EchoCommand.class, HelpCommand.class},
        footer = {"", "Every flag of a server command can also be set by an environment variable, "
                + "SLUICE_<FLAG>: SLUICE_PORT=7007 for --port 7007. A flag on the command line wins. "
                + "A variable of an on/off flag takes true/false, yes/no, on/off or 1/0.",
                "See 'sluice COMMAND --help'."})
public final class Main implements Callable<Integer> {
    @Spec
    CommandSpec spec;

    public static void main(String[] args) {
        System.exit(execute(args));
    }

    /** Runs {@code sluice args} and returns the exit code. */
    static int execute(String... args) {
        return commandLine().execute(args);
    }

    /** The command tree, with this CLI's help and error handling. */
    static CommandLine commandLine() {
        return commandLine(System::getenv);
    }

    /** As {@link #commandLine()}, reading the environment from {@code env} (a fake one in tests). */
    static CommandLine commandLine(UnaryOperator<String> env) {
        CommandLine cli = new CommandLine(new Main());
        cli.setHelpFactory(new UsageHelp());
        cli.setParameterExceptionHandler(Main::onBadParameter);
        cli.setExecutionExceptionHandler(Main::onFailure);
        if (noColor(env)) {
            cli.setColorScheme(Help.defaultColorScheme(Ansi.OFF));
        }
        for (CommandLine sub : cli.getSubcommands().values()) {
            if (sub.getCommandSpec().defaultValueProvider() instanceof FlagDefaults) {
                sub.setDefaultValueProvider(new FlagDefaults(env));
            }
        }
        return cli;
    }

    /** {@code NO_COLOR} set and not empty, or {@code TERM=dumb}. */
    static boolean noColor(UnaryOperator<String> env) {
        String noColor = env.apply("NO_COLOR");
        return (noColor != null && !noColor.isEmpty()) || "dumb".equals(env.apply("TERM"));
    }

    /** No command: the usage, on stderr, and exit code 2. */
    @Override
    public Integer call() {
        spec.commandLine().usage(spec.commandLine().getErr());
        return ExitCode.USAGE;
    }

    /**
     * A usage error: one line on stderr, {@code sluice: message}, and exit code 2. Never the usage
     * dump, never a stack trace: the message names the flag and what is wrong with it.
     */
    static int usageError(PrintWriter err, String message) {
        err.println("sluice: " + String.valueOf(message).replaceAll("\\R+", "; "));
        err.flush();
        return ExitCode.USAGE;
    }

    /**
     * A bad value: {@link #usageError}, pointing at the command's help, with a configuration's
     * own name for a setting replaced by the flag or variable the user gave ({@link FlagNames}).
     */
    static int badValue(CommandLine command, String message) {
        String help = command.getCommandSpec().qualifiedName() + " --help";
        String said = FlagNames.rename(command.getCommandSpec(), message);
        return usageError(command.getErr(), said + " (see '" + help + "')");
    }

    private static int onBadParameter(ParameterException e, String[] args) {
        String message = e.getMessage();
        CommandSpec command = e.getCommandLine().getCommandSpec();
        if (e instanceof UnmatchedArgumentException u && !u.isUnknownOption()) {
            message = unexpected(command, u.getUnmatched().get(0));
        }
        String env = e.getArgSpec() instanceof OptionSpec option && fromEnvironment(option, args)
                ? FlagDefaults.envName(option) : null;
        if (e instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            List<String> some = u.getSuggestions().subList(0, Math.min(3, u.getSuggestions().size()));
            message += "; did you mean " + String.join(" or ", some) + "?";
        } else if (env != null && e.getArgSpec() instanceof OptionSpec option
                && FlagDefaults.isBoolean(option)) {
            String value = ((FlagDefaults) command.defaultValueProvider()).fromEnvironment(option);
            message = env + "='" + value + "' is neither on nor off; use true/false, yes/no, "
                    + "on/off or 1/0";
        } else if (env != null) {
            message += "; it came from " + env;
        }
        return badValue(e.getCommandLine(), message);
    }

    /** An argument no parameter takes: a command that does not exist, or one argument too many. */
    private static String unexpected(CommandSpec command, String arg) {
        if (!command.subcommands().isEmpty()) {
            return "unknown command '" + arg + "'";
        }
        List<String> labels = command.positionalParameters().stream()
                .map(p -> p.paramLabel()).toList();
        if (labels.isEmpty()) {
            return command.name() + " takes no arguments, only flags; got '" + arg + "'";
        }
        return command.name() + " takes one " + String.join(" and one ", labels) + "; '" + arg
                + "' is one argument too many (quote a name with spaces)";
    }

    /** Whether the value of {@code option} came from its environment variable, not {@code args}. */
    private static boolean fromEnvironment(OptionSpec option, String[] args) {
        if (!(option.command().defaultValueProvider() instanceof FlagDefaults defaults)
                || !FlagDefaults.hasEnvFallback(option) || defaults.fromEnvironment(option) == null) {
            return false;
        }
        for (String arg : args) {
            for (String name : option.names()) {
                boolean attached = name.length() == 2 && arg.startsWith(name); // -p8080
                if (arg.equals(name) || arg.startsWith(name + "=") || attached) {
                    return false;
                }
            }
        }
        return true;
    }

    /** A bug, not a usage error: say so, with the stack trace a report needs. */
    private static int onFailure(Exception e, CommandLine command, ParseResult parsed) {
        PrintWriter err = command.getErr();
        err.println("sluice: unexpected error: " + e);
        e.printStackTrace(err);
        err.flush();
        return ExitCode.SOFTWARE;
    }
}
