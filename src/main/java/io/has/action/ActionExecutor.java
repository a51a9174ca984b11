package io.has.action;

import io.has.callback.CallbackAction; // appliance-wiring
import io.has.callback.CallbackRunner; // appliance-wiring
import io.has.cluster.Failover;
import io.has.cluster.HistoryEntry;
import io.has.db.DbException;
import io.has.db.LocalDatabase;
import io.has.db.StopMode;
import io.has.db.Upstream;
import io.has.dcs.Dcs;
import io.has.dcs.DcsException;
import io.has.ha.ClusterView;
import io.has.ha.Decision;
import io.has.vip.NullVip; // appliance-wiring
import io.has.vip.Vip; // appliance-wiring
import io.has.watchdog.NullWatchdog; // appliance-wiring
import io.has.watchdog.Watchdog; // appliance-wiring
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Performs decisions. Every action is idempotent — it can be repeated until it succeeds — and a
 * failure is reported as a failed {@link Outcome}, never retried within the same cycle (the next
 * cycle decides again). Long actions go to the single-slot {@link LongActionRunner}.
 */
public final class ActionExecutor {

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final String member;
    private final Dcs dcs;
    private final LocalDatabase db;
    private final LongActionRunner longActions;
    private Set<String> slotsDone;
    private final Vip vip; // appliance-wiring
    private final Watchdog watchdog; // appliance-wiring
    private final CallbackRunner callbacks; // appliance-wiring

    public ActionExecutor(String member, Dcs dcs, LocalDatabase db, LongActionRunner longActions) {
        this(member, dcs, db, longActions, NullVip.INSTANCE, NullWatchdog.INSTANCE, null); // appliance-wiring
    }

    // appliance-wiring: the VIP, watchdog and user scripts around promote/demote/release
    public ActionExecutor(String member, Dcs dcs, LocalDatabase db, LongActionRunner longActions, Vip vip,
            Watchdog watchdog, CallbackRunner callbacks) {
        this.member = member;
        this.dcs = dcs;
        this.db = db;
        this.longActions = longActions;
        this.vip = vip;
        this.watchdog = watchdog;
        this.callbacks = callbacks;
    }

    // appliance-wiring
    private void callback(CallbackAction action, String role) {
        if (callbacks != null) {
            callbacks.call(action, role);
        }
    }

    public Outcome execute(Decision decision, ClusterView view) {
        try {
            return perform(decision, view);
        } catch (DcsException | DbException e) {
            return Outcome.failed(decision.kind() + " failed: " + e.getMessage());
        } catch (RuntimeException e) {
            log.error("[{}] unexpected error while performing {}", member, decision.kind(), e);
            return Outcome.failed(decision.kind() + " failed: " + e);
        }
    }

    private Outcome perform(Decision decision, ClusterView view) throws DcsException, DbException {
        if (decision instanceof Decision.NoAction || decision instanceof Decision.WaitLongAction) {
            return Outcome.DONE;
        }
        if ((decision instanceof Decision.BootstrapCluster || decision instanceof Decision.AcquireLock)
                && !watchdog.isHealthy()) { // appliance-wiring (belongs in HaDecider via ClusterView)
            return Outcome.failed("not taking the leader lock: watchdog is required but not usable");
        }
        if (decision instanceof Decision.BootstrapCluster) {
            if (!dcs.initialize("", true)) {
                return Outcome.failed("failed to acquire initialize lock");
            }
            return submit("bootstrap", () -> bootstrap(view.bootstrapDcs()));
        }
        if (decision instanceof Decision.CloneReplica c) {
            return submit("clone", () -> {
                try {
                    db.createReplica(c.source());
                } catch (DbException e) {
                    db.removeDataDirectory();
                    throw e;
                }
                db.start(true, c.source());
            });
        }
        if (decision instanceof Decision.WriteInitialize w) {
            dcs.initialize(w.systemId(), true);
            return Outcome.DONE;
        }
        if (decision instanceof Decision.StartPostgres s) {
            return submit("starting", () -> {
                db.start(s.standby(), s.upstream());
                callback(CallbackAction.ON_START, s.standby() ? "replica" : "master"); // appliance-wiring
            });
        }
        if (decision instanceof Decision.Rewind r) {
            return submit("rewind", () -> {
                db.rewind(r.source());
                db.start(true, r.source());
            });
        }
        if (decision instanceof Decision.Reinitialize r) {
            return submit("reinitialize", () -> reinitialize(r.source()));
        }
        if (decision instanceof Decision.AcquireLock a) {
            if (!dcs.attemptToAcquireLeader()) {
                return Outcome.failed("failed to acquire the leader lock: another member won the race");
            }
            if (a.clearFailover()) {
                dcs.setFailover(Failover.NONE, -1);
            }
            if (a.promote()) {
                promote(a.history(), view); // appliance-wiring
            }
            return Outcome.DONE;
        }
        if (decision instanceof Decision.Promote p) {
            promote(p.history(), view); // appliance-wiring
            return Outcome.DONE;
        }
        if (decision instanceof Decision.Lead l) {
            lead(l);
            return Outcome.DONE;
        }
        if (decision instanceof Decision.Demote d) {
            demote(d.mode());
            return Outcome.DONE;
        }
        if (decision instanceof Decision.ClearFailover cf) {
            if (!dcs.setFailover(Failover.NONE, cf.version())) {
                return Outcome.failed("could not clear the failover key: it changed meanwhile");
            }
            return Outcome.DONE;
        }
        if (decision instanceof Decision.ReleaseLock) {
            vip.release(); // appliance-wiring
            watchdog.disable(); // appliance-wiring
            dcs.releaseLeader();
            return Outcome.DONE;
        }
        if (decision instanceof Decision.Follow f) {
            db.follow(f.upstream());
            return Outcome.DONE;
        }
        // a new Decision record without a branch here is a programming error
        throw new IllegalStateException("no action for decision " + decision.kind());
    }

