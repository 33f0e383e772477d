package dev.sluice.cli;

import dev.sluice.core.Engine;
import dev.sluice.core.ServerConfig;
import dev.sluice.core.internal.Spelling;
import java.lang.reflect.RecordComponent;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.function.UnaryOperator;
import picocli.CommandLine.IDefaultValueProvider;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The defaults of a server command's flags, in this order:
 * <ol>
 *   <li>the environment variable {@code SLUICE_<FLAG>} ({@code --idle-timeout}:
 *       {@code SLUICE_IDLE_TIMEOUT}), when it is set and not empty;</li>
 *   <li>the command's own default, where {@link #COMMAND_DEFAULTS} has one;</li>
 *   <li>for a flag named after a {@link ServerConfig} component ({@code idleTimeout}:
 *       {@code --idle-timeout}), that component's value in {@link ServerConfig#defaults()}, which
 *       comes from the {@code DEFAULT_*} constants: nothing here repeats them;</li>
 *   <li>otherwise the option's own {@code defaultValue}.</li>
 * </ol>
 * That is picocli's {@code ${env:SLUICE_<FLAG>:-default}}, done in code because an annotation can
 * only hold a compile-time constant, and the engine and overload defaults are enum values.
 * {@code --help} shows the result, so it says what a run with no flags would use.
 */
final class FlagDefaults implements IDefaultValueProvider {
    static final String ENV_PREFIX = "SLUICE_";
    /** The help footer of every server command. */
    static final String FOOTER = "Every flag can also be set by its environment variable (Env:); a flag "
            + "on the command line wins. A variable of an on/off flag takes true/false, yes/no, "
            + "on/off or 1/0, in any case.";
    private static final Map<String, String> BOOLEANS = Map.of("true", "true", "yes", "true",
            "on", "true", "1", "true", "false", "false", "no", "false", "off", "false", "0", "false");
    /** Flag name to default, for every ServerConfig component, in declaration order. */
    static final Map<String, String> CONFIG_DEFAULTS = configDefaults();
    /**
     * Where a command's measured best differs from the library's default. {@code serve}: the
     * file handler may block, and {@code event-loop} (handing it to virtual threads) served a
     * blocking handler fastest and held an idle connection in the least memory of the five
     * engines (bench/results/engines-2026-11-25.md).
     */
    static final Map<String, Map<String, String>> COMMAND_DEFAULTS =
            Map.of("serve", Map.of("--engine", Engine.EVENT_LOOP.cliName()));

    private final UnaryOperator<String> env;

    FlagDefaults() {
        this(System::getenv);
    }

    /** Reads the environment from {@code env} (a fake one in tests). */
    FlagDefaults(UnaryOperator<String> env) {
        this.env = env;
    }

    @Override
    public String defaultValue(ArgSpec arg) {
        if (!hasEnvFallback(arg)) {
            return null;
        }
        OptionSpec option = (OptionSpec) arg;
        String fromEnv = fromEnvironment(option);
        if (fromEnv != null) {
            // An unknown word stays as it is: picocli refuses it, and Main names the variable.
            return isBoolean(option) ? BOOLEANS.getOrDefault(fromEnv.strip().toLowerCase(Locale.ROOT),
                    fromEnv) : fromEnv;
        }
        String command = option.command() == null ? "" : option.command().name();
        String own = COMMAND_DEFAULTS.getOrDefault(command, Map.of()).get(option.longestName());
        return own != null ? own : CONFIG_DEFAULTS.get(option.longestName());
    }

    /** The value of {@code option}'s variable, or null when it is unset or empty. */
    String fromEnvironment(OptionSpec option) {
        String value = env.apply(envName(option));
        return value == null || value.isEmpty() ? null : value;
    }

    /** Whether {@code option} is an on/off flag. */
    static boolean isBoolean(OptionSpec option) {
        return option.type() == boolean.class || option.type() == Boolean.class;
    }

    /** Every option but {@code --help} and {@code --version} has an environment fallback. */
    static boolean hasEnvFallback(ArgSpec arg) {
        return arg instanceof OptionSpec option && !option.usageHelp() && !option.versionHelp();
    }

    /** {@code --idle-timeout}: {@code SLUICE_IDLE_TIMEOUT}. */
    static String envName(OptionSpec option) {
        String flag = option.longestName().replaceFirst("^-+", "");
        return ENV_PREFIX + flag.replace('-', '_').toUpperCase(Locale.ROOT);
    }

    /** {@code idleTimeout}: {@code --idle-timeout}. */
    static String flagName(String component) {
        return "--" + component.replaceAll("([A-Z])", "-$1").toLowerCase(Locale.ROOT);
    }

    /** A default as the flag spells it: {@code 1m}, {@code event-loop}, {@code wait}. */
    static String spell(Object value) {
        if (value instanceof Duration d) {
            return Spelling.duration(d);
        }
        if (value instanceof Engine e) {
            return e.cliName();
        }
        return String.valueOf(value);
    }

    private static Map<String, String> configDefaults() {
        ServerConfig defaults = ServerConfig.defaults();
        Map<String, String> map = new LinkedHashMap<>();
        for (RecordComponent c : ServerConfig.class.getRecordComponents()) {
            try {
                Object value = c.getAccessor().invoke(defaults);
                if (value != null) { // off by default (tls, proxyProtocol): the flags' own defaults say so
                    map.put(flagName(c.getName()), spell(value));
                }
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException("cannot read ServerConfig." + c.getName(), e);
            }
        }
        return Collections.unmodifiableMap(map);
    }
}
