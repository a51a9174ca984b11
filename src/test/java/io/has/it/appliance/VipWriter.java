package io.has.it.appliance;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * A client in a network namespace that writes through the VIP every 100 ms (JDBC to VIP:5432, connect
 * timeout 1 s, socket timeout 2 s; a failed write drops the connection and the next tick reconnects).
 * Every acknowledged row reports the data directory of the server that committed it, which tells the
 * host apart.
 */
final class VipWriter implements AutoCloseable {

    /** One attempt: when it started and ended (epoch ms), which data directory committed it (null = failed). */
    record Tick(long id, long startMs, long endMs, String dataDir, String error) {
        boolean ok() {
            return dataDir != null;
        }
    }

    private final String ns;
    private final String vip;
    private final List<Tick> ticks = new ArrayList<>();
    private final AtomicBoolean running = new AtomicBoolean(true);
    private final Thread thread;

    VipWriter(String ns, String vip) {
        this.ns = ns;
        this.vip = vip;
        this.thread = new Thread(this::run, "vip-writer");
        thread.setDaemon(true);
        thread.start();
    }

    private void run() {
        NsThread.enter(ns);
        Connection c = null;
        long id = 0;
        while (running.get()) {
            long start = System.currentTimeMillis();
            id++;
            String dir = null;
            String error = null;
            try {
                if (c == null) {
                    c = NsCluster.connect(vip, 1, 2);
                    try (Statement s = c.createStatement()) {
                        s.execute("create table if not exists vip_writes (id bigint primary key, at timestamptz)");
                    }
                }
                try (PreparedStatement ps = c.prepareStatement("insert into vip_writes values (?, now()) "
                        + "returning (select setting from pg_settings where name = 'data_directory')")) {
                    ps.setLong(1, id);
                    try (ResultSet rs = ps.executeQuery()) {
                        rs.next();
                        dir = rs.getString(1);
                    }
                }
            } catch (SQLException | RuntimeException e) {
                error = e.getClass().getSimpleName() + ": " + e.getMessage();
                if (c != null) {
                    try {
                        c.close();
                    } catch (SQLException ignored) {
                        // the connection is broken anyway
                    }
                }
                c = null;
            }
            long end = System.currentTimeMillis();
            synchronized (ticks) {
                ticks.add(new Tick(id, start, end, dir, error));
            }
            long wait = 100 - (end - start);
            if (wait > 0) {
                try {
                    Thread.sleep(wait); // the write period, not synchronisation
                } catch (InterruptedException e) {
                    break;
                }
            }
        }
        if (c != null) {
            try {
                c.close();
            } catch (SQLException ignored) {
                // closing at the end
            }
        }
    }

    List<Tick> ticks() {
        synchronized (ticks) {
            return List.copyOf(ticks);
        }
    }

    /** Whether a write that started at or after {@code fromMs} was committed by a server in {@code dir}. */
    boolean okOn(String dirPrefix, long fromMs) {
        return ticks().stream().anyMatch(t -> t.startMs >= fromMs && t.ok() && t.dataDir.startsWith(dirPrefix));
    }

    /**
     * "last ok on X at T, first ok on Y at T', gap G ms, N failed attempts" for the writes around {@code fromMs}.
     * Returns the gap in ms (or -1 when it cannot be computed).
     */
    long gap(long fromMs, String newDirPrefix, StringBuilder out) {
        List<Tick> all = ticks();
        Tick lastBefore = null;
        Tick firstAfter = null;
        int failed = 0;
        for (Tick t : all) {
            if (t.endMs <= fromMs && t.ok()) {
                lastBefore = t;
            }
            if (t.startMs >= fromMs && !t.ok() && firstAfter == null) {
                failed++;
            }
            if (t.startMs >= fromMs && t.ok() && t.dataDir.startsWith(newDirPrefix) && firstAfter == null) {
                firstAfter = t;
            }
        }
        if (lastBefore == null || firstAfter == null) {
            out.append("no gap measurable (last ok before=").append(lastBefore).append(", first ok after=")
                    .append(firstAfter).append(')');
            return -1;
        }
        long gap = firstAfter.endMs - lastBefore.endMs;
        out.append("last write acknowledged before at ").append(lastBefore.endMs).append(", first on the new host at ")
                .append(firstAfter.endMs).append(": gap ").append(gap).append(" ms, ").append(failed)
                .append(" failed attempts in between");
        return gap;
    }

    /** The distinct errors seen so far (for the test output). */
    String errorsSince(long fromMs) {
        StringBuilder sb = new StringBuilder();
        ticks().stream().filter(t -> t.startMs >= fromMs && !t.ok()).map(t -> t.error)
                .map(e -> e.length() > 140 ? e.substring(0, 140) : e).distinct().limit(8)
                .forEach(e -> sb.append("    ").append(e).append('\n'));
        return sb.toString();
    }

    @Override
    public void close() throws InterruptedException {
        running.set(false);
        thread.interrupt();
        thread.join(30_000);
    }
}
