package io.has.api;

import io.has.dcs.Dcs;
import io.has.ha.DecisionLog;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

/**
 * A {@link NodeControl} for tests: the DCS is a real {@link io.has.dcs.zk.ZooKeeperDcs} on a Curator
 * TestingServer; restart and reinitialize answer with canned results; {@link #onWakeup} stands in for the
 * HA loop acting on a request.
 */
public final class TestControl implements NodeControl {

    public final AtomicInteger wakeups = new AtomicInteger();
    public final AtomicInteger reloads = new AtomicInteger();
    public final AtomicReference<ActionResult> restartResult = new AtomicReference<>(new ActionResult(200, "restarted successfully"));
    public final AtomicReference<ActionResult> reinitResult = new AtomicReference<>(new ActionResult(200, "reinitialize started"));
    public final AtomicReference<RestartRequest> lastRestart = new AtomicReference<>();
    public final AtomicReference<Boolean> lastReinitForce = new AtomicReference<>();
    public final AtomicReference<ScheduledRestart> scheduled = new AtomicReference<>();
    public final AtomicReference<Runnable> onWakeup = new AtomicReference<>(() -> { });
    public final DecisionLog log = new DecisionLog(100);
    private final Dcs dcs;

    public TestControl(Dcs dcs) {
        this.dcs = dcs;
    }

    @Override
    public void wakeup() {
        wakeups.incrementAndGet();
        onWakeup.get().run();
    }

    @Override
    public Dcs dcs() {
        return dcs;
    }

    @Override
    public List<DecisionLog.Entry> decisions() {
        return new ArrayList<>(log.entries());
    }

    @Override
    public CompletableFuture<ActionResult> restart(RestartRequest request) {
        lastRestart.set(request);
        return CompletableFuture.completedFuture(restartResult.get());
    }

    @Override
    public boolean scheduleRestart(RestartRequest request, OffsetDateTime at) {
        return scheduled.compareAndSet(null, new ScheduledRestart(at, request));
    }

    @Override
    public boolean cancelScheduledRestart() {
        return scheduled.getAndSet(null) != null;
    }

    @Override
    public Optional<ScheduledRestart> scheduledRestart() {
        return Optional.ofNullable(scheduled.get());
    }

    @Override
    public CompletableFuture<ActionResult> reinitialize(boolean force) {
        lastReinitForce.set(force);
        return CompletableFuture.completedFuture(reinitResult.get());
    }

    @Override
    public void reload() {
        reloads.incrementAndGet();
    }

    @Override
    public ActionResult acceptFailsafe(String name, String connUrl, String apiUrl) {
        failsafeRequests.add(name);
        return new ActionResult(200, "Accepted");
    }

    final java.util.List<String> failsafeRequests = new java.util.concurrent.CopyOnWriteArrayList<>();
}
