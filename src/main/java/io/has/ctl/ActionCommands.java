package io.has.ctl;

import io.has.api.RestClient;
import io.has.cluster.Cluster;
import io.has.cluster.Failover;
import io.has.cluster.Member;
import io.has.cluster.PgState;
import io.has.cluster.Role;
import io.has.dcs.DcsException;
import io.has.dcs.zk.ZooKeeperDcs;
import java.io.IOException;
import java.time.OffsetDateTime;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.ParentCommand;

/** hasctl commands that act through members' REST APIs: switchover, failover, restart, reload, reinit. */
final class ActionCommands {

    private static final DateTimeFormatter TS = DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss.SSSSSS");
    /** How long {@code switchover} waits for the new leader's database to be up after the API answered. */
    private static final long NEW_LEADER_WAIT_MS = 120_000;

    private ActionCommands() {
    }

    static String timestamp() {
        return TS.format(ZonedDateTime.now());
    }

    /** Member names given on the command line, without a leading cluster name (patronictl's syntax). */
    static List<String> names(CtlContext ctx, List<String> args) {
        List<String> out = new ArrayList<>(args);
        if (!out.isEmpty() && out.get(0).equals(ctx.scope())) {
            out.remove(0);
        }
        return out;
    }

    /** patronictl's {@code parse_scheduled}: "now" or empty is null; otherwise ISO 8601 with a zone. */
    static OffsetDateTime parseScheduled(String value) {
        if (value == null || value.isBlank() || value.equalsIgnoreCase("now")) {
            return null;
        }
        try {
            return OffsetDateTime.parse(value.trim().replace(' ', 'T'));
        } catch (RuntimeException e) {
            try {
                return java.time.LocalDateTime.parse(value.trim().replace(' ', 'T')).atZone(java.time.ZoneId.systemDefault())
                        .toOffsetDateTime();
            } catch (RuntimeException e2) {
                throw new CtlContext.CtlException("Unable to parse scheduled timestamp (" + value
                        + "). It should be in an unambiguous format (e.g. ISO 8601)");
            }
        }
    }

    /** Selects members by name, or asks; {@code role} limits the choice ("replica" for reinit). */
    static List<Member> members(CtlContext ctx, Cluster c, List<String> given, String action, boolean force,
                                boolean replicasOnly) {
        List<String> names = names(ctx, given);
        List<Member> candidates = c.members().stream()
                .filter(m -> !replicasOnly || c.leader() == null || !m.name().equals(c.leader().name())).toList();
        if (names.isEmpty() && !force) {
            String answer = ctx.prompt("Which member do you want to " + action + " "
                    + candidates.stream().map(Member::name).toList(), "");
            if (!answer.isEmpty()) {
                names = List.of(answer.split("[,\\s]+"));
            }
        }
        List<Member> out = new ArrayList<>();
        if (names.isEmpty()) {
            out.addAll(candidates);
        } else {
            for (String n : names) {
                Member m = ctx.member(c, n);
                if (!candidates.contains(m)) {
                    throw new CtlContext.CtlException(n + " is the leader of cluster " + ctx.scope() + ", can not " + action);
                }
                out.add(m);
            }
        }
        if (out.isEmpty()) {
            throw new CtlContext.CtlException("No " + (replicasOnly ? "replicas" : "members") + " to " + action);
        }
        if (!force && !ctx.confirm("Are you sure you want to " + action + " members "
                + String.join(", ", out.stream().map(Member::name).toList()) + "?")) {
            throw new CtlContext.CtlException("Aborted " + action);
        }
        return out;
    }

    /** {@code switchover} and {@code failover}: patronictl's {@code _do_failover_or_switchover}. */
    abstract static class ManualFailover implements Callable<Integer> {
        @ParentCommand
        HasCtl root;
        @Parameters(arity = "0..1", description = "Cluster name (optional; the configuration names it).")
        String cluster;
        @Option(names = {"--leader", "--primary", "--master"}, description = "The current leader.")
        String leader;
        @Option(names = "--candidate", description = "The member to promote.")
        String candidate;
        @Option(names = "--force", description = "Do not ask for confirmation.")
        boolean force;

        abstract String action();

        String scheduledOption() {
            return null;
        }

