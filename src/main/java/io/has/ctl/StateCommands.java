package io.has.ctl;

import static io.has.json.JsonTree.asInt;
import static io.has.json.JsonTree.asText;
import static io.has.json.JsonTree.path;

import io.has.Version;
import io.has.api.RestClient;
import io.has.cluster.Cluster;
import io.has.cluster.HistoryEntry;
import io.has.cluster.Member;
import io.has.dcs.DcsException;
import io.has.json.Json;
import io.has.json.JsonTree;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** Read-only hasctl commands: list, topology, history, show-config, version, explain. */
final class StateCommands {

    private StateCommands() {
    }

    /** A member's JSON answer; an empty body is no document at all ({@link JsonTree#MISSING}). */
    static Object readTree(String body) throws IOException {
        return body.isBlank() ? JsonTree.MISSING : Json.read(body);
    }

    /** The rows of {@code list}/{@code topology} as ordered maps (the keys are patronictl's column names). */
    static List<Map<String, Object>> memberRows(String scope, Cluster c, boolean topology) {
        List<ClusterTable.Row> rows = new ArrayList<>(ClusterTable.rows(c));
        if (topology) {
            rows.sort((a, b) -> Boolean.compare(!"Leader".equals(a.role()), !"Leader".equals(b.role())));
        }
        boolean leaderFirst = topology && !rows.isEmpty() && "Leader".equals(rows.get(0).role());
        List<Map<String, Object>> out = new ArrayList<>();
        for (ClusterTable.Row r : rows) {
            String name = leaderFirst && !"Leader".equals(r.role()) ? "+ " + r.member() : r.member();
            Map<String, Object> m = Output.row("Cluster", scope, "Member", name, "Host", r.host(), "Role", r.role(),
                    "State", r.state(), "TL", r.timeline().isEmpty() ? "" : Integer.valueOf(r.timeline()));
            Object lag = r.lagMb() == null ? "" : r.lagMb().equals("unknown") ? "unknown" : Long.valueOf(r.lagMb());
            m.put("Lag in MB", lag);
            if (!r.tags().isEmpty()) {
                m.put("Tags", r.tags());
            }
            out.add(m);
        }
        return out;
    }

    static String renderMembers(Output.Format f, String scope, Cluster c, boolean topology) {
        List<Map<String, Object>> rows = memberRows(scope, c, topology);
        if (f != Output.Format.pretty) {
            return Output.rows(f, null, rows, List.of(), Set.of());
        }
        List<String> header = new ArrayList<>(List.of("Member", "Host", "Role", "State", "TL", "Lag in MB"));
        if (rows.stream().anyMatch(r -> r.containsKey("Tags"))) {
            header.add("Tags");
        }
        String title = "Cluster: " + scope + (c.config() != null && Boolean.TRUE.equals(c.config().value().get("pause"))
                ? " (paused)" : "");
        String table = Output.table(title, header, rows, Set.of("TL", "Lag in MB"));
        if (c.failover().scheduledAt() != null) {
            table += " Switchover scheduled at: " + c.failover().scheduledAt() + "\n"
                    + (c.failover().leader() == null ? "" : "                    from: " + c.failover().leader() + "\n")
                    + (c.failover().candidate() == null ? "" : "                      to: " + c.failover().candidate() + "\n");
        }
        return table;
    }

    /** {@code hasctl list}: the members table; {@code -W} repeats it every {@code -w} seconds. */
    @Command(name = "list", description = "List the members of the cluster.")
    static class ListCommand implements Callable<Integer> {
        @ParentCommand
        HasCtl root;
        @Option(names = {"-f", "--format"}, defaultValue = "pretty", description = "pretty, json or yaml")
        Output.Format format;
        @Option(names = "-W", description = "Watch: print the table again every interval (Ctrl+C ends).")
        boolean watch;
        @Option(names = {"-w", "--watch"}, description = "Watch interval in seconds (implies -W).")
        Double interval;
        @Option(names = "--watch-count", hidden = true, description = "Stop watching after N tables (tests).")
        int count;

        boolean topology() {
            return false;
        }

        @Override
        public Integer call() throws DcsException {
            CtlContext ctx = root.context();
            boolean repeat = watch || interval != null;
            long periodNs = (long) ((interval == null ? 2.0 : interval) * 1e9);
            for (int i = 0; ; i++) {
                if (repeat && format == Output.Format.pretty && i > 0) {
                    ctx.out.print("\033[H\033[2J");
                }
                ctx.out.print(renderMembers(format, ctx.scope(), ctx.readCluster(), topology()));
                ctx.out.flush();
                if (!repeat || (count > 0 && i + 1 >= count)) {
                    return 0;
                }
                LockSupport.parkNanos(periodNs); // pacing the display, not synchronising anything
            }
        }
    }

    /** {@code hasctl topology}: list with the leader first and replicas indented under it. */
    @Command(name = "topology", description = "Prints the cluster topology.")
    static final class TopologyCommand extends ListCommand {
        @Override
        boolean topology() {
            return true;
        }
    }

