package dev.sluice.bench;

import java.time.Duration;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * The {@code --name value} command line of the bench mains. A flag given twice keeps the last
 * value; an unknown flag is an error, so a typo in a script fails loudly instead of silently
 * measuring the default.
 */
public final class Flags {
    private final Map<String, String> values = new HashMap<>();

    private Flags() {
    }

    /** Parses {@code args}, accepting only the flags named in {@code known}. */
    public static Flags parse(String[] args, String... known) {
        Flags f = new Flags();
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            if (!a.startsWith("--")) {
                throw new IllegalArgumentException("expected --flag, got '" + a + "'");
            }
            String name = a.substring(2);
            String value;
            int eq = name.indexOf('=');
            if (eq >= 0) {
                value = name.substring(eq + 1);
                name = name.substring(0, eq);
            } else if (i + 1 < args.length) {
                value = args[++i];
            } else {
                throw new IllegalArgumentException("--" + name + " needs a value");
            }
            if (!java.util.List.of(known).contains(name)) {
                throw new IllegalArgumentException("unknown flag --" + name + "; known: --"
                        + String.join(", --", known));
            }
            f.values.put(name, value);
        }
        return f;
    }

    public boolean has(String name) {
        return values.containsKey(name);
    }

    public String string(String name, String dflt) {
        return values.getOrDefault(name, dflt);
    }

    public int integer(String name, int dflt) {
        String v = values.get(name);
        return v == null ? dflt : Integer.parseInt(v.replace("_", ""));
    }

    /** {@code 10s}, {@code 500ms}, {@code 2m}; a bare number is seconds. */
    Duration duration(String name, Duration dflt) {
        String v = values.get(name);
        return v == null ? dflt : parseDuration(v);
    }

    static Duration parseDuration(String v) {
        String s = v.trim().toLowerCase(Locale.ROOT);
        if (s.endsWith("ms")) {
            return Duration.ofMillis(Long.parseLong(s.substring(0, s.length() - 2)));
        }
        if (s.endsWith("s")) {
            return Duration.ofMillis(Math.round(Double.parseDouble(s.substring(0, s.length() - 1)) * 1000));
        }
        if (s.endsWith("m")) {
            return Duration.ofSeconds(Long.parseLong(s.substring(0, s.length() - 1)) * 60);
        }
        return Duration.ofMillis(Math.round(Double.parseDouble(s) * 1000));
    }
}