        @Override
        public Integer call() throws DcsException, IOException {
            CtlContext ctx = root.context();
            String action = action();
            Cluster c = ctx.readCluster();
            boolean paused = c.config() != null && Boolean.TRUE.equals(c.config().value().get("pause"));
            if (action.equals("switchover") && c.leader() == null) {
                throw new CtlContext.CtlException("This cluster has no leader");
            }
            if (action.equals("switchover") && leader == null && !force) {
                leader = ctx.prompt("Primary", c.leader().name());
            }
            if (action.equals("switchover") && leader == null) {
                leader = c.leader().name();
            }
            if (leader != null && (c.leader() == null || !c.leader().name().equals(leader))) {
                throw new CtlContext.CtlException("Member " + leader + " is not the leader of cluster " + ctx.scope());
            }
            List<String> names = c.members().stream()
                    .filter(m -> !m.name().equals(leader) && !m.data().noFailover()).map(Member::name).sorted().toList();
            if (names.isEmpty()) {
                throw new CtlContext.CtlException("No candidates found to " + action + " to");
            }
            if (candidate == null && !force) {
                candidate = ctx.prompt("Candidate " + names, "");
            }
            candidate = candidate == null || candidate.isEmpty() ? null : candidate;
            if (action.equals("failover") && candidate == null) {
                throw new CtlContext.CtlException("Failover could be performed only to a specific candidate");
            }
            if (candidate != null && candidate.equals(leader)) {
                throw new CtlContext.CtlException(Character.toUpperCase(action.charAt(0)) + action.substring(1)
                        + " target and source are the same.");
            }
            if (candidate != null && !names.contains(candidate)) {
                throw new CtlContext.CtlException("Member " + candidate + " does not exist in cluster " + ctx.scope());
            }
            OffsetDateTime at = null;
            if (action.equals("switchover")) {
                String scheduled = scheduledOption();
                if (scheduled == null && !force) {
                    String nextHour = ZonedDateTime.now().plusHours(1).truncatedTo(ChronoUnit.MINUTES)
                            .format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm"));
                    scheduled = ctx.prompt("When should the switchover take place (e.g. " + nextHour + " ) ", "now");
                }
                at = parseScheduled(scheduled);
                if (at != null && paused) {
                    throw new CtlContext.CtlException("Can't schedule switchover in the paused state");
                }
            }
            ctx.out.print(StateCommands.renderMembers(Output.Format.pretty, ctx.scope(), c, false));
            if (!force) {
                String demote = leader != null ? ", demoting current leader " + leader : "";
                boolean ok = at != null
                        ? ctx.confirm("Are you sure you want to schedule " + action + " of cluster " + ctx.scope() + " at "
                                + at + demote + "?")
                        : ctx.confirm("Are you sure you want to " + action + " cluster " + ctx.scope() + demote + "?");
                if (!ok) {
                    throw new CtlContext.CtlException("Aborting " + (at != null ? "scheduled " : "") + action);
                }
            }
            Map<String, Object> body = new LinkedHashMap<>();
            body.put("leader", leader);
            body.put("candidate", candidate);
            body.put("scheduled_at", at == null ? null : at.toString());
            String json = Output.json(body).trim();
            Member target = c.leaderMember().orElseGet(() -> ctx.member(c, candidate));
            RestClient rest = ctx.rest();
            RestClient.Response r;
            try {
                r = rest.send("POST", CtlContext.url(target, action), json, 2 * CtlContext.REST_TIMEOUT_MS);
                if (r.status() == 501 && action.equals("switchover")
                        && r.body().contains("Server does not support this operation")) {
                    r = rest.send("POST", CtlContext.url(target, "failover"), json, 2 * CtlContext.REST_TIMEOUT_MS);
                }
            } catch (IOException e) {
                ctx.out.println(timestamp() + " Could not " + action + " using the REST API (" + e.getMessage()
                        + "), falling back to DCS");
                try (ZooKeeperDcs dcs = ctx.openDcs()) {
                    dcs.setFailover(new Failover(leader, candidate, at, -1), -1);
                }
                return 0;
            }
            if (r.status() != 200 && r.status() != 202) {
                ctx.out.println(Character.toUpperCase(action.charAt(0)) + action.substring(1) + " failed, details: "
                        + r.status() + ", " + r.body());
                return 1;
            }
            ctx.out.println(timestamp() + " " + r.body());
            Cluster after = r.status() == 200 ? waitForLeaderUp(ctx) : ctx.readCluster();
            ctx.out.print(StateCommands.renderMembers(Output.Format.pretty, ctx.scope(), after, false));
            return 0;
        }

