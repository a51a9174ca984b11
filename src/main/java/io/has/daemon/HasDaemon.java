package io.has.daemon;

import io.has.api.NodeControl;
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
import io.has.dcs.zk.ZooKeeperDcs;
import io.has.ha.HaLoop;
import io.has.util.Threads;
import io.has.vip.Vip;
import io.has.vip.VipFactory;
import io.has.watchdog.Watchdog;
import io.has.watchdog.WatchdogFactory;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Wires one daemon together. Start order: logging, the DCS connection (on its own thread, see
 * {@link DcsStartup}), database adapter, HA loop, REST API, then cycles once ZooKeeper is connected;
 * on SIGTERM the loop stops, PostgreSQL is stopped, the lock released, and everything is closed in
 * reverse order.
 */
public final class HasDaemon {

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
        ZooKeeperDcs dcs = new ZooKeeperDcs(config.zookeeper().connectString(), config.basePath(), config.name(),
                boot.ttl(), boot.loopWait(), boot.retryTimeout());
        AtomicReference<HaLoop> loopRef = new AtomicReference<>();
        DcsStartup dcsStartup = new DcsStartup(config.name(), dcs, () -> {
            HaLoop l = loopRef.get();
            if (l != null) {
                l.wakeup();
            }
        });
        dcsStartup.start();
        Dialect dialect;
        try {
            dialect = DialectResolver.forConfig(config);
        } catch (DbException e) {
            log.error("[{}] cannot use the database binaries in {}: {}", config.name(),
                    config.postgresql().binDir() == null ? "PATH" : config.postgresql().binDir(), e.getMessage());
            return abandon(dcsStartup, dcs);
        }
        LocalDatabase db = new PostgresDatabase(config, dialect, null);
        // the first cycle needs the rewind tool's version: ask it now, while ZooKeeper and the REST API start
        Threads.factory("rewind-probe").newThread(db::canRewind).start();
        Vip vip;
        try {
            vip = VipFactory.create(config, System.getenv());
        } catch (IllegalArgumentException e) {
            log.error("[{}] invalid VIP settings: {}", config.name(), e.getMessage());
            return abandon(dcsStartup, dcs);
        }
        Watchdog watchdog = WatchdogFactory.create(config);
        log.info("[{}] VIP: {}; watchdog: {}", config.name(), vip.describe(), watchdog.status());
        HaLoop loop = new HaLoop(config, dcs, db, vip, watchdog, CallbackRunner.create(config));
        loopRef.set(loop);
        RestServer rest = new RestServer(config, loop::snapshot, loop.control());
        reloadOnHangup(loop.control(), config.name());
        CountDownLatch done = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            log.info("[{}] received shutdown signal", config.name());
            loop.stop();
            dcsStartup.cancel();
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
            if (awaitDcs(dcsStartup)) {
                loop.run();
            }
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

    /**
     * SIGHUP does what {@code POST /reload} does, as with Patroni ({@code systemctl reload}). Without a
     * handler the JVM answers SIGHUP like SIGTERM: it runs the shutdown hooks, and the daemon stops its
     * PostgreSQL and exits.
     */
    // sun.misc.Signal (module jdk.unsupported): the JDK's only way to handle a signal; javac says so
    private void reloadOnHangup(NodeControl control, String name) {
        try {
            sun.misc.Signal.handle(new sun.misc.Signal("HUP"), sig -> {
                log.info("[{}] received SIGHUP", name);
                control.reload();
            });
        } catch (IllegalArgumentException e) { // in use by the JVM (never here) or unknown to the platform
            log.warn("[{}] SIGHUP cannot be handled ({}): it stops the daemon as SIGTERM does", name, e.getMessage());
        }
    }

    /** True once connected; false when a shutdown ended the attempts first. */
    private static boolean awaitDcs(DcsStartup dcsStartup) {
        try {
            return dcsStartup.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** A start-up error after the ZooKeeper connection began: stop it and close it. */
    private static int abandon(DcsStartup dcsStartup, ZooKeeperDcs dcs) {
        dcsStartup.cancel();
        awaitDcs(dcsStartup);
        dcs.close();
        return 1;
    }
}
