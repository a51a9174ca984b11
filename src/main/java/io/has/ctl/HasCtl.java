package io.has.ctl;

import io.has.Version;
import io.has.cluster.Cluster;
import io.has.config.ConfigLoader;
import io.has.config.ConfigResult;
import io.has.config.HasConfig;
import io.has.dcs.DcsException;
import io.has.dcs.zk.ZooKeeperDcs;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code hasctl}: the command-line client. Like patronictl it reads cluster state directly from
 * ZooKeeper and (for actions, in later versions) calls members' REST APIs.
 */
@Command(name = "hasctl", mixinStandardHelpOptions = true, version = "hasctl " + Version.VERSION,
        subcommands = {HasCtl.ListCommand.class},
        description = "Inspect and manage a HAS (or Patroni) cluster.")
public final class HasCtl implements Callable<Integer> {

    @Option(names = {"-c", "--config-file"}, description = "Configuration file (the daemon's YAML).",
            scope = CommandLine.ScopeType.INHERIT)
    Path configFile;

    public static void main(String[] args) {
        // a command-line tool prints its answer, not the ZooKeeper client's chatter
        org.slf4j.Logger root = org.slf4j.LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
        if (root instanceof ch.qos.logback.classic.Logger logback) {
            logback.setLevel(ch.qos.logback.classic.Level.WARN);
        }
        System.exit(run(args));
    }

    static int run(String... args) {
        return new CommandLine(new HasCtl()).execute(args);
    }

    @Override
    public Integer call() {
        CommandLine.usage(this, System.out);
        return 0;
    }

    HasConfig loadConfig() {
        Path path = configFile != null ? configFile
                : System.getenv("PATRONICTL_CONFIG_FILE") != null ? Path.of(System.getenv("PATRONICTL_CONFIG_FILE")) : null;
        if (path == null) {
            throw new CommandLine.ParameterException(new CommandLine(this), "Error: no configuration file given (-c CONFIG)");
        }
        ConfigResult r = ConfigLoader.load(path, System.getenv());
        if (r.config() == null) {
            throw new CommandLine.ParameterException(new CommandLine(this),
                    "Error: invalid configuration " + path + ": " + r.errors().get(0));
        }
        return r.config();
    }

    /** Reads the whole cluster once through a short-lived ZooKeeper session. */
    static Cluster readCluster(HasConfig cfg) throws DcsException {
        try (ZooKeeperDcs dcs = new ZooKeeperDcs(cfg.zookeeper().connectString(), cfg.basePath(), cfg.scope(), 30, 10, 10)) {
            dcs.start(() -> { });
            return dcs.read();
        }
    }

    /** {@code hasctl list}: the members table, as {@code patronictl list} prints it. */
    @Command(name = "list", description = "List the members of the cluster.")
    static final class ListCommand implements Callable<Integer> {
        @CommandLine.ParentCommand
        HasCtl parent;

        @Override
        public Integer call() {
            HasConfig cfg = parent.loadConfig();
            try {
                System.out.print(ClusterTable.render(cfg.scope(), readCluster(cfg)));
                return 0;
            } catch (DcsException e) {
                System.err.println("Error: cannot read cluster " + cfg.scope() + " from ZooKeeper: " + e.getMessage());
                return 1;
            }
        }
    }
}