        /**
         * Progress until the new leader's database reports running as primary: looks every 100 ms, says
         * "waiting" at most once a second.
         */
        private Cluster waitForLeaderUp(CtlContext ctx) throws DcsException {
            long deadline = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(NEW_LEADER_WAIT_MS);
            long nextNote = System.nanoTime();
            while (true) {
                Cluster c = ctx.readCluster();
                Member m = c.leaderMember().orElse(null);
                if (m != null && m.data().state() == PgState.RUNNING && m.data().role() == Role.PRIMARY) {
                    ctx.out.println(timestamp() + " " + m.name() + " is up and running as the leader");
                    return c;
                }
                if (System.nanoTime() > deadline) {
                    ctx.out.println(timestamp() + " the new leader is not up yet; check with hasctl list");
                    return c;
                }
                if (System.nanoTime() - nextNote >= 0) {
                    ctx.out.println(timestamp() + " waiting for the new leader to be up ...");
                    ctx.out.flush();
                    nextNote = System.nanoTime() + TimeUnit.SECONDS.toNanos(1);
                }
                LockSupport.parkNanos(TimeUnit.MILLISECONDS.toNanos(100));
            }
        }
    }

    /** {@code hasctl switchover}. */
    @Command(name = "switchover", description = "Switchover to a replica.")
    static final class SwitchoverCommand extends ManualFailover {
        @Option(names = "--scheduled", description = "Timestamp of a scheduled switchover (ISO 8601), or 'now'.")
        String scheduled;

        @Override
        String action() {
            return "switchover";
        }

        @Override
        String scheduledOption() {
            return scheduled;
        }
    }

    /** {@code hasctl failover}. */
    @Command(name = "failover", description = "Failover to a replica.")
    static final class FailoverCommand extends ManualFailover {
        @Override
        String action() {
            return "failover";
        }
    }

    /** Prints patronictl's check_response line; true on success. */
    static boolean check(CtlContext ctx, RestClient.Response r, String member, String action) {
        if (r.status() >= 400) {
            ctx.out.println("Failed: " + action + " for member " + member + ", status code=" + r.status() + ", ("
                    + r.body() + ")");
            return false;
        }
        ctx.out.println("Success: " + action + " for member " + member);
        return true;
    }

    /** {@code hasctl restart [cluster] [member...]}. */
    @Command(name = "restart", description = "Restart cluster member(s).")
    static final class RestartCommand implements Callable<Integer> {
        @ParentCommand
        HasCtl root;
        @Parameters(description = "Members (default: ask, or all).")
        List<String> members = new ArrayList<>();
        @Option(names = {"-r", "--role"}, description = "Restart only members with this role (primary, replica, any).")
        String role;
        @Option(names = "--scheduled", description = "Timestamp of a scheduled restart (ISO 8601), or 'now'.")
        String scheduled;
        @Option(names = {"-p", "--pg-version"}, description = "Restart if the PostgreSQL version is lower.")
        String version;
        @Option(names = "--pending", description = "Restart only if a restart is pending.")
        boolean pending;
        @Option(names = "--timeout", description = "Seconds the start may take before it counts as failed.")
        String timeout;
        @Option(names = "--force", description = "Do not ask for confirmation.")
        boolean force;

        @Override
        public Integer call() throws DcsException, IOException {
            CtlContext ctx = root.context();
            Cluster c = ctx.readCluster();
            List<Member> chosen = new ArrayList<>(members(ctx, c, members, "restart", force, false));
            if (role != null && !role.equals("any")) {
                boolean primary = role.equals("primary") || role.equals("master");
                chosen.removeIf(m -> primary != (c.leader() != null && c.leader().name().equals(m.name())));
            }
            if (scheduled == null && !force) {
                scheduled = ctx.prompt("When should the restart take place (e.g. "
                        + ZonedDateTime.now().plusHours(1).format(DateTimeFormatter.ofPattern("yyyy-MM-dd'T'HH:mm")) + ") ",
                        "now");
            }
            if (version == null && !force) {
                version = ctx.prompt("Restart if the PostgreSQL version is less than provided (e.g. 9.5.2) ", "");
            }
            Map<String, Object> content = new LinkedHashMap<>();
            if (pending) {
                content.put("restart_pending", true);
            }
            if (version != null && !version.isEmpty()) {
                content.put("postgres_version", version);
            }
            OffsetDateTime at = parseScheduled(scheduled);
            if (at != null) {
                if (c.config() != null && Boolean.TRUE.equals(c.config().value().get("pause"))) {
                    throw new CtlContext.CtlException("Can't schedule restart in the paused state");
                }
                content.put("schedule", at.toString());
            }
            if (timeout != null) {
                content.put("timeout", timeout);
            }
            RestClient rest = ctx.rest();
            boolean allOk = true;
            for (Member m : chosen) {
                RestClient.Response r = rest.send("POST", CtlContext.url(m, "restart"), Output.json(content).trim(),
                        10 * CtlContext.REST_TIMEOUT_MS);
                switch (r.status()) {
                    case 200 -> ctx.out.println("Success: restart on member " + m.name());
                    case 202 -> ctx.out.println("Success: restart scheduled on member " + m.name());
                    case 409 -> {
                        ctx.out.println("Failed: another restart is already scheduled on member " + m.name());
                        allOk = false;
                    }
                    default -> {
                        ctx.out.println("Failed: restart for member " + m.name() + ", status code=" + r.status() + ", ("
                                + r.body() + ")");
                        allOk = false;
                    }
                }
            }
            return allOk ? 0 : 1;
        }
    }