    private Outcome submit(String name, LongActionRunner.Body body) {
        String busy = longActions.submit(name, body);
        return busy == null ? Outcome.DONE : Outcome.failed("Failed to run " + name + ", " + busy + " is already in progress");
    }

    /** initdb, start, then publish the system id, the config and take the lock — in that order. */
    private void bootstrap(Map<String, Object> bootstrapDcs) throws Exception {
        try {
            db.bootstrap();
            String sysid = db.probe().systemId();
            if (sysid == null) {
                throw new DbException("bootstrap finished but the system identifier cannot be read");
            }
            dcs.initialize(sysid, false);
            dcs.setConfig(bootstrapDcs, -1);
            if (!dcs.attemptToAcquireLeader()) {
                throw new DbException("bootstrap finished but another member holds the leader lock");
            }
            dcs.writeHistory(List.of());
        } catch (Exception e) {
            log.error("[{}] bootstrap failed, giving the initialize key back: {}", member, e.getMessage());
            try {
                db.stop(StopMode.IMMEDIATE);
                db.removeDataDirectory();
            } finally {
                dcs.cancelInitialization();
            }
            throw e;
        }
    }

    private void reinitialize(Upstream source) throws DbException {
        db.stop(StopMode.IMMEDIATE);
        db.removeDataDirectory();
        db.createReplica(source);
        db.start(true, source);
    }

    private void promote(List<HistoryEntry> history, ClusterView view) throws DbException, DcsException {
        // appliance-wiring: arm the watchdog and ask pre_promote first; either failing gives the lock back
        if (!watchdog.activate(view.config().ttl(), view.config().loopWait())) {
            dcs.releaseLeader();
            throw new DbException("Not promoting self because watchdog could not be activated");
        }
        if (callbacks != null && !callbacks.prePromote()) {
            watchdog.disable();
            dcs.releaseLeader();
            throw new DbException("Not promoting self because the pre_promote script failed");
        }
        db.promote();
        callback(CallbackAction.ON_ROLE_CHANGE, "master"); // appliance-wiring
        if (history != null) {
            dcs.writeHistory(history);
        }
    }

    private void lead(Decision.Lead l) throws DcsException, DbException {
        if (l.writeInitialize() != null) {
            dcs.initialize(l.writeInitialize(), false);
        }
        if (l.writeConfig() != null) {
            dcs.setConfig(l.writeConfig(), -1);
        }
        if (l.history() != null) {
            dcs.writeHistory(l.history());
        }
        if (l.slots() != null && !l.slots().equals(slotsDone)) {
            db.syncReplicationSlots(l.slots());
            slotsDone = Set.copyOf(l.slots());
        }
    }

    private void demote(Decision.DemoteMode mode) throws DbException, DcsException {
        slotsDone = null;
        vip.release(); // appliance-wiring: clients lose the old primary at once
        watchdog.disable(); // appliance-wiring
        switch (mode) {
            case GRACEFUL -> {
                // a clean shutdown sends every WAL record to the standbys before the lock is given up
                db.stop(StopMode.FAST);
                dcs.releaseLeader();
            }
            case OFFLINE -> db.stop(StopMode.FAST);
            case IMMEDIATE_NOLOCK -> db.stop(StopMode.IMMEDIATE);
            case IMMEDIATE -> {
                db.stop(StopMode.IMMEDIATE);
                dcs.releaseLeader();
            }
        }
        callback(CallbackAction.ON_ROLE_CHANGE, "replica"); // appliance-wiring
    }
}