    /** {@code hasctl history}: the promotions recorded in the history key. */
    @Command(name = "history", description = "Show the history of failovers/switchovers.")
    static final class HistoryCommand implements Callable<Integer> {
        @ParentCommand
        HasCtl root;
        @Option(names = {"-f", "--format"}, defaultValue = "pretty", description = "pretty, json or yaml")
        Output.Format format;

        @Override
        public Integer call() throws DcsException {
            CtlContext ctx = root.context();
            Cluster c = ctx.readCluster();
            List<Map<String, Object>> rows = new ArrayList<>();
            for (HistoryEntry h : c.history() == null ? List.<HistoryEntry>of() : c.history()) {
                rows.add(Output.row("TL", h.timeline(), "LSN", h.lsn(), "Reason", h.reason(), "Timestamp",
                        h.timestamp(), "New Leader", h.newLeader()));
            }
            ctx.out.print(Output.rows(format, null, rows, List.of("TL", "LSN", "Reason", "Timestamp", "New Leader"),
                    Set.of("TL", "LSN")));
            return 0;
        }
    }

    /** {@code hasctl show-config}: the dynamic configuration as YAML. */
    @Command(name = "show-config", description = "Show the cluster configuration.")
    static final class ShowConfigCommand implements Callable<Integer> {
        @ParentCommand
        HasCtl root;
        @Option(names = {"-f", "--format"}, defaultValue = "yaml", description = "yaml (default) or json")
        Output.Format format;

        @Override
        public Integer call() throws DcsException {
            CtlContext ctx = root.context();
            Cluster c = ctx.readCluster();
            Map<String, Object> cfg = c.config() == null ? Map.of() : c.config().value();
            ctx.out.print(format == Output.Format.json ? Output.json(cfg) : Output.yaml(cfg));
            return 0;
        }
    }

    /** {@code hasctl version [member...]}: this tool's version and each member's. */
    @Command(name = "version", description = "Output version of hasctl command or a running HAS process.")
    static final class VersionCommand implements Callable<Integer> {
        @ParentCommand
        HasCtl root;
        @Parameters(description = "Members to ask (default: all).")
        List<String> members = new ArrayList<>();

        @Override
        public Integer call() throws DcsException {
            CtlContext ctx = root.context();
            ctx.out.println("hasctl version " + Version.VERSION);
            Cluster c = ctx.readCluster();
            RestClient rest = ctx.rest();
            for (Member m : c.members()) {
                if (!members.isEmpty() && !members.contains(m.name())) {
                    continue;
                }
                try {
                    Object doc = readTree(rest.send("GET", CtlContext.url(m, "patroni"), null,
                            CtlContext.REST_TIMEOUT_MS).body());
                    int v = asInt(path(doc, "server_version"), 0);
                    ctx.out.println(m.name() + ": HAS " + asText(path(path(doc, "patroni"), "version"), "?")
                            + " PostgreSQL " + (v == 0 ? "?" : (v / 10000) + "." + (v % 10000)));
                } catch (IOException e) {
                    ctx.out.println(m.name() + ": failed to get version: " + e.getMessage());
                }
            }
            return 0;
        }
    }

    /** {@code hasctl explain [member]}: the member's decision log (default: the leader's). */
    @Command(name = "explain", description = "Show the recent HA decisions of a member and why it took them.")
    static final class ExplainCommand implements Callable<Integer> {
        @ParentCommand
        HasCtl root;
        @Parameters(arity = "0..1", description = "Member (default: the leader).")
        String member;
        @Option(names = {"-f", "--format"}, defaultValue = "pretty", description = "pretty, json or yaml")
        Output.Format format;

        @Override
        public Integer call() throws DcsException, IOException {
            CtlContext ctx = root.context();
            Cluster c = ctx.readCluster();
            String name = member != null ? member : c.leader() != null ? c.leader().name() : null;
            if (name == null) {
                throw new CtlContext.CtlException("cluster " + ctx.scope() + " has no leader; name a member");
            }
            Member m = ctx.member(c, name);
            RestClient.Response r = ctx.rest().send("GET", CtlContext.url(m, "decisions"), null, CtlContext.REST_TIMEOUT_MS);
            if (r.status() != 200) {
                throw new CtlContext.CtlException("member " + name + " answered " + r.status() + " to GET /decisions");
            }
            List<Map<String, Object>> rows = new ArrayList<>();
            for (Object d : JsonTree.elements(readTree(r.body()))) {
                rows.add(Output.row("Time", asText(path(d, "time")), "Last", asText(path(d, "last_time")),
                        "Kind", asText(path(d, "kind")), "Repeats", asInt(path(d, "repeats"), 0),
                        "Decision", asText(path(d, "sentence"))));
            }
            ctx.out.print(Output.rows(format, "Decisions of " + name, rows,
                    List.of("Time", "Kind", "Repeats", "Decision"), Set.of("Repeats")));
            return 0;
        }
    }
}