    /** {@code hasctl reload [cluster] [member...]}. */
    @Command(name = "reload", description = "Reload cluster member configuration.")
    static final class ReloadCommand implements Callable<Integer> {
        @ParentCommand
        HasCtl root;
        @Parameters(description = "Members (default: ask, or all).")
        List<String> members = new ArrayList<>();
        @Option(names = "--force", description = "Do not ask for confirmation.")
        boolean force;

        @Override
        public Integer call() throws DcsException, IOException {
            CtlContext ctx = root.context();
            Cluster c = ctx.readCluster();
            Object loopWait = c.config() == null ? 10 : c.config().value().getOrDefault("loop_wait", 10);
            boolean allOk = true;
            RestClient rest = ctx.rest();
            for (Member m : members(ctx, c, members, "reload", force, false)) {
                RestClient.Response r = rest.send("POST", CtlContext.url(m, "reload"), null, CtlContext.REST_TIMEOUT_MS);
                if (r.status() == 200) {
                    ctx.out.println("No changes to apply on member " + m.name());
                } else if (r.status() == 202) {
                    ctx.out.println("Reload request received for member " + m.name() + " and will be processed within "
                            + loopWait + " seconds");
                } else {
                    ctx.out.println("Failed: reload for member " + m.name() + ", status code=" + r.status() + ", ("
                            + r.body() + ")");
                    allOk = false;
                }
            }
            return allOk ? 0 : 1;
        }
    }

    /** {@code hasctl reinit [cluster] member...}: re-clone replicas from the leader. */
    @Command(name = "reinit", description = "Reinitialize cluster member(s).")
    static final class ReinitCommand implements Callable<Integer> {
        @ParentCommand
        HasCtl root;
        @Parameters(description = "Replicas to reinitialize.")
        List<String> members = new ArrayList<>();
        @Option(names = "--force", description = "Do not ask; cancel a running action first.")
        boolean force;
        @Option(names = "--wait", description = "Wait until the reinitialization is finished.")
        boolean waitForIt;

        @Override
        public Integer call() throws DcsException, IOException {
            CtlContext ctx = root.context();
            Cluster c = ctx.readCluster();
            RestClient rest = ctx.rest();
            boolean allOk = true;
            for (Member m : members(ctx, c, members, "reinitialize", force, true)) {
                boolean forced = force;
                while (true) {
                    RestClient.Response r = rest.send("POST", CtlContext.url(m, "reinitialize"),
                            "{\"force\":" + forced + "}", CtlContext.REST_TIMEOUT_MS);
                    boolean started = check(ctx, r, m.name(), "reinitialize");
                    if (!started && r.body().endsWith(" already in progress") && !forced
                            && ctx.confirm("Do you want to cancel it and reinitialize anyway?")) {
                        forced = true;
                        continue;
                    }
                    allOk &= started;
                    if (started && waitForIt) {
                        waitForReplica(ctx, m.name());
                    }
                    break;
                }
            }
            return allOk ? 0 : 1;
        }

        private static void waitForReplica(CtlContext ctx, String name) throws DcsException {
            ctx.out.println("Waiting for reinitialize to complete on: " + name);
            long deadline = System.nanoTime() + TimeUnit.HOURS.toNanos(1);
            while (System.nanoTime() < deadline) {
                LockSupport.parkNanos(TimeUnit.SECONDS.toNanos(2)); // pacing the poll
                Member m = ctx.readCluster().member(name).orElse(null);
                if (m != null && m.data().state() == PgState.RUNNING) {
                    ctx.out.println("Reinitialize is completed on: " + name);
                    return;
                }
            }
        }
    }
}
