package dev.sluice.cli;

import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ExitCode;
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
 */
@Command(name = "sluice", mixinStandardHelpOptions = true, versionProvider = VersionProvider.class,
        synopsisSubcommandLabel = "COMMAND",
        description = "A TCP and HTTP/1.1 server for Java 21+.",
        subcommands = {ServeCommand.class, RespondCommand.class, EchoCommand.class, HelpCommand.class},
        footer = {"", "Every flag of a server command can also be set by an environment variable, "
                + "SLUICE_<FLAG>: SLUICE_PORT=7007 for --port 7007. A flag on the command line wins.",
                "See 'sluice COMMAND --help'."})
public final class Main implements Runnable {
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
        CommandLine cli = new CommandLine(new Main());
        cli.setHelpFactory(new UsageHelp());
        cli.setParameterExceptionHandler(Main::onBadParameter);
        cli.setExecutionExceptionHandler(Main::onFailure);
        return cli;
    }

    @Override
    public void run() {
        throw new ParameterException(spec.commandLine(), "missing command");
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

    /** A bad value: {@link #usageError}, pointing at the command's help. */
    static int badValue(CommandLine command, String message) {
        String help = command.getCommandSpec().qualifiedName() + " --help";
        return usageError(command.getErr(), message + " (see '" + help + "')");
    }

    private static int onBadParameter(ParameterException e, String[] args) {
        String message = e.getMessage();
        if (e instanceof UnmatchedArgumentException u && !u.isUnknownOption()
                && !e.getCommandLine().getSubcommands().isEmpty()) {
            message = "unknown command '" + u.getUnmatched().get(0) + "'";
        }
        if (e instanceof UnmatchedArgumentException u && !u.getSuggestions().isEmpty()) {
            List<String> some = u.getSuggestions().subList(0, Math.min(3, u.getSuggestions().size()));
            message += "; did you mean " + String.join(" or ", some) + "?";
        } else if (e.getArgSpec() instanceof OptionSpec option && fromEnvironment(option, args)) {
            message += "; it came from " + FlagDefaults.envName(option);
        }
        return badValue(e.getCommandLine(), message);
    }

    /** Whether the value of {@code option} came from its environment variable, not {@code args}. */
    private static boolean fromEnvironment(OptionSpec option, String[] args) {
        if (!(option.command().defaultValueProvider() instanceof FlagDefaults)
                || !FlagDefaults.hasEnvFallback(option)) {
            return false;
        }
        String value = System.getenv(FlagDefaults.envName(option));
        if (value == null || value.isEmpty()) {
            return false;
        }
        for (String arg : args) {
            for (String name : option.names()) {
                if (arg.equals(name) || arg.startsWith(name + "=")) {
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
