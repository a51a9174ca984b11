package io.has.ha;

import io.has.Version;
import io.has.action.ActionExecutor;
import io.has.action.LongActionRunner;
import io.has.action.Outcome;
import io.has.api.NodeControl;
import io.has.api.StatusDocument;
import io.has.api.StatusSnapshot;
import io.has.callback.CallbackAction;
import io.has.callback.CallbackRunner;
import io.has.cluster.Cluster;
import io.has.cluster.ClusterStatus;
import io.has.cluster.Failover;
import io.has.cluster.HistoryEntry;
import io.has.cluster.Member;
import io.has.cluster.MemberData;
import io.has.cluster.PgState;
import io.has.cluster.Role;
import io.has.config.DynamicConfig;
import io.has.config.HasConfig;
import io.has.db.DbException;
import io.has.db.LocalDatabase;
import io.has.db.LocalState;
import io.has.db.StopMode;
import io.has.dcs.Dcs;
import io.has.dcs.DcsException;
import io.has.util.NativeHeapTrim;
import io.has.vip.NullVip;
import io.has.vip.Vip;
import io.has.watchdog.NullWatchdog;
import io.has.watchdog.Watchdog;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HA loop: observe → decide → act → publish, every {@code loop_wait} seconds or at once when a
 * watch fires, a long action ends, or the previous decision changed the local state.
 *
 * <p>Outside the pure decider, the loop only does mechanical bookkeeping: applying a changed
 * {@code config} key to the database and the ZooKeeper client, and publishing the member key,
 * {@code status} and the REST snapshot.
 */
public final class HaLoop {

    /** Pause after a failed action before deciding again (a wake-up ends it earlier). */
    private static final long RETRY_AFTER_FAILURE_MS = 1000;

    /** Nap while waiting for another member's data, which no watch reports. */
    static final long POLL_SOON_MS = 500;

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final HasConfig config;
    private final Dcs dcs;
    private final LocalDatabase db;
    private final PeerProber prober;
    private final LongActionRunner longActions;
    private final ActionExecutor executor;
    private final DynamicConfig bootstrapConfig;
    private final Waker waker = new Waker();
    private final NativeHeapTrim heapTrim = NativeHeapTrim.fromSystemProperties(System.currentTimeMillis());
    private final DecisionLog decisions = new DecisionLog(100);
    private final AtomicReference<StatusSnapshot> snapshot = new AtomicReference<>();
    private final NodeRequests requests;

    private volatile boolean stopping;
    /** Whether the leader key may be ours (see {@link #mayHoldLockAfter}); unknown, so yes, before a cycle. */
    private volatile boolean mayHoldLock = true;
    private LoopMemory memory = LoopMemory.INITIAL;
    private DynamicConfig dynamic;
    private volatile long appliedConfigMzxid = -1;
    private Cluster lastCluster;
    private long dcsLastSeenMs;
    private volatile double lastCycleSec;
    private volatile double lastDcsReadSec;
    private final Vip vip;
    private final Watchdog watchdog;
    private final CallbackRunner callbacks;

    public HaLoop(HasConfig config, Dcs dcs, LocalDatabase db) {
        this(config, dcs, db, NullVip.INSTANCE, NullWatchdog.INSTANCE, null);
    }

    public HaLoop(HasConfig config, Dcs dcs, LocalDatabase db, Vip vip, Watchdog watchdog, CallbackRunner callbacks) {
        this.config = config;
        this.dcs = dcs;
        this.db = db;
        this.vip = vip;
        this.watchdog = watchdog;
        this.callbacks = callbacks;
        this.prober = new PeerProber();
        this.longActions = new LongActionRunner(config.name(), this::wakeup);
        this.executor = new ActionExecutor(config.name(), dcs, db, longActions, vip, watchdog, callbacks,
                local -> dcs.touchMember(memberData(local)));
        this.bootstrapConfig = DynamicConfig.fromMap(config.bootstrap().dcs(), config.raw().get("postgresql"));
        this.dynamic = bootstrapConfig;
        this.requests = new NodeRequests(config.name(), dcs, db, longActions, snapshot::get,
                new StatusFreshener(snapshot, db, System::currentTimeMillis), decisions, this::wakeup,
                () -> {
                    log.info("[{}] reload requested: re-applying the dynamic configuration", config.name());
                    appliedConfigMzxid = -1;
                    applyToDatabase(dynamic);
                });
        db.watchPostmaster(this::wakeup); // a crashed primary is handled at once, not after loop_wait
    }

