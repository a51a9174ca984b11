package io.has.api;

import io.has.api.Management.Call;
import io.has.cluster.Cluster;
import io.has.cluster.Failover;
import io.has.cluster.Member;
import io.has.config.DynamicConfig;
import io.has.dcs.DcsException;
import java.time.OffsetDateTime;
import java.util.List;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@code POST /switchover}, {@code POST /failover} and {@code DELETE /switchover} with Patroni's
 * validation order, messages and codes (reference/patroni.md §3.5). The handler writes the
 * {@code failover} key and wakes the loop; the loop performs the switchover. An unscheduled request then
 * polls the DCS every 100 ms (on a timer, holding no thread) for up to {@code 2·max(10, loop_wait)} seconds,
 * as long as Patroni waits; Patroni looks once a second, and its answer came up to a second after the new
 * leader took the lock (a poll reads one znode while nothing changed: {@code ZooKeeperDcs.read}).
 */
final class SwitchoverEndpoints {

    private static final Logger LOG = LoggerFactory.getLogger(SwitchoverEndpoints.class);
    static final long POLL_INTERVAL_MS = 100;

    private final ScheduledExecutorService timers;
    private final PeerProbe probe;

    SwitchoverEndpoints(ScheduledExecutorService timers, PeerProbe probe) {
        this.timers = timers;
        this.probe = probe;
    }

    void post(Call c, String action) throws DcsException {
        RequestBody b = c.body(false);
        String leader = blankToNull(b.string("leader"));
        String candidate = blankToNull(b.string("candidate"));
        if (candidate == null) {
            candidate = blankToNull(b.string("member"));
        }
        Object scheduled = b.view().get("scheduled_at");
        Cluster cluster = c.control().dcs().read();
        DynamicConfig config = c.config(cluster);
        LOG.info("[{}] received {} request with leader={} candidate={} scheduled_at={}", c.member(), action, leader,
                candidate, scheduled);
        String title = Character.toUpperCase(action.charAt(0)) + action.substring(1);

        if (action.equals("failover") && candidate == null) {
            throw HttpError.message(400, "Failover could be performed only to a specific candidate");
        }
        if (action.equals("switchover") && leader == null) {
            throw HttpError.message(400, "Switchover could be performed only from a specific leader");
        }
        OffsetDateTime at = null;
        if (scheduled != null && !"".equals(scheduled)) {
            if (leader == null) {
                throw HttpError.message(400, "Scheduled " + action + " is possible only from a specific leader");
            }
            if (config.pause()) {
                throw HttpError.message(400, "Can't schedule " + action + " in the paused state");
            }
            at = Schedules.parse(scheduled, action, c.now());
        }
        if (config.pause() && candidate == null) {
            throw HttpError.message(400, title + " is possible only to a specific candidate in a paused state");
        }
        if (candidate != null && candidate.equals(leader)) {
            throw HttpError.message(400, "Switchover target and source are the same");
        }
        if (at == null) {
            String impossible = impossibility(cluster, config, leader, candidate, action);
            if (impossible != null) {
                throw HttpError.message(412, impossible);
            }
        }
        boolean written;
        try {
            written = c.control().dcs().setFailover(new Failover(leader, candidate, at, -1), -1);
        } catch (DcsException e) {
            written = false;
        }
        if (!written) {
            throw HttpError.message(503, "failed to write " + action + " key into DCS");
        }
        c.control().wakeup();
        if (at != null) {
            c.reply(202, title + " scheduled");
            return;
        }
        String previous = cluster.leader() == null ? null : cluster.leader().name();
        int polls = (int) (2 * Math.max(10, config.loopWait()) * 1000L / POLL_INTERVAL_MS);
        schedulePoll(c, previous, candidate, action, polls);
    }

    private void schedulePoll(Call c, String previous, String candidate, String action, int pollsLeft) {
        timers.schedule(() -> poll(c, previous, candidate, action, pollsLeft), POLL_INTERVAL_MS, TimeUnit.MILLISECONDS);
    }

    private void poll(Call c, String previous, String candidate, String action, int pollsLeft) {
        String title = Character.toUpperCase(action.charAt(0)) + action.substring(1);
        String past = action.equals("failover") ? "failed" : "switched";
        try {
            Cluster cluster = c.control().dcs().read();
            if (cluster.leader() != null && !cluster.leader().name().equals(previous)) {
                String now = cluster.leader().name();
                if (candidate == null || candidate.equals(now)) {
                    c.reply(200, "Successfully " + past + " over to \"" + now + "\"");
                } else {
                    c.reply(200, Character.toUpperCase(past.charAt(0)) + past.substring(1) + " over to \"" + now
                            + "\" instead of \"" + candidate + "\"");
                }
                return;
            }
            if (cluster.failover().isEmpty()) {
                c.reply(503, title + " failed");
                return;
            }
        } catch (DcsException | RuntimeException e) {
            LOG.debug("[{}] polling the {} result failed: {}", c.member(), action, e.toString());
        }
        if (pollsLeft <= 1) {
            c.reply(503, title + " status unknown");
        } else {
            schedulePoll(c, previous, candidate, action, pollsLeft - 1);
        }
    }

    /** Patroni's {@code is_failover_possible}: null when possible, else the 412 message. */
    private String impossibility(Cluster cluster, DynamicConfig config, String leader, String candidate,
                                 String action) {
        if (leader != null && (cluster.leader() == null || !cluster.leader().name().equals(leader))) {
            return "leader name does not match";
        }
        String current = cluster.leader() == null ? null : cluster.leader().name();
        List<Member> members;
        if (candidate != null) {
            if (action.equals("switchover") && config.synchronousMode() && !cluster.sync().matches(candidate)) {
                return "candidate name does not match with sync_standby";
            }
            members = cluster.member(candidate).stream().toList();
            if (members.isEmpty()) {
                return "candidate does not exists";
            }
        } else if (config.synchronousMode()) {
            members = cluster.members().stream()
                    .filter(m -> cluster.sync().syncStandby().contains(m.name()) && !m.name().equals(current)).toList();
            if (members.isEmpty()) {
                return action + " is not possible: can not find sync_standby";
            }
        } else {
            members = cluster.members().stream()
                    .filter(m -> !m.name().equals(current) && m.data().apiUrl() != null).toList();
            if (members.isEmpty()) {
                return action + " is not possible: cluster does not have members except leader";
            }
        }
        return probe.anyGoodCandidate(members) ? null : action + " is not possible: no good candidates have been found";
    }

    void delete(Call c) throws DcsException {
        Failover f = c.control().dcs().read().failover();
        if (f.scheduledAt() == null) {
            c.reply(404, "no switchover is scheduled");
            return;
        }
        if (!c.control().dcs().setFailover(Failover.NONE, f.version())) {
            throw HttpError.page(409);
        }
        LOG.info("[{}] scheduled switchover at {} deleted", c.member(), f.scheduledAt());
        c.reply(200, "scheduled switchover deleted");
    }

    private static String blankToNull(String s) {
        return s == null || s.isEmpty() ? null : s;
    }
}
