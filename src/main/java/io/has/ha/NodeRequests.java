package io.has.ha;

import io.has.action.LongActionRunner;
import io.has.api.NodeControl;
import io.has.api.StatusSnapshot;
import io.has.cluster.Cluster;
import io.has.cluster.Member;
import io.has.db.LocalDatabase;
import io.has.db.StopMode;
import io.has.db.Upstream;
import io.has.dcs.Dcs;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The daemon's side of {@link NodeControl}: node-local requests from REST (restart, reinitialize,
 * reload) run as long actions through the same single slot the HA loop uses, so they never overlap
 * a bootstrap, clone or rewind; a scheduled restart waits here until the loop finds it due.
 */
final class NodeRequests implements NodeControl {

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String member;
    private final Dcs dcs;
    private final LocalDatabase db;
    private final LongActionRunner longActions;
    private final Supplier<StatusSnapshot> snapshot;
    private final StatusFreshener freshener;
    private final Runnable wakeup;
    private final Runnable reloadHook;
    private final DecisionLog decisions;
    private final AtomicReference<ScheduledRestart> scheduled = new AtomicReference<>();
    private final AtomicReference<FailsafeLeader> failsafeLeader = new AtomicReference<>();

    NodeRequests(String member, Dcs dcs, LocalDatabase db, LongActionRunner longActions,
            Supplier<StatusSnapshot> snapshot, StatusFreshener freshener, DecisionLog decisions, Runnable wakeup,
            Runnable reloadHook) {
        this.member = member;
        this.dcs = dcs;
        this.db = db;
        this.longActions = longActions;
        this.snapshot = snapshot;
        this.freshener = freshener;
        this.decisions = decisions;
        this.wakeup = wakeup;
        this.reloadHook = reloadHook;
    }

    @Override
    public void wakeup() {
        wakeup.run();
    }

    @Override
    public Dcs dcs() {
        return dcs;
    }

    @Override
    public boolean statusStale(StatusSnapshot s, long nowMs) {
        return freshener != null && freshener.stale(s, nowMs);
    }

    @Override
    public StatusSnapshot freshStatus(StatusSnapshot s) {
        return freshener == null ? s : freshener.refresh();
    }

    @Override
    public List<DecisionLog.Entry> decisions() {
        return decisions.entries();
    }

    @Override
    public CompletableFuture<ActionResult> restart(RestartRequest request) {
        StatusSnapshot s = snapshot.get();
        String unmet = s == null ? "restart conditions are not satisfied" : unmetCondition(s, request);
        if (unmet != null) {
            return CompletableFuture.completedFuture(new ActionResult(503, unmet));
        }
        CompletableFuture<ActionResult> result = new CompletableFuture<>();
        String busy = longActions.submit("restart", db::restart, ok -> result.complete(
                ok ? new ActionResult(200, "restarted successfully") : new ActionResult(503, "restart failed")));
        if (busy != null) {
            return CompletableFuture.completedFuture(new ActionResult(503, busy + " already in progress"));
        }
        wakeup.run();
        return result;
    }

    /** Patroni's restart conditions: role, version lower than given, pending restart; null when met. */
    static String unmetCondition(StatusSnapshot s, RestartRequest r) {
        if (!s.local().isRunning()) {
            return s.local().state() == io.has.cluster.PgState.STARTING ? "postgres is still starting"
                    : "restart conditions are not satisfied";
        }
        if (r.role() != null) {
            boolean primary = !s.local().inRecovery();
            boolean wantPrimary = r.role().equals("primary") || r.role().equals("master");
            if (primary != wantPrimary) {
                return "restart conditions are not satisfied";
            }
        }
        if (r.postgresVersion() != null && s.local().serverVersion() >= versionNumber(r.postgresVersion())) {
            return "restart conditions are not satisfied";
        }
        if (Boolean.TRUE.equals(r.restartPending())) {
            // HAS does not track pending restarts yet: a restart that requires one is not due
            return "restart conditions are not satisfied";
        }
        return null;
    }

