package io.has.ctl;

import io.has.Version;
import io.has.config.ConfigLoader;
import io.has.config.ConfigResult;
import io.has.config.HasConfig;
import io.has.dcs.DcsException;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hasctl}: the command-line client, modelled on patronictl. Like patronictl it reads cluster state
 * directly from ZooKeeper and acts through members' REST APIs (with the configured auth and TLS);
 * {@code edit-config} and {@code remove} write ZooKeeper directly. Errors are one line on stderr and exit
 * code 1.
 */
@Command(name = "hasctl", mixinStandardHelpOptions = true, version = "hasctl " + Version.VERSION,
        subcommands = {
            StateCommands.ListCommand.class, StateCommands.TopologyCommand.class, StateCommands.HistoryCommand.class,
            StateCommands.ShowConfigCommand.class, StateCommands.VersionCommand.class, StateCommands.ExplainCommand.class,
            ActionCommands.SwitchoverCommand.class, ActionCommands.FailoverCommand.class,
            ActionCommands.RestartCommand.class, ActionCommands.ReloadCommand.class, ActionCommands.ReinitCommand.class,
            ConfigCommands.EditConfigCommand.class, ConfigCommands.PauseCommand.class,
            ConfigCommands.ResumeCommand.class, ConfigCommands.RemoveCommand.class},
        description = "Inspect and manage a HAS (or Patroni) cluster.")
public final class HasCtl implements Callable<Integer> {

    @Option(names = {"-c", "--config-file"}, description = "Configuration file (the daemon's YAML).",
            scope = CommandLine.ScopeType.INHERIT)
    Path configFile;

    @Option(names = {"-k", "--insecure"}, description = "Do not verify REST API certificates.",
            scope = CommandLine.ScopeType.INHERIT)
    boolean insecure;

    PrintWriter out;
    BufferedReader in;
    private CtlContext context;

    public static void main(String[] args) {
        // a command-line tool prints its answer, not the ZooKeeper client's chatter
        org.slf4j.Logger root = org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger logback) {
            logback.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        PrintWriter out = new PrintWriter(System.out, true, StandardCharsets.UTF_8);
        PrintWriter err = new PrintWriter(System.err, true, StandardCharsets.UTF_8);
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        System.exit(run(out, err, in, args));
    }

    static int run(String... args) {
        return run(new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8)), args);
    }

    /** Runs one command line with the given terminal; returns the exit code. */
    static int run(PrintWriter out, PrintWriter err, BufferedReader in, String... args) {
        HasCtl root = new HasCtl();
        root.out = out;
        root.in = in;
        CommandLine cl = new CommandLine(root).setOut(out).setErr(err);
        cl.setExecutionExceptionHandler((e, cmd, parsed) -> {
            Throwable t = e;
            if (t instanceof CtlContext.CtlException || t instanceof DcsException) {
                err.println("Error: " + t.getMessage());
            } else {
                err.println("Error: " + t.getClass().getSimpleName() + ": " + t.getMessage());
            }
            err.flush();
            return 1;
        });
        int rc = cl.execute(args);
        out.flush();
        err.flush();
        return rc;
    }

    @Override
    public Integer call() {
        new CommandLine(this).usage(out);
        return 0;
    }

    /** Loads the configuration once ({@code -c}, else {@code PATRONICTL_CONFIG_FILE}). */
    CtlContext context() {
        if (context == null) {
            context = new CtlContext(loadConfig(), out, in, insecure);
        }
        return context;
    }

    private HasConfig loadConfig() {
        Path path = configFile != null ? configFile
                : System.getenv("PATRONICTL_CONFIG_FILE") != null ? Path.of(System.getenv("PATRONICTL_CONFIG_FILE")) : null;
        if (path == null) {
            throw new CtlContext.CtlException("no configuration file given (-c CONFIG or PATRONICTL_CONFIG_FILE)");
        }
        ConfigResult r = ConfigLoader.load(path, System.getenv());
        if (r.config() == null) {
            throw new CtlContext.CtlException("invalid configuration " + path + ": " + r.errors().get(0));
        }
        return r.config();
    }
}
