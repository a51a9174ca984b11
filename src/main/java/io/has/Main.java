package io.has;

import io.has.config.ConfigLoader;
import io.has.config.ConfigResult;
import io.has.daemon.HasDaemon;
import io.has.util.JmxOff;
import java.io.PrintStream;
import java.nio.file.Path;

/**
 * {@code has [--validate] CONFIG}: runs the daemon in the foreground, or only checks the configuration.
 * The arguments are parsed by hand: a command-line library would stay loaded in the daemon for its whole
 * life (~170 classes, ~1 MiB resident) to read one option and one file name. hasctl uses picocli.
 */
public final class Main {

    static final String USAGE = """
            Usage: has [-hV] [--validate] [CONFIG]
            High-availability daemon for PostgreSQL, openGauss and Vastbase (Patroni-compatible).
                  [CONFIG]    YAML file or directory of YAML files (Patroni keys). Without
                                it, PATRONI_CONFIGURATION is used.
              -h, --help      Show this help message and exit.
              -V, --version   Print version information and exit.
                  --validate, --validate-config
                              Check the configuration, print every error with its key path,
                                and exit.
            """;

    /** What the command line asks for: {@code exit} is set when there is nothing to run (help, version, error). */
    record Args(Path config, boolean validate, Integer exit, String out, String err) {

        static Args exit(int code, String out, String err) {
            return new Args(null, false, code, out, err);
        }
    }

    public static void main(String[] args) {
        Args a = parse(args);
        if (a.exit() != null) {
            print(System.out, a.out());
            print(System.err, a.err());
            System.exit(a.exit());
        }
        JmxOff.install();
        System.exit(run(a));
    }

    private static void print(PrintStream s, String text) {
        if (text != null) {
            s.print(text);
            s.flush();
        }
    }

    static Args parse(String[] args) {
        Path config = null;
        boolean validate = false;
        boolean optionsEnded = false;
        for (int i = 0; i < args.length; i++) {
            String arg = args[i];
            if (!optionsEnded && arg.startsWith("-") && arg.length() > 1) {
                switch (arg) {
                    case "-h", "--help" -> {
                        return Args.exit(0, USAGE, null);
                    }
                    case "-V", "--version" -> {
                        return Args.exit(0, "has " + Version.VERSION + "\n", null);
                    }
                    case "--validate", "--validate-config" -> validate = true;
                    case "--" -> optionsEnded = true;
                    default -> {
                        return Args.exit(2, null, "Unknown option: '" + arg + "'\n" + USAGE);
                    }
                }
            } else if (config == null) {
                config = Path.of(arg);
            } else {
                return Args.exit(2, null, "Unmatched argument at index " + i + ": '" + arg + "'\n" + USAGE);
            }
        }
        return new Args(config, validate, null, null, null);
    }

    private static int run(Args a) {
        ConfigResult result = a.config() == null
                ? ConfigLoader.loadFromEnvironment(System.getenv())
                : ConfigLoader.load(a.config(), System.getenv());
        result.warnings().forEach(w -> System.err.println("WARNING: " + w));
        if (!result.errors().isEmpty()) {
            String source = a.config() == null ? "PATRONI_CONFIGURATION" : a.config().toString();
            System.err.println("has: invalid configuration in " + source + ":");
            result.errors().forEach(e -> System.err.println("  " + e));
            return 1;
        }
        if (a.validate()) {
            System.out.println("configuration is valid");
            return 0;
        }
        return new HasDaemon(result.config()).run();
    }
}