    /** What the REST API may ask of this daemon. */
    public NodeControl control() {
        return requests;
    }

    /** Ends the current nap at once (called from ZooKeeper, REST and long-action threads). */
    public void wakeup() {
        waker.wake();
    }

    /** The latest published snapshot, or null before the first cycle. */
    public StatusSnapshot snapshot() {
        return snapshot.get();
    }

    public DecisionLog decisions() {
        return decisions;
    }

    /** The dynamic config in force (the DCS's once read, else bootstrap.dcs). */
    public DynamicConfig dynamicConfig() {
        return dynamic;
    }

    /** Runs cycles until {@link #stop()} is called. */
    public void run() {
        while (!stopping) {
            long started = System.currentTimeMillis();
            long napMs;
            try {
                napMs = cycle();
            } catch (RuntimeException e) {
                mayHoldLock = true;
                log.error("[{}] unexpected error in HA cycle", config.name(), e);
                napMs = RETRY_AFTER_FAILURE_MS;
            }
            long elapsed = System.currentTimeMillis() - started;
            lastCycleSec = elapsed / 1000.0;
            if (elapsed > dynamic.loopWait() * 1000L) {
                log.warn("[{}] Loop time exceeded ({} ms), rescheduling immediately", config.name(), elapsed);
            }
            if (napMs > 0) {
                heapTrim.maybeTrim(System.currentTimeMillis());
            }
            try {
                if (napMs > 0 && !stopping) {
                    waker.await(napMs);
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }

    /** Runs one cycle; returns how long to nap before the next. */
    long cycle() {
        long now = System.currentTimeMillis();
        Cluster cluster = null;
        String dcsError = null;
        long readStart = System.nanoTime();
        try {
            cluster = dcs.read();
            lastDcsReadSec = (System.nanoTime() - readStart) / 1e9;
            lastCluster = cluster;
            dcsLastSeenMs = now;
        } catch (DcsException e) {
            dcsError = e.getMessage();
        }
        applyDynamicConfig(cluster);
        LocalState local = db.probe();
        LongActionStatus la = longActions.status();
        Map<String, PeerStatus> peers = Map.of();
        if (cluster != null && local.isRunning() && !la.isRunning() && needsPeers(cluster, now)) {
            List<Member> others = new ArrayList<>();
            for (Member m : cluster.members()) {
                if (!m.name().equals(config.name())) {
                    others.add(m);
                }
            }
            peers = prober.probe(others);
            peers.values().stream().filter(p -> !p.reachable()).forEach(p -> log.debug(
                    "[{}] member {} is unreachable: {}", config.name(), p.name(), p.error()));
        }
        List<HistoryEntry> localHistory = null;
        if (cluster != null && local.isRunningPrimary() && local.timeline() != null && !la.isRunning()
                && cluster.leader() != null && cluster.leader().name().equals(config.name())
                && !Timelines.historyCovers(cluster.history(), local.timeline())) {
            try {
                localHistory = db.timelineHistory();
            } catch (DbException e) {
                log.warn("[{}] {}", config.name(), e.getMessage());
            }
        }
        ClusterView view = new ClusterView(config.name(), cluster, dcsError, dcs.sessionId(), local, dynamic, peers, la,
                config.tags(), config.bootstrap().dcs(), now, localHistory, watchdog.isHealthy(), db.canRewind(),
                failsafe(cluster, local));

        HaDecider.Step step = HaDecider.decide(view, memory);
        memory = step.memory();
        Decision decision = step.decision();
        publishEarly(local, view.holdsLock());
        Outcome outcome = executor.execute(decision, view);
        // logged after acting, so the sentence states what happened, not what was attempted
        String kind = outcome.ok() ? decision.kind() : decision.kind() + "Failed";
        String sentence = outcome.ok() ? decision.describe() : outcome.message();
        int repeatsBefore = decisions.lastRepeats();
        boolean changed = decisions.record(now, kind, sentence, view::facts);
        if (changed) {
            String line = (dynamic.pause() && !sentence.startsWith("PAUSE: ") ? "PAUSE: " : "") + sentence
                    + (repeatsBefore > 0 ? " (previous decision repeated " + repeatsBefore + " times)" : "");
            if (outcome.ok()) {
                log.info("[{}] {}", config.name(), line);
            } else {
                log.warn("[{}] {}", config.name(), line);
            }
        }
        if (decision.changesState()) {
            local = db.probe();
        }
        boolean holdsLock = holdsLockAfter(view, decision, outcome);
        mayHoldLock = mayHoldLockAfter(mayHoldLock, view.dcsOk(), holdsLock, decision, outcome);
        publish(view, local, holdsLock);
        requests.runDueRestart(System.currentTimeMillis());
        if (!outcome.ok()) {
            return RETRY_AFTER_FAILURE_MS;
        }
        // A new state-changing decision is followed at once by a fresh look (promoted → lead, demoted →
        // rewind); the same one again waits a full loop, so a step that cannot take effect never spins.
        if (decision.changesState() && changed) {
            return 0;
        }
        long nap = dynamic.loopWait() * 1000L;
        if (decision.pollSoon()) {
            nap = Math.min(nap, decision.pollSoonMs());
        }
        long nowMs = System.currentTimeMillis();
        nap = Math.min(nap, Math.max(0, requests.nextScheduledRestartMs() - nowMs));
        return napUntilScheduled(cluster, nap, now, nowMs);
    }

    /**
     * Failsafe facts: the last known {@code failsafe} key, and — only when the DCS read failed on a
     * running primary in failsafe mode — which of its other members accept us ({@code POST /failsafe}).
     */
    private ClusterView.Failsafe failsafe(Cluster cluster, LocalState local) {
        Map<String, String> members = lastCluster == null ? Map.of() : lastCluster.failsafe();
        if (cluster != null || !dynamic.failsafeMode() || !local.isRunningPrimary() || members.isEmpty()) {
            return new ClusterView.Failsafe(members, Map.of());
        }
        Map<String, String> others = new java.util.TreeMap<>(members);
        others.remove(config.name());
        Map<String, String> me = new java.util.LinkedHashMap<>();
        me.put("name", config.name());
        me.put("conn_url", config.postgresql().connUrl());
        me.put("api_url", apiUrl());
        return new ClusterView.Failsafe(members, prober.postFailsafe(others, me));
    }

    /**
     * Peers' status is fetched only when a decision depends on it: the leader race (no leader, unless
     * we are the named switchover candidate), or a leader with a switchover request that is due.
     */
    private boolean needsPeers(Cluster cluster, long now) {
        if (cluster.leader() == null) {
            return LeaderRace.consultsPeers(cluster, config.name());
        }
        Failover f = cluster.failover();
        return cluster.leader().name().equals(config.name()) && !f.isEmpty()
                && (f.scheduledAt() == null || f.scheduledAt().toInstant().toEpochMilli() <= now);
    }

    /** A scheduled switchover the cycle (deciding at {@code decidedAt}) saw as not yet due is looked at when due. */
    static long napUntilScheduled(Cluster cluster, long napMs, long decidedAt, long now) {
        if (cluster == null || cluster.failover().scheduledAt() == null) {
            return napMs;
        }
        long at = cluster.failover().scheduledAt().toInstant().toEpochMilli();
        return at > decidedAt ? Math.min(napMs, Math.max(0, at - now)) : napMs;
    }

    private void applyDynamicConfig(Cluster cluster) {
        if (cluster == null || cluster.config() == null || cluster.config().value().isEmpty()) {
            if (appliedConfigMzxid == -1) {
                appliedConfigMzxid = 0;
                applyToDatabase(bootstrapConfig);
            }
            return;
        }
        if (cluster.config().mzxid() == appliedConfigMzxid) {
            return;
        }
        DynamicConfig next = DynamicConfig.fromMap(cluster.config().value(), config.raw().get("postgresql"));
        next.warnings().forEach(w -> log.warn("[{}] {}", config.name(), w));
        if (next.ttl() != dynamic.ttl() || next.loopWait() != dynamic.loopWait()
                || next.retryTimeout() != dynamic.retryTimeout()) {
            dcs.reconfigure(next.ttl(), next.loopWait(), next.retryTimeout());
        }
        dynamic = next;
        appliedConfigMzxid = cluster.config().mzxid();
        applyToDatabase(next);
    }

    private void applyToDatabase(DynamicConfig dc) {
        try {
            db.applyDynamicConfig(dc);
        } catch (DbException e) {
            log.warn("[{}] could not apply the dynamic configuration: {}", config.name(), e.getMessage());
        }
    }

    /** Whether we hold the lock after acting: the view's answer, changed by a lock decision that succeeded. */
    static boolean holdsLockAfter(ClusterView view, Decision decision, Outcome outcome) {
        if (!outcome.ok()) {
            return view.holdsLock();
        }
        if (decision instanceof Decision.AcquireLock || decision instanceof Decision.FailsafeLead) {
            return true;
        }
        if (decision instanceof Decision.ReleaseLock || (decision instanceof Decision.Demote d
                && (d.mode() == Decision.DemoteMode.IMMEDIATE || d.mode() == Decision.DemoteMode.GRACEFUL))) {
            return false;
        }
        return view.holdsLock();
    }

    /**
     * Whether the leader key may be ours, for the release on shutdown: yes while we hold it, after a lock
     * attempt whose result is unknown, and, while the DCS cannot be read, whatever we knew before. A member
     * that knows it does not hold the key skips the release, which would wait retry_timeout for an
     * unreachable DCS (Patroni releases only when it has the lock).
     */
    static boolean mayHoldLockAfter(boolean before, boolean dcsOk, boolean holdsLock, Decision decision,
            Outcome outcome) {
        if (holdsLock) {
            return true;
        }
        if (!outcome.ok() && (decision instanceof Decision.AcquireLock || decision instanceof Decision.FailsafeLead)) {
            return true;
        }
        return !dcsOk && before;
    }

    private void publish(ClusterView view, LocalState local, boolean holdsLock) {
        // the watchdog is armed and fed while we hold the lock; the VIP lives only on the lock holder
        // that runs PostgreSQL as primary (reconciled every cycle: re-added if missing, removed if not ours)
        if (holdsLock) {
            if (watchdog.activate(dynamic.ttl(), dynamic.loopWait())) {
                watchdog.keepalive();
            }
        } else if (watchdog.isActive()) {
            watchdog.disable();
        }
        boolean vipHeld = vip.reconcile(holdsLock && local.isRunningPrimary());
        if (view.dcsOk()) {
            try {
                dcs.touchMember(memberData(local));
                if (holdsLock && local.isRunningPrimary() && local.walPosition() != null) {
                    dcs.writeStatus(new ClusterStatus(local.walPosition(), Map.of()));
                }
            } catch (DcsException e) {
                log.warn("[{}] could not publish the member key: {}", config.name(), e.getMessage());
            }
        }
        boolean failsafeActive = !view.dcsOk() && (holdsLock
                || requests.failsafeActive(System.currentTimeMillis(), dynamic.ttl() * 1000L));
        setSnapshot(local, holdsLock, new StatusSnapshot.LoopStats(lastCycleSec, lastDcsReadSec,
                vipHeld, watchdog.isActive(), !watchdog.isHealthy(), failsafeActive));
    }

    /**
     * Publishes the status at once, before acting, when PostgreSQL's state changed since the last
     * status: members woken by what we are about to do (release the lock after a crash, say) ask our
     * REST API at once, and must not see the running primary of the previous cycle.
     */
    private void publishEarly(LocalState local, boolean holdsLock) {
        StatusSnapshot prev = snapshot.get();
        if (prev == null || postgresChanged(prev.local(), local)) {
            setSnapshot(local, holdsLock, prev == null ? StatusSnapshot.LoopStats.NONE : prev.stats());
        }
    }

    /** PostgreSQL's state as peers read it from our status: its state, running or not, primary or not. */
    static boolean postgresChanged(LocalState before, LocalState now) {
        return before.state() != now.state() || before.isRunning() != now.isRunning()
                || before.inRecovery() != now.inRecovery();
    }

    private void setSnapshot(LocalState local, boolean holdsLock, StatusSnapshot.LoopStats stats) {
        long now = System.currentTimeMillis();
        snapshot.set(new StatusSnapshot(config.scope(), config.name(), Version.VERSION, local, holdsLock,
                holdsLock ? now + dynamic.ttl() * 1000L : 0, lastCluster, dcsLastSeenMs, dynamic, config.tags(),
                local.systemId(), now + dynamic.loopWait() * 1000L, now, stats));
    }

    MemberData memberData(LocalState local) {
        Role role;
        if (local.isRunningPrimary()) {
            role = Role.PRIMARY;
        } else if (local.dataDirEmpty()) {
            role = Role.UNINITIALIZED;
        } else {
            role = Role.REPLICA;
        }
        PgState state = local.dataDirEmpty() && longActions.status().isRunning()
                ? ("clone".equals(longActions.status().running()) ? PgState.CREATING_REPLICA : PgState.INITIALIZING)
                : local.state();
        boolean running = local.isRunning();
        Map<String, Object> restart = requests.scheduledRestart().map(r -> {
            // the member key also carries the postmaster start time (patronictl flush/list -e read it)
            Map<String, Object> m = new LinkedHashMap<>(StatusDocument.scheduledRestart(r));
            if (local.postmasterStartTime() != null) {
                m.put("postmaster_start_time", local.postmasterStartTime());
            }
            return m;
        }).orElse(null);
        return new MemberData(config.postgresql().connUrl(), apiUrl(), state, role, Version.VERSION,
                effectiveTags(), running ? local.walPosition() : null, running ? local.timeline() : null,
                dynamic.pause(), restart,
                role == Role.PRIMARY && db.checkpointAfterPromotePending() ? Boolean.FALSE : null);
    }

    private String apiUrl() {
        return "http://" + config.restapi().connectAddress() + "/patroni";
    }

    /** Tags as published: boolean tags that are false are dropped (Patroni). */
    private Map<String, Object> effectiveTags() {
        Map<String, Object> out = new LinkedHashMap<>();
        config.tags().forEach((k, v) -> {
            if (!(v instanceof Boolean b) || b) {
                out.put(k, v);
            }
        });
        return out;
    }

    /**
     * Stops the loop and shuts down like Patroni: stop PostgreSQL (unless paused), then give up the
     * lock, so that no two members can accept writes; the member key vanishes with the session.
     */
    public void stop() {
        stopping = true;
        wakeup();
    }

    public boolean isStopping() {
        return stopping;
    }

    /** Called after {@link #run()} returned: the clean-shutdown sequence. */
    public void shutdown() {
        longActions.close();
        if (!dynamic.pause()) {
            try {
                db.stop(StopMode.FAST, dynamic.synchronousMode() ? dynamic.primaryStopTimeout() : 0);
            } catch (DbException e) {
                log.error("[{}] could not stop PostgreSQL on shutdown: {}", config.name(), e.getMessage());
            }
            vip.release();
            watchdog.disable();
            if (callbacks != null) {
                callbacks.call(CallbackAction.ON_STOP, "master".equals(lastRole()) ? "master" : "replica");
            }
            if (mayHoldLock) {
                try {
                    dcs.releaseLeader();
                } catch (DcsException e) {
                    log.warn("[{}] could not release the leader key on shutdown: {}", config.name(), e.getMessage());
                }
            }
        }
        vip.release();
        watchdog.disable();
        if (callbacks != null) {
            try {
                callbacks.awaitIdle(java.time.Duration.ofSeconds(10));
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            callbacks.close();
        }
        db.close();
        dcs.close();
    }


    private String lastRole() {
        StatusSnapshot s = snapshot.get();
        return s != null && s.local() != null && s.local().isRunningPrimary() ? "master" : "replica";
    }
}
