package io.has.action;

import io.has.callback.CallbackAction;
import io.has.callback.CallbackRunner;
import io.has.cluster.Failover;
import io.has.cluster.SyncState;
import io.has.db.DbException;
import io.has.db.LocalDatabase;
import io.has.db.LocalState;
import io.has.db.StopMode;
import io.has.db.Upstream;
import io.has.dcs.Dcs;
import io.has.dcs.DcsException;
import io.has.ha.ClusterView;
import io.has.ha.Decision;
import io.has.ha.HaDecider;
import io.has.ha.SyncPlanner;
import io.has.vip.NullVip;
import io.has.vip.Vip;
import io.has.watchdog.NullWatchdog;
import io.has.watchdog.Watchdog;
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
    private final SlotSyncCache slotsDone = new SlotSyncCache();
    private final SlotSyncCache standbySlotsDone = new SlotSyncCache();
    private String standbySlotsError;
    private final Vip vip;
    private final Watchdog watchdog;
    private final CallbackRunner callbacks;
    private final MemberPublisher memberKey;

    /** Writes this member's key for a given look at PostgreSQL, encoded as the HA loop encodes it. */
    @FunctionalInterface
    public interface MemberPublisher {
        void publish(LocalState local) throws DcsException;
    }

    public ActionExecutor(String member, Dcs dcs, LocalDatabase db, LongActionRunner longActions) {
        this(member, dcs, db, longActions, NullVip.INSTANCE, NullWatchdog.INSTANCE, null, local -> { });
    }


    public ActionExecutor(String member, Dcs dcs, LocalDatabase db, LongActionRunner longActions, Vip vip,
            Watchdog watchdog, CallbackRunner callbacks, MemberPublisher memberKey) {
        this.member = member;
        this.dcs = dcs;
        this.db = db;
        this.longActions = longActions;
        this.vip = vip;
        this.watchdog = watchdog;
        this.callbacks = callbacks;
        this.memberKey = memberKey;
    }


    /**
     * A running standby keeps a physical slot, reserving no WAL, for every other member
     * ({@link HaDecider#standbySlots}). When it is promoted they already exist: a member that followed it
     * before the new leader's first cycle created its slot was refused ("replication slot does not
     * exist") and tried again only after wal_retrieve_retry_interval (5 s), and with synchronous_mode
     * writes waited that long for it.
     * Best effort: a failure is logged when it changes and the next steady cycle tries again.
     */
    private void standbySlots(ClusterView view) {
        Set<String> wanted = HaDecider.standbySlots(view);
        if (wanted == null) {
            return;
        }
        String started = view.local().postmasterStartTime();
        if (standbySlotsDone.upToDate(started, wanted)) {
            return;
        }
        try {
            standbySlotsDone.synced(started, wanted, db.syncStandbySlots(wanted));
            standbySlotsError = null;
        } catch (DbException e) {
            standbySlotsDone.clear();
            if (!java.util.Objects.equals(e.getMessage(), standbySlotsError)) {
                log.warn("[{}] could not keep the standby's replication slots: {}", member, e.getMessage());
            }
            standbySlotsError = e.getMessage();
        }
    }

    private void callback(CallbackAction action, String role) {
        if (callbacks != null) {
            callbacks.call(action, role);
        }
    }

    public Outcome execute(Decision decision, ClusterView view) {
        try {
            Outcome o = perform(decision, view);
            if (decision instanceof Decision.NoAction) {
                standbySlots(view);
            }
            return o;
        } catch (DcsException | DbException e) {
            return Outcome.failed(decision.kind() + " failed: " + e.getMessage());
        } catch (RuntimeException e) {
            log.error("[{}] unexpected error while performing {}", member, decision.kind(), e);
            return Outcome.failed(decision.kind() + " failed: " + e);
        }
    }

    private Outcome perform(Decision decision, ClusterView view) throws DcsException, DbException {
        if (decision instanceof Decision.NoAction || decision instanceof Decision.WaitLongAction
                || decision instanceof Decision.FailsafeLead || decision instanceof Decision.BriefWait) {
            return Outcome.DONE;
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
                callback(CallbackAction.ON_START, s.standby() ? "replica" : "master");
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
                return promote(a.sync(), view);
            }
            return Outcome.DONE;
        }
        if (decision instanceof Decision.Promote p) {
            return promote(p.sync(), view);
        }
        if (decision instanceof Decision.Lead l) {
            lead(l, view);
            return Outcome.DONE;
        }
        if (decision instanceof Decision.Demote d) {
            demote(d.mode(), d.killAfterSeconds());
            return Outcome.DONE;
        }
        if (decision instanceof Decision.ClearFailover cf) {
            if (!dcs.setFailover(Failover.NONE, cf.version())) {
                return Outcome.failed("could not clear the failover key: it changed meanwhile");
            }
            return Outcome.DONE;
        }
        if (decision instanceof Decision.ReleaseLock) {
            vip.release();
            watchdog.disable();
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

    /**
     * initdb, start, then publish the system id, the config, our member key and take the lock — in that
     * order. The member key goes out before the lock: the other members wake on the new leader key and
     * clone only from a leader whose key says running; written by the next cycle instead, it would
     * still say initializing then, and they would look again only after half a second.
     */
    private void bootstrap(Map<String, Object> bootstrapDcs) throws Exception {
        try {
            db.bootstrap();
            LocalState running = db.probe();
            String sysid = running.systemId();
            if (sysid == null) {
                throw new DbException("bootstrap finished but the system identifier cannot be read");
            }
            dcs.initialize(sysid, false);
            dcs.setConfig(bootstrapDcs, -1);
            try {
                memberKey.publish(running);
            } catch (DcsException e) { // best effort: the next cycle writes it again
                log.warn("[{}] could not publish the member key: {}", member, e.getMessage());
            }
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

    private Outcome promote(Decision.PromoteSync sync, ClusterView view) throws DbException, DcsException {
        // arm the watchdog and ask pre_promote first; either failing gives the lock back
        if (!watchdog.activate(view.config().ttl(), view.config().loopWait())) {
            dcs.releaseLeader();
            return Outcome.failed("Not promoting self because watchdog could not be activated");
        }
        if (callbacks != null && !callbacks.prePromote()) {
            watchdog.disable();
            dcs.releaseLeader();
            return Outcome.failed("Not promoting self because the pre_promote script failed");
        }
        if (sync != null) {
            if (!dcs.setSync(new SyncState(member, List.of(), sync.version()), sync.version())) {
                return Outcome.failed("Postponing promotion because synchronous replication state was updated by"
                        + " somebody else");
            }
            db.setSynchronousStandbys(sync.strict() ? null : List.of(), 1);
        }
        db.promote();
        callback(CallbackAction.ON_ROLE_CHANGE, "master");
        return Outcome.DONE;
    }

    private void lead(Decision.Lead l, ClusterView view) throws DcsException, DbException {
        if (l.writeInitialize() != null) {
            dcs.initialize(l.writeInitialize(), false);
        }
        if (l.writeConfig() != null) {
            dcs.setConfig(l.writeConfig(), -1);
        }
        if (l.history() != null) {
            dcs.writeHistory(l.history());
        }
        if (l.sync() != null) {
            applySync(l.sync());
        }
        if (l.writeFailsafe() != null) {
            dcs.writeFailsafe(l.writeFailsafe());
        }
        db.ensureCheckpointAfterPromote();
        String started = view.local().postmasterStartTime();
        if (l.slots() != null && !slotsDone.upToDate(started, l.slots())) {
            slotsDone.synced(started, l.slots(), db.syncReplicationSlots(l.slots()));
        }
    }

    /**
     * The sync key protocol: narrow the key, then set synchronous_standby_names, then widen the key
     * to what PostgreSQL confirmed. A lost compare-and-set stops here; the next cycle plans again.
     */
    private void applySync(SyncPlanner.Plan plan) throws DcsException, DbException {
        int version = -2;
        if (plan.keyBefore() != null) {
            SyncState k = plan.keyBefore();
            if (!dcs.setSync(k, k.version())) {
                throw new DcsException("Synchronous replication key updated by someone else");
            }
            version = k.version() + 1;
        }
        db.setSynchronousStandbys(plan.names(), plan.count());
        if (plan.keyAfter() != null) {
            SyncState k = plan.keyAfter();
            int v = version == -2 ? k.version() : version;
            if (!dcs.setSync(k, v)) {
                throw new DcsException("Synchronous replication key updated by someone else");
            }
            log.info("[{}] Synchronous standby status assigned to {}", member, k.syncStandby());
        }
    }

    private void demote(Decision.DemoteMode mode, int killAfterSeconds) throws DbException, DcsException {
        slotsDone.clear();
        vip.release();
        watchdog.disable();
        switch (mode) {
            case GRACEFUL -> {
                // a clean shutdown sends every WAL record to the standbys before the lock is given up
                db.stop(StopMode.FAST, killAfterSeconds);
                dcs.releaseLeader();
            }
            case OFFLINE -> db.stop(StopMode.FAST);
            case IMMEDIATE_NOLOCK -> db.stop(StopMode.IMMEDIATE);
            case IMMEDIATE -> {
                db.stop(StopMode.IMMEDIATE);
                dcs.releaseLeader();
            }
        }
        callback(CallbackAction.ON_ROLE_CHANGE, "replica");
    }
}
