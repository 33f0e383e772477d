package dev.sluice.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The command line's usage errors, help and short flags, in process against a fake environment.
 * Every case here fails before anything would listen: no sockets.
 */
@Timeout(20)
class UsageErrorsTest {
    private final Map<String, String> env = new HashMap<>();

    /** Exit code, stdout and stderr of {@code sluice args}. */
    record Run(int exit, String out, String err) {
        List<String> errLines() {
            return err.lines().toList();
        }
    }

    private Run run(String... args) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        CommandLine cli = Main.commandLine(env::get);
        cli.setOut(new PrintWriter(out, true));
        cli.setErr(new PrintWriter(err, true));
        int exit = cli.execute(args);
        return new Run(exit, out.toString(), err.toString());
    }

    /** Exit 2, one line on stderr starting with {@code start}, nothing on stdout. */
    private static void assertOneLine(Run r, String start) {
        assertThat(r.exit()).as("exit code; %s", r).isEqualTo(2);
        assertThat(r.errLines()).as("stderr; %s", r).hasSize(1);
        assertThat(r.errLines().get(0)).as("got %s; want a line starting %s", r.err(), start).startsWith(start);
        assertThat(r.out()).as("stdout; %s", r).isEmpty();
    }

    /** A value the configuration refuses is named as the user gave it: the flag, or its variable. */
    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "echo|--port|70000",
        "echo|--backlog|0",
        "echo|--threads|-1",
        "echo|--queue|-1",
        "echo|--max-connections|0",
        "echo|--max-connections-per-ip|-1",
        "echo|--tcp-notsent-lowat-bytes|-1",
        "echo|--host|' '",
        "respond|--server-header|' x'",
        "serve|--server-header|' x'",
        "serve|--max-ranges|-1",
        "serve|--index|a/b",
        "serve|--header|no-colon",
        "serve|--header|'Content-Length: 5'",
        "serve|--cors|app.example",
        "serve|--error-page|404",
        "serve|--error-page|302=x.html",
        "serve|--error-page|404=../up.html",
        "serve|--cors|https://app.example/",
        "serve|--basic-auth|/nonexistent/htpasswd",
        "serve|--basic-auth-realm|'a\"b'",
    })
    void aRefusedValueNamesTheFlagOrTheVariableItCameFrom(String command, String flag, String value) {
        assertOneLine(run(command, flag, value), "sluice: " + flag + " ");
        String variable = "SLUICE_" + flag.substring(2).replace('-', '_').toUpperCase(java.util.Locale.ROOT);
        env.put(variable, value);
        assertOneLine(run(command), "sluice: " + variable + " ");
    }

    @Test
    void aFolderThatIsNotThereOrNotAFolderIsSaidSo(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("f.txt"), "x");
        assertOneLine(run("serve", tmp.resolve("nope").toString()),
                "sluice: DIR '" + tmp.resolve("nope") + "' does not exist (");
        assertOneLine(run("serve", file.toString()), "sluice: DIR '" + file + "' is not a folder (");
        assertOneLine(run("serve", "-d", file.toString()), "sluice: -d '" + file + "' is not a folder (");
        assertOneLine(run("serve", "-d", tmp.toString(), tmp.toString()), "sluice: the folder is given twice");
    }

    @Test
    void tlsFlagsThatDoNotGoTogetherAreSaidSo(@TempDir Path tmp) throws Exception {
        Path file = Files.writeString(tmp.resolve("f.pem"), "x");
        assertOneLine(run("echo", "--tls-cert", file.toString()), "sluice: --tls-cert and --tls-key come in pairs");
        assertOneLine(run("echo", "--tls-client-auth", "maybe"),
                "sluice: Invalid value for option '--tls-client-auth': 'maybe' is not one of none, want, need");
        assertOneLine(run("echo", "--tls-self-signed", "--tls-provider", "openssl"),
                "sluice: Invalid value for option '--tls-provider': 'openssl' is not one of jdk, conscrypt, tcnative");
        assertOneLine(run("echo", "--tls-self-signed", "--tls-protocols", "TLSv1.1"),
                "sluice: --tls-protocols: 'TLSv1.1' is not offered");
        assertOneLine(run("echo", "--tls-self-signed", "--tls-client-auth", "need"),
                "sluice: --tls-client-auth need needs --tls-client-ca");
        assertOneLine(run("echo", "--tls-keystore", file.toString()),
                "sluice: --tls-keystore needs --tls-keystore-password-file");
        assertOneLine(run("serve", "--tls-cert", file.toString(), "--tls-key", file.toString(), tmp.toString()),
                "sluice: --tls-cert/--tls-key: ");
        assertThat(run("serve", "--tls-cert", file.toString(), "--tls-key", file.toString(), tmp.toString()).err())
                .as("the file is named").contains(file.toString());
    }

    @Test
    void aSizeIsAWholeNumberWithKmOrG() {
        assertOneLine(run("respond", "--max-body-size", "4x"),
                "sluice: Invalid value for option '--max-body-size': '4x' is not a size");
        assertOneLine(run("serve", "--max-body-size", "-1"),
                "sluice: Invalid value for option '--max-body-size': '-1' is not a size");
        assertOneLine(run("serve", "--max-body-size", "99999999999g"),
                "sluice: Invalid value for option '--max-body-size': '99999999999g' is too large a size");
        env.put("SLUICE_MAX_BODY_SIZE", "1.5g");
        assertOneLine(run("respond"), "sluice: ");
        assertThat(run("respond").err()).contains("SLUICE_MAX_BODY_SIZE").contains("'1.5g' is not a size");
    }

    @Test
    void theProxyProtocolNeedsTrustedProxiesThatAreNetworks() {
        assertOneLine(run("echo", "--proxy-protocol"), "sluice: --proxy-protocol must come with --trusted-proxies");
        assertOneLine(run("serve", "--trusted-proxies", "10.0.0.0/8"),
                "sluice: --trusted-proxies is given but --proxy-protocol is off");
        assertOneLine(run("respond", "--proxy-protocol", "--trusted-proxies", "10.0.0.0/33"),
                "sluice: --trusted-proxies must be IP networks such as 10.0.0.0/8");
        assertOneLine(run("echo", "--proxy-protocol", "--trusted-proxies", "proxy.example"),
                "sluice: --trusted-proxies must be IP networks");
        assertOneLine(run("serve", "--trust-forwarded-headers"),
                "sluice: --trust-forwarded-headers must come with --trusted-proxies");
        assertOneLine(run("respond", "--trust-forwarded-headers", "--trusted-proxies", "10.0.0.0/33"),
                "sluice: --trusted-proxies must be IP networks such as 10.0.0.0/8");
        assertOneLine(run("echo", "--trust-forwarded-headers", "--trusted-proxies", "10.0.0.0/8"),
                "sluice: Unknown option: '--trust-forwarded-headers'");
        env.put("SLUICE_PROXY_PROTOCOL", "true");
        assertOneLine(run("echo"), "sluice: SLUICE_PROXY_PROTOCOL must come with --trusted-proxies");
        env.put("SLUICE_TRUSTED_PROXIES", "10.0.0.0/8,nope");
        assertOneLine(run("echo"), "sluice: SLUICE_TRUSTED_PROXIES must be IP networks");
    }

    @Test
    void aSinglePageAppNeedsItsIndexFile() {
        assertOneLine(run("serve", "--spa", "--index", ""), "sluice: --spa must have an index file");
    }

    @Test
    void aNumberForAFolderSuggestsThePortFlag() {
        assertOneLine(run("serve", "8000"),
                "sluice: DIR '8000' does not exist; to listen on port 8000, use --port 8000 (");
    }

    @Test
    void oneArgumentTooManyIsSaidPlainly() {
        assertOneLine(run("serve", "a", "b"), "sluice: serve takes one DIR; 'b' is one argument too many");
        assertOneLine(run("respond", "a", "b"), "sluice: respond takes one TEXT; 'b' is one argument too many");
        assertOneLine(run("echo", "stray"), "sluice: echo takes no arguments, only flags; got 'stray'");
    }

    @ParameterizedTest
    @CsvSource({"1,true", "yes,true", "ON,true", "True,true", "0,false", "no,false", "Off,false", "FALSE,false"})
    void booleanVariablesTakeTheUsualWords(String word, boolean want) {
        env.put("SLUICE_REUSE_PORT", word);
        EchoCommand echo = new EchoCommand();
        CommandLine cli = new CommandLine(echo);
        cli.setDefaultValueProvider(new FlagDefaults(env::get));
        cli.parseArgs();
        assertThat(echo.server.reusePort).as("SLUICE_REUSE_PORT=%s", word).isEqualTo(want);
    }

    @ParameterizedTest
    @ValueSource(strings = {"maybe", "2", "y"})
    void anyOtherWordInABooleanVariableNamesItAndTheWordsItTakes(String word) {
        assertThat(run("serve", "--help").out().replaceAll("\\s+", " ")).as("the help says which words")
                .contains("true/false, yes/no, on/off or 1/0");
        env.put("SLUICE_NO_LISTING", word);
        Run r = run("serve");
        assertOneLine(r, "sluice: SLUICE_NO_LISTING='" + word + "' is neither on nor off");
        assertThat(r.err()).contains("true/false, yes/no, on/off or 1/0");
    }

    /** No command is a usage error, so exit 2, and the message is the usage. */
    @Test
    void noCommandPrintsTheUsageOnStderrAndExitsTwo() {
        Run r = run();
        assertThat(r.exit()).as("%s", r).isEqualTo(2);
        assertThat(r.out()).as("%s", r).isEmpty();
        assertThat(r.err()).as("%s", r).startsWith("Usage: sluice ").contains("Commands:")
                .contains("  serve ").contains("  respond ").contains("  echo ");
    }

    @Test
    void serveHelpGroupsEveryFlagOnceUnderHeadingsMostUsedFirst() {
        Run r = run("serve", "--help");
        assertThat(r.exit()).isZero();
        List<String> lines = r.out().lines().toList();
        List<String> headings = lines.stream().filter(l -> l.matches("[A-Z][a-z ]+:")).toList();
        assertThat(headings).as(r.out()).containsExactly("Listening:", "Files:", "Responses:",
                "Admin and logging:", "Limits:", "Timeouts:", "Engine:", "Help:");
        List<String> shown = HelpTable.parse(lines).stream().map(HelpTable.Flag::name).toList();
        Set<String> all = new CommandLine(new ServeCommand()).getCommandSpec().options().stream()
                .map(OptionSpec::longestName).collect(Collectors.toSet());
        assertThat(shown).as(r.out()).doesNotHaveDuplicates().containsExactlyInAnyOrderElementsOf(all);
        assertThat(shown.subList(0, 2)).containsExactly("--port", "--host");
    }

    @Test
    void echoAndRespondHelpUseTheSameHeadings() {
        assertThat(run("echo", "--help").out().lines().filter(l -> l.matches("[A-Z][a-z ]+:")))
                .containsExactly("Listening:", "Admin and logging:", "Limits:", "Timeouts:", "Engine:", "Help:");
        assertThat(run("respond", "--help").out().lines().filter(l -> l.matches("[A-Z][a-z ]+:")))
                .containsExactly("Listening:", "Responses:", "Admin and logging:", "Limits:", "Timeouts:",
                        "Engine:", "Help:");
    }

    @Test
    void shortFlagsForPortBindAddressAndFolder(@TempDir Path tmp) {
        EchoCommand echo = new EchoCommand();
        new CommandLine(echo).setDefaultValueProvider(new FlagDefaults(env::get)).parseArgs("-p", "9", "-b", "::1");
        assertThat(echo.server.toConfig().port()).isEqualTo(9);
        assertThat(echo.server.toConfig().host()).isEqualTo("::1");
        ServeCommand serve = new ServeCommand();
        CommandLine cli = new CommandLine(serve).setDefaultValueProvider(new FlagDefaults(env::get));
        cli.parseArgs("-d", tmp.toString(), "-p", "0");
        assertThat(serve.folder(cli.getParseResult())).isEqualTo(tmp.toAbsolutePath().normalize());
        cli.parseArgs(tmp.toString());
        assertThat(serve.folder(cli.getParseResult())).as("the positional DIR still works")
                .isEqualTo(tmp.toAbsolutePath().normalize());
    }
}
