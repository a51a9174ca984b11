package io.has.db;

import io.has.config.HasConfig;
import java.io.IOException;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Promotes the local standby: the signal (over the probe connection where the dialect promotes by SQL,
 * else its command), the wait for the end of recovery with the signal repeated while it lasts, the
 * standby files removed, and the checkpoint after it started beside the caller ({@link PromoteCheckpoint}).
 */
final class Promotion {

    private static final Logger log = LoggerFactory.getLogger(Promotion.class);
    /** How long a promotion may take before it is signalled again ({@link #nudge}); doubles up to 5 s. */
    private static final long NUDGE_NS = TimeUnit.MILLISECONDS.toNanos(300);
    private static final long MAX_NUDGE_NS = TimeUnit.SECONDS.toNanos(5);

    private final String who;
    private final Dialect dialect;
    private final ServerPaths paths;
    private final int timeoutSeconds;
    private final LocalConnector connector;
    private final ServerProbe prober;
    private final ServerControl control;
    private final ServerConfigurator configurator;
    private final PromoteCheckpoint checkpoint;

    /** @param pg its {@code pg_ctl_timeout} bounds the promotion and the checkpoint after it */
    Promotion(String who, Dialect dialect, ServerPaths paths, HasConfig.Postgresql pg, LocalConnector connector,
            ServerProbe prober, ServerControl control, ServerConfigurator configurator) {
        this.who = who;
        this.dialect = dialect;
        this.paths = paths;
        this.timeoutSeconds = pg.pgCtlTimeout();
        this.connector = connector;
        this.prober = prober;
        this.control = control;
        this.configurator = configurator;
        this.checkpoint = new PromoteCheckpoint(who, this::checkpointAfterPromote);
    }

    /** The checkpoint after the last promotion. */
    PromoteCheckpoint checkpoint() {
        return checkpoint;
    }

    /** See {@link LocalDatabase#promote()}. */
    void promote() throws DbException {
        if (!control.postmasterAlive()) {
            throw new DbException("cannot promote: the server is not running");
        }
        int t = timeoutSeconds;
        // whether the dialect has a command does not depend on the timeline it is given
        boolean bySql = dialect.promoteCommand(paths.dataDir(), t, 1).isEmpty();
        if (bySql && !signal()) {
            return;
        }
        try (Connection c = connector.openAction(t)) {
            if (!bySql) {
                if (!inRecovery(dialect, c)) {
                    log.debug("{} promote: already primary", who);
                    return;
                }
                log.info("{} promoting", who);
                Integer tl = prober.probe(null).timeline();
                control.runOk("promote", dialect.promoteCommand(paths.dataDir(), t, tl == null ? 1 : tl + 1),
                        Duration.ofSeconds(t + 15L), Map.of());
            }
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(t);
            long every = NUDGE_NS;
            long next = System.nanoTime() + every;
            while (inRecovery(dialect, c)) {
                if (System.nanoTime() > deadline) {
                    throw new DbException("still in recovery " + t + " s after promotion");
                }
                if (bySql && System.nanoTime() - next > 0) {
                    nudge(c, every == NUDGE_NS);
                    every = Math.min(2 * every, MAX_NUDGE_NS); // a long replay: less often
                    next = System.nanoTime() + every;
                }
                pause(20);
            }
            configurator.writeStandby(new ServerConfigurator.Role(false, null));
            // the old primary's rewind reads our new timeline from pg_control: checkpoint, beside the loop
            checkpoint.start();
            log.info("{} promoted", who);
        } catch (SQLException | IOException e) {
            throw new DbException("promote failed: " + e.getMessage(), e);
        }
    }

    /** True while the server replays WAL ({@code pg_is_in_recovery()}). */
    static boolean inRecovery(Dialect dialect, Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(dialect.sql("is_in_recovery"))) {
            return rs.next() && rs.getBoolean(1);
        }
    }

    /**
     * Asks a standby to promote over the probe connection, which is open already: the signal does not
     * wait for a new connection. Returns false when the server is a primary already.
     */
    private boolean signal() throws DbException {
        try {
            return prober.call(c -> {
                if (!inRecovery(dialect, c)) {
                    log.debug("{} promote: already primary", who);
                    return false;
                }
                log.info("{} promoting", who);
                sendSignal(c);
                return true;
            });
        } catch (SQLException e) {
            throw new DbException("promote failed: " + e.getMessage(), e);
        }
    }

    /**
     * Signals the promotion again. The startup process notices a promotion while it waits for WAL; when
     * that wait was for a WAL receiver still connecting, it counts as a failed attempt to stream and it
     * sleeps out what is left of wal_retrieve_retry_interval (5 s) since its last attempt before it looks
     * at the request — with synchronous_mode, the reload of synchronous_standby_names just before the
     * promotion starts such an attempt. Each signal ends that sleep.
     */
    private void nudge(Connection c, boolean first) throws SQLException {
        if (first) {
            log.info("{} still in recovery: signalling the promotion again", who);
        }
        try {
            sendSignal(c);
        } catch (SQLException e) {
            if (inRecovery(dialect, c)) {
                throw e;
            }
            // it ended recovery in between: pg_promote says "recovery is not in progress"
        }
    }

    private void sendSignal(Connection c) throws SQLException {
        try (Statement st = c.createStatement(); ResultSet rs = st.executeQuery(dialect.sql("promote_signal"))) {
            if (!rs.next() || !rs.getBoolean(1)) {
                throw new SQLException("the server did not take the promotion signal");
            }
        }
    }

    private void checkpointAfterPromote() throws SQLException {
        try (Connection c = connector.openAction(timeoutSeconds); Statement st = c.createStatement()) {
            st.execute(dialect.sql("checkpoint"));
        }
    }

    /** Waits between polls of the server inside a deadline loop. */
    private static void pause(long millis) throws DbException {
        try {
            TimeUnit.MILLISECONDS.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new DbException("interrupted while waiting for the server", e);
        }
    }
}
