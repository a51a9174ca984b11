package io.has.ctl;

import io.has.api.RestClient;
import io.has.cluster.Cluster;
import io.has.cluster.Member;
import io.has.dcs.DcsException;
import io.has.dcs.zk.ZooKeeperDcs;
import io.has.yaml.YamlException;
import io.has.yaml.YamlReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** hasctl commands on the dynamic configuration and the cluster itself: edit-config, pause, resume, remove. */
final class ConfigCommands {

    private ConfigCommands() {
    }

    /** Deep copy of a JSON-like tree (maps and lists). */
    @SuppressWarnings("unchecked")
    static Object deepCopy(Object v) {
        if (v instanceof Map<?, ?> m) {
            Map<String, Object> out = new LinkedHashMap<>();
            m.forEach((k, x) -> out.put(String.valueOf(k), deepCopy(x)));
            return out;
        }
        if (v instanceof List<?> l) {
            List<Object> out = new ArrayList<>();
            l.forEach(x -> out.add(deepCopy(x)));
            return out;
        }
        return v;
    }

    /** patronictl's {@code apply_config_changes}: {@code a.b.c=yaml} pairs; a null value deletes the key. */
    @SuppressWarnings("unchecked")
    static void applyPairs(Map<String, Object> config, List<String> pairs) {
        for (String pair : pairs) {
            int eq = pair == null ? -1 : pair.indexOf('=');
            if (eq <= 0) {
                throw new CtlContext.CtlException("Invalid parameter setting " + pair);
            }
            Object value = parseYamlValue(pair.substring(eq + 1));
            List<String> path = new ArrayList<>(Arrays.asList(pair.substring(0, eq).trim().split("\\.")));
            setPath(config, path, value, List.of());
        }
    }

    @SuppressWarnings("unchecked")
    private static void setPath(Map<String, Object> config, List<String> path, Object value, List<String> prefix) {
        if (prefix.equals(List.of("postgresql", "parameters"))) {
            path = List.of(String.join(".", path)); // GUC names may contain dots
        }
        String key = path.get(0);
        if (path.size() == 1) {
            if (value == null) {
                config.remove(key);
            } else {
                config.put(key, value);
            }
            return;
        }
        if (!(config.get(key) instanceof Map)) {
            config.put(key, new LinkedHashMap<String, Object>());
        }
        Map<String, Object> child = (Map<String, Object>) config.get(key);
        List<String> next = new ArrayList<>(prefix);
        next.add(key);
        setPath(child, path.subList(1, path.size()), value, next);
        if (child.isEmpty()) {
            config.remove(key);
        }
    }