    /** {@code 15.4} → 150004, {@code 9.6.24} → 90624 (server_version_num). */
    static int versionNumber(String v) {
        String[] p = v.trim().split("\\.");
        int major = Integer.parseInt(p[0]);
        if (major >= 10) {
            return major * 10000 + (p.length > 1 ? Integer.parseInt(p[1]) : 0);
        }
        int minor = p.length > 1 ? Integer.parseInt(p[1]) : 0;
        int patch = p.length > 2 ? Integer.parseInt(p[2]) : 0;
        return major * 10000 + minor * 100 + patch;
    }

    @Override
    public boolean scheduleRestart(RestartRequest request, OffsetDateTime at) {
        boolean set = scheduled.compareAndSet(null, new ScheduledRestart(at, request));
        if (set) {
            wakeup.run();
        }
        return set;
    }

    @Override
    public boolean cancelScheduledRestart() {
        boolean cancelled = scheduled.getAndSet(null) != null;
        if (cancelled) {
            wakeup.run(); // the member key drops scheduled_restart at once
        }
        return cancelled;
    }

    @Override
    public Optional<ScheduledRestart> scheduledRestart() {
        return Optional.ofNullable(scheduled.get());
    }

    /** Called by the loop every cycle: runs a scheduled restart whose time has come. */
    void runDueRestart(long nowMs) {
        ScheduledRestart r = scheduled.get();
        if (r == null || r.at().toInstant().toEpochMilli() > nowMs || !scheduled.compareAndSet(r, null)) {
            return;
        }
        restart(r.request()).thenAccept(res -> log.info("[{}] scheduled restart: {}", member, res.message()));
    }

    /** Epoch ms of the next scheduled restart, or Long.MAX_VALUE. */
    long nextScheduledRestartMs() {
        ScheduledRestart r = scheduled.get();
        return r == null ? Long.MAX_VALUE : r.at().toInstant().toEpochMilli();
    }

    @Override
    public CompletableFuture<ActionResult> reinitialize(boolean force) {
        StatusSnapshot s = snapshot.get();
        Cluster c = s == null ? null : s.cluster();
        if (c == null || c.leader() == null) {
            return CompletableFuture.completedFuture(new ActionResult(503, "Cluster has no leader, can not reinitialize"));
        }
        if (c.leader().name().equals(member)) {
            return CompletableFuture.completedFuture(new ActionResult(503, "I am the leader, can not reinitialize"));
        }
        Optional<Member> leader = c.leaderMember();
        if (leader.isEmpty() || leader.get().pgAddress() == null) {
            return CompletableFuture.completedFuture(new ActionResult(503, "Cluster has no leader, can not reinitialize"));
        }
        Upstream source = new Upstream(leader.get().name(), leader.get().pgAddress());
        String busy = longActions.submit("reinitialize", () -> {
            db.stop(StopMode.IMMEDIATE);
            db.removeDataDirectory();
            db.createReplica(source);
            db.start(true, source);
        });
        if (busy != null) {
            // a running long action cannot be cancelled yet, so force cannot pre-empt it
            return CompletableFuture.completedFuture(new ActionResult(503, busy + " already in progress"));
        }
        wakeup.run();
        return CompletableFuture.completedFuture(new ActionResult(200, "reinitialize started"));
    }

    @Override
    public ActionResult acceptFailsafe(String name, String connUrl, String apiUrl) {
        StatusSnapshot s = snapshot.get();
        if (s == null || !s.config().failsafeMode()) {
            return new ActionResult(502, "failsafe mode is off");
        }
        if (s.local().isRunningPrimary()) {
            return new ActionResult(500, "Running as a leader");
        }
        failsafeLeader.set(new FailsafeLeader(name, System.currentTimeMillis()));
        return new ActionResult(200, "Accepted");
    }

    /** The member that asked us (POST /failsafe) to keep it as leader, and when. */
    record FailsafeLeader(String name, long atMs) {
    }

    /** Whether a failsafe leader asked us within the last {@code ttlMs} (failsafe_mode_is_active). */
    boolean failsafeActive(long nowMs, long ttlMs) {
        FailsafeLeader f = failsafeLeader.get();
        return f != null && nowMs - f.atMs() <= ttlMs;
    }

    @Override
    public void reload() {
        reloadHook.run();
        wakeup.run();
    }
}
