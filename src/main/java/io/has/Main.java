package io.has;

import io.has.config.ConfigLoader;
import io.has.config.ConfigResult;
import io.has.daemon.HasDaemon;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code has [--validate] CONFIG}: runs the daemon in the foreground, or only checks the configuration. */
@Command(name = "has", mixinStandardHelpOptions = true, version = "has " + Version.VERSION,
        description = "High-availability daemon for PostgreSQL, openGauss and Vastbase (Patroni-compatible).")
public final class Main implements Callable<Integer> {

    @Option(names = {"--validate", "--validate-config"},
            description = "Check the configuration, print every error with its key path, and exit.")
    boolean validate;

    @Parameters(index = "0", arity = "0..1", paramLabel = "CONFIG",
            description = "YAML file or directory of YAML files (Patroni keys). Without it, PATRONI_CONFIGURATION is used.")
    Path config;

    public static void main(String[] args) {
        System.exit(new CommandLine(new Main()).execute(args));
    }

    @Override
    public Integer call() {
        ConfigResult result = config == null
                ? ConfigLoader.loadFromEnvironment(System.getenv())
                : ConfigLoader.load(config, System.getenv());
        result.warnings().forEach(w -> System.err.println("WARNING: " + w));
        if (!result.errors().isEmpty()) {
            String source = config == null ? "PATRONI_CONFIGURATION" : config.toString();
            System.err.println("has: invalid configuration in " + source + ":");
            result.errors().forEach(e -> System.err.println("  " + e));
            return 1;
        }
        if (validate) {
            System.out.println("configuration is valid");
            return 0;
        }
        return new HasDaemon(result.config()).run();
    }
}
