package io.has.daemon;

import io.has.api.RestServer;
import io.has.callback.CallbackRunner;
import io.has.config.DynamicConfig;
import io.has.config.HasConfig;
import io.has.config.LogSetup;
import io.has.db.DbException;
import io.has.db.Dialect;
import io.has.db.DialectResolver;
import io.has.db.LocalDatabase;
import io.has.db.PostgresDatabase;
import io.has.dcs.DcsException;
import io.has.dcs.zk.ZooKeeperDcs;
import io.has.ha.HaLoop;
import io.has.vip.Vip;
import io.has.vip.VipFactory;
import io.has.watchdog.Watchdog;
import io.has.watchdog.WatchdogFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires one daemon together. Start order: logging, database adapter, DCS client, HA loop, REST API,
 * DCS connection, then cycles; on SIGTERM the loop stops, PostgreSQL is stopped, the lock released,
 * and everything is closed in reverse order.
 */
public final class HasDaemon {

    private static final long DCS_CONNECT_RETRY_MS = 5000;

    private final Logger log = LoggerFactory.getLogger(getClass());
    private final HasConfig config;

    public HasDaemon(HasConfig config) {
        this.config = config;
    }

    /** Runs until SIGTERM; returns the exit code. */
    public int run() {
        LogSetup.apply(config.log(), config.name());
        log.info("[{}] starting HAS {} for cluster {} (ZooKeeper {}{})", config.name(), io.has.Version.VERSION,
                config.scope(), config.zookeeper().connectString(), config.basePath());
        DynamicConfig boot = DynamicConfig.fromMap(config.bootstrap().dcs());
        Dialect dialect;
        try {
            dialect = DialectResolver.forConfig(config);
        } catch (DbException e) {
            log.error("[{}] cannot use the database binaries in {}: {}", config.name(),
                    config.postgresql().binDir() == null ? "PATH" : config.postgresql().binDir(), e.getMessage());
            return 1;
        }
        LocalDatabase db = new PostgresDatabase(config, dialect, null);
        ZooKeeperDcs dcs = new ZooKeeperDcs(config.zookeeper().connectString(), config.basePath(), config.name(),
                boot.ttl(), boot.loopWait(), boot.retryTimeout());
        Vip vip;
        try {
            vip = VipFactory.create(config, System.getenv());
        } catch (IllegalArgumentException e) {
            log.error("[{}] invalid VIP settings: {}", config.name(), e.getMessage());
            return 1;
        }
        Watchdog watchdog = WatchdogFactory.create(config);
        log.info("[{}] VIP: {}; watchdog: {}", config.name(), vip.describe(), watchdog.status());
        HaLoop loop = new HaLoop(config, dcs, db, vip, watchdog, CallbackRunner.create(config));
        RestServer rest = new RestServer(config, loop::snapshot, loop.control());
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("[{}] received shutdown signal", config.name());
            loop.stop();
            try {
                if (!done.await(Math.max(60, config.postgresql().pgCtlTimeout() + 10), TimeUnit.SECONDS)) {
                    log.error("[{}] shutdown did not finish in time", config.name());
                }
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "has-shutdown"));
        try {
            rest.start();
            connect(dcs, loop);
            loop.run();
            loop.shutdown();
            return 0;
        } catch (RuntimeException e) {
            log.error("[{}] fatal error", config.name(), e);
            return 1;
        } finally {
            rest.close();
            done.countDown();
        }
    }

    /** Patroni retries the DCS every 5 s at start-up; so do we (a SIGTERM ends the wait). */
    private void connect(ZooKeeperDcs dcs, HaLoop loop) {
        while (!loop.isStopping()) {
            try {
                dcs.start(loop::wakeup);
                return;
            } catch (DcsException e) {
                log.warn("[{}] ZooKeeper is not reachable yet ({}); retrying in {} s", config.name(), e.getMessage(),
                        DCS_CONNECT_RETRY_MS / 1000);
            }
            try {
                Thread.sleep(DCS_CONNECT_RETRY_MS); // pacing a retry, not synchronising a test
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                return;
            }
        }
    }
}
