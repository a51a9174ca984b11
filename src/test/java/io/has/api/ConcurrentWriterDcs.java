package io.has.api;

import io.has.cluster.Cluster;
import io.has.cluster.ClusterStatus;
import io.has.cluster.Failover;
import io.has.cluster.HistoryEntry;
import io.has.cluster.MemberData;
import io.has.cluster.SyncState;
import io.has.dcs.Dcs;
import io.has.dcs.DcsException;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A real {@link Dcs} whose {@link #read()} is followed at once by another session writing
 * {@code config} (ttl 99): the deterministic way to make the reader's compare-and-set lose.
 */
final class ConcurrentWriterDcs implements Dcs {

    private final Dcs delegate;
    private final Dcs other;

    ConcurrentWriterDcs(Dcs delegate, Dcs other) {
        this.delegate = delegate;
        this.other = other;
    }

    @Override
    public Cluster read() throws DcsException {
        Cluster c = delegate.read();
        Map<String, Object> changed = new LinkedHashMap<>(c.config().value());
        changed.put("ttl", 99);
        other.setConfig(changed, c.config().version());
        return c;
    }

    @Override public void start(Runnable wakeup) throws DcsException { delegate.start(wakeup); }
    @Override public long sessionId() { return delegate.sessionId(); }
    @Override public boolean isConnected() { return delegate.isConnected(); }
    @Override public void reconfigure(int ttl, int loopWait, int retryTimeout) { delegate.reconfigure(ttl, loopWait, retryTimeout); }
    @Override public boolean attemptToAcquireLeader() throws DcsException { return delegate.attemptToAcquireLeader(); }
    @Override public boolean updateLeader() throws DcsException { return delegate.updateLeader(); }
    @Override public void releaseLeader() throws DcsException { delegate.releaseLeader(); }
    @Override public boolean initialize(String value, boolean create) throws DcsException { return delegate.initialize(value, create); }
    @Override public void cancelInitialization() throws DcsException { delegate.cancelInitialization(); }
    @Override public boolean setConfig(Map<String, Object> value, int version) throws DcsException { return delegate.setConfig(value, version); }
    @Override public void touchMember(MemberData data) throws DcsException { delegate.touchMember(data); }
    @Override public void writeStatus(ClusterStatus status) throws DcsException { delegate.writeStatus(status); }
    @Override public void writeHistory(List<HistoryEntry> history) throws DcsException { delegate.writeHistory(history); }
    @Override public void writeFailsafe(java.util.Map<String, String> failsafe) throws DcsException { delegate.writeFailsafe(failsafe); }
    @Override public boolean setFailover(Failover failover, int version) throws DcsException { return delegate.setFailover(failover, version); }
    @Override public boolean setSync(SyncState sync, int version) throws DcsException { return delegate.setSync(sync, version); }
    @Override public void deleteCluster() throws DcsException { delegate.deleteCluster(); }
    @Override public void close() { }
}