    static Object parseYamlValue(String text) {
        if (text.isBlank()) {
            return null;
        }
        try {
            return YamlReader.read(text);
        } catch (YamlException e) {
            return text;
        }
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> parseYamlObject(String text, String source) {
        Object tree;
        try {
            tree = YamlReader.read(text);
        } catch (YamlException e) {
            throw new CtlContext.CtlException(source + " is not a YAML mapping: " + e.getMessage().split("\n")[0]);
        }
        if (tree == null) {
            return new LinkedHashMap<>();
        }
        if (!(tree instanceof Map<?, ?> m)) {
            throw new CtlContext.CtlException(source + " is not a YAML mapping: it holds "
                    + (tree instanceof List<?> ? "a list" : "a single value"));
        }
        return (Map<String, Object>) m;
    }

    /** A unified diff of two texts (one hunk spanning the change), as patronictl's {@code show_diff} prints. */
    static String unifiedDiff(String before, String after) {
        String[] a = before.split("\n", -1);
        String[] b = after.split("\n", -1);
        int n = a.length;
        int m = b.length;
        int[][] lcs = new int[n + 1][m + 1];
        for (int i = n - 1; i >= 0; i--) {
            for (int j = m - 1; j >= 0; j--) {
                lcs[i][j] = a[i].equals(b[j]) ? lcs[i + 1][j + 1] + 1 : Math.max(lcs[i + 1][j], lcs[i][j + 1]);
            }
        }
        List<String> lines = new ArrayList<>();
        int i = 0;
        int j = 0;
        while (i < n || j < m) {
            if (i < n && j < m && a[i].equals(b[j])) {
                lines.add(" " + a[i++]);
                j++;
            } else if (j < m && (i == n || lcs[i][j + 1] >= lcs[i + 1][j])) {
                lines.add("+" + b[j++]);
            } else {
                lines.add("-" + a[i++]);
            }
        }
        while (!lines.isEmpty() && lines.get(lines.size() - 1).equals(" ")) {
            lines.remove(lines.size() - 1);
        }
        StringBuilder out = new StringBuilder("--- \n+++ \n@@ -1," + (n - 1) + " +1," + (m - 1) + " @@\n");
        lines.forEach(l -> out.append(l).append('\n'));
        return out.toString();
    }

    /** {@code hasctl edit-config}: change the DCS config key with compare-and-set, as patronictl does. */
    @Command(name = "edit-config", description = "Edit cluster configuration.")
    static final class EditConfigCommand implements Callable<Integer> {
        @ParentCommand
        HasCtl root;
        @Parameters(arity = "0..1", description = "Cluster name (optional).")
        String cluster;
        @Option(names = {"-s", "--set"}, description = "Set a value: key.path=yaml (null deletes).")
        List<String> sets = new ArrayList<>();
        @Option(names = {"-p", "--pg"}, description = "Set postgresql.parameters: name=value.")
        List<String> pgs = new ArrayList<>();
        @Option(names = "--apply", description = "Apply changes from a YAML file ('-' for stdin).")
        String apply;
        @Option(names = "--replace", description = "Replace the whole configuration with a YAML file ('-' for stdin).")
        String replace;
        @Option(names = "--force", description = "Do not ask for confirmation.")
        boolean force;
        @Option(names = {"-q", "--quiet"}, description = "Do not show the diff.")
        boolean quiet;

        @Override
        @SuppressWarnings("unchecked")
        public Integer call() throws DcsException, IOException, InterruptedException {
            CtlContext ctx = root.context();
            try (ZooKeeperDcs dcs = ctx.openDcs()) {
                Cluster c = dcs.read();
                if (c.config() == null) {
                    throw new CtlContext.CtlException("cluster " + ctx.scope() + " has no configuration in ZooKeeper");
                }
                Map<String, Object> original = c.config().value();
                String before = Output.yaml(original);
                Map<String, Object> changed = (Map<String, Object>) deepCopy(original);
                boolean edited = false;
                if (replace != null) {
                    changed = parseYamlObject(read(ctx, replace), replace);
                    edited = true;
                }
                if (apply != null) {
                    io.has.api.ConfigPatch.apply(changed, parseYamlObject(read(ctx, apply), apply));
                    edited = true;
                }
                if (!sets.isEmpty() || !pgs.isEmpty()) {
                    List<String> pairs = new ArrayList<>(sets);
                    pgs.forEach(p -> pairs.add("postgresql.parameters." + p));
                    applyPairs(changed, pairs);
                    edited = true;
                }
                if (!edited) {
                    changed = parseYamlObject(editor(before), "the edited configuration");
                }
                if (Objects.equals(original, changed)) {
                    if (!quiet) {
                        ctx.out.println("Not changed");
                    }
                    return 0;
                }
                if (!quiet) {
                    ctx.out.print(unifiedDiff(before, Output.yaml(changed)));
                }
                if (("-".equals(apply) || "-".equals(replace)) && !force) {
                    ctx.out.println("Use --force option to apply changes");
                    return 1;
                }
                if (force || ctx.confirm("Apply these changes?")) {
                    if (!dcs.setConfig(changed, c.config().version())) {
                        throw new CtlContext.CtlException("Config modification aborted due to concurrent changes");
                    }
                    ctx.out.println("Configuration changed");
                    return 0;
                }
                return 1;
            }
        }

        private static String read(CtlContext ctx, String file) throws IOException {
            if (file.equals("-")) {
                StringBuilder b = new StringBuilder();
                for (String line = ctx.in.readLine(); line != null; line = ctx.in.readLine()) {
                    b.append(line).append('\n');
                }
                return b.toString();
            }
            return Files.readString(Path.of(file), StandardCharsets.UTF_8);
        }

        private static String editor(String before) throws IOException, InterruptedException {
            String editor = System.getenv("EDITOR") != null ? System.getenv("EDITOR") : "vi";
            Path tmp = Files.createTempFile("hasctl-config-", ".yaml");
            try {
                Files.writeString(tmp, before, StandardCharsets.UTF_8);
                Process p = new ProcessBuilder("sh", "-c", editor + " \"$1\"", "editor", tmp.toString()).inheritIO().start();
                if (p.waitFor() != 0) {
                    throw new CtlContext.CtlException("editor " + editor + " exited with code " + p.exitValue());
                }
                return Files.readString(tmp, StandardCharsets.UTF_8);
            } finally {
                Files.deleteIfExists(tmp);
            }
        }
    }

    /** {@code pause}/{@code resume}: PATCH /config {"pause": true|null}, leader first. */
    abstract static class TogglePause implements Callable<Integer> {
        @ParentCommand
        HasCtl root;
        @Parameters(arity = "0..1", description = "Cluster name (optional).")
        String cluster;
        @Option(names = "--wait", description = "Wait until every member recognised the change.")
        boolean waitForIt;

        abstract boolean pause();

        @Override
        public Integer call() throws DcsException {
            CtlContext ctx = root.context();
            boolean paused = pause();
            String word = paused ? "pause" : "resume";
            Cluster c = ctx.readCluster();
            boolean now = c.config() != null && Boolean.TRUE.equals(c.config().value().get("pause"));
            if (now == paused) {
                throw new CtlContext.CtlException("Cluster is " + (paused ? "already" : "not") + " paused");
            }
            List<Member> order = new ArrayList<>();
            c.leaderMember().ifPresent(order::add);
            c.members().stream().filter(m -> !order.contains(m) && m.data().apiUrl() != null).forEach(order::add);
            RestClient rest = ctx.rest();
            for (Member m : order) {
                RestClient.Response r;
                try {
                    r = rest.send("PATCH", CtlContext.url(m, "config"), paused ? "{\"pause\":true}" : "{\"pause\":null}",
                            CtlContext.REST_TIMEOUT_MS);
                } catch (IOException e) {
                    ctx.out.println("Member " + m.name() + " is not accessible: " + e.getMessage());
                    continue;
                }
                if (r.status() != 200) {
                    ctx.out.println("Failed: " + word + " cluster management status code=" + r.status() + ", ("
                            + r.body() + ")");
                    return 1;
                }
                if (waitForIt) {
                    ctx.out.println("'" + word + "' request sent, waiting until it is recognized by all nodes");
                    ctx.out.flush();
                    waitForMembers(ctx, c, paused);
                }
                ctx.out.println("Success: cluster management is " + (paused ? "paused" : "resumed"));
                return 0;
            }
            throw new CtlContext.CtlException("Can not find accessible cluster member");
        }

        private static void waitForMembers(CtlContext ctx, Cluster before, boolean paused) throws DcsException {
            List<String> names = before.members().stream().filter(m -> m.data().apiUrl() != null).map(Member::name).toList();
            Object lw = before.config() == null ? 10 : before.config().value().getOrDefault("loop_wait", 10);
            long loopWait = lw instanceof Number n ? n.longValue() : 10;
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(Math.max(30, 3 * (loopWait + 1)));
            while (System.nanoTime() < deadline) {
                Cluster c = ctx.readCluster();
                if (c.members().stream().filter(m -> names.contains(m.name())).allMatch(m -> m.data().pause() == paused)) {
                    return;
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(500)); // pacing the poll
            }
            throw new CtlContext.CtlException("not every member recognised the " + (paused ? "pause" : "resume")
                    + " within the wait");
        }
    }

    /** {@code hasctl pause}. */
    @Command(name = "pause", description = "Disable auto failover.")
    static final class PauseCommand extends TogglePause {
        @Override
        boolean pause() {
            return true;
        }
    }

    /** {@code hasctl resume}. */
    @Command(name = "resume", description = "Resume auto failover.")
    static final class ResumeCommand extends TogglePause {
        @Override
        boolean pause() {
            return false;
        }
    }

    /** {@code hasctl remove <cluster>}: deletes everything of the cluster in ZooKeeper after three confirmations. */
    @Command(name = "remove", description = "Remove cluster from DCS.")
    static final class RemoveCommand implements Callable<Integer> {
        @ParentCommand
        HasCtl root;
        @Parameters(arity = "0..1", description = "Cluster name.")
        String cluster;

        @Override
        public Integer call() throws DcsException {
            CtlContext ctx = root.context();
            try (ZooKeeperDcs dcs = ctx.openDcs()) {
                Cluster c = dcs.read();
                ctx.out.print(StateCommands.renderMembers(Output.Format.pretty, ctx.scope(), c, false));
                if (!ctx.scope().equals(ctx.prompt("Please confirm the cluster name to remove", null))) {
                    throw new CtlContext.CtlException("Cluster names specified do not match");
                }
                String message = "Yes I am aware";
                if (!message.equals(ctx.prompt("You are about to remove all information in DCS for " + ctx.scope()
                        + ", please type: \"" + message + "\"", null))) {
                    throw new CtlContext.CtlException("You did not exactly type \"" + message + "\"");
                }
                if (c.leader() != null && !c.leader().name().equals(ctx.prompt(
                        "This cluster currently is healthy. Please specify the leader name to continue", null))) {
                    throw new CtlContext.CtlException("You did not specify the current leader of the cluster");
                }
                dcs.deleteCluster();
                return 0;
            }
        }
    }
}
