package io.has.api;

import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * {@code promtool check metrics} (Debian's {@code prometheus} package, installed here when missing) accepts
 * what {@code GET /metrics} serves, Patroni's metrics and HAS's own, for a leader, a replica and before the
 * first cycle. Skipped, with the reason printed, when promtool cannot be installed.
 */
class PromtoolMetricsTest {

    private static String promtool;

    /**
     * The one lint finding allowed: Patroni's own counters are named without {@code _total}, and dashboards
     * built for Patroni depend on those names.
     */
    private static final Pattern PATRONI_COUNTER_LINT = Pattern.compile("(patroni_xlog_location|patroni_xlog_received_location"
            + "|patroni_xlog_replayed_location|patroni_postgres_timeline) counter metrics should have \"_total\" suffix");

    @BeforeAll
    static void findOrInstallPromtool() throws Exception {
        promtool = find();
        if (promtool == null) {
            String reason = install();
            promtool = find();
            if (promtool == null) {
                System.out.println("PromtoolMetricsTest skipped: promtool is not installed and apt-get failed: " + reason);
            }
        }
    }

    private static String find() {
        for (String dir : System.getenv().getOrDefault("PATH", "/usr/bin").split(File.pathSeparator)) {
            Path p = Path.of(dir, "promtool");
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    private static String install() throws InterruptedException {
        try {
            Process p = new ProcessBuilder("apt-get", "install", "-y", "-q", "prometheus").redirectErrorStream(true).start();
            String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
            boolean done = p.waitFor(10, TimeUnit.MINUTES);
            return done && p.exitValue() == 0 ? "" : out.lines().reduce("", (a, b) -> b);
        } catch (IOException e) {
            return e.getMessage();
        }
    }

    /** Runs promtool; returns its exit code and output. */
    private static String check(String metrics) throws Exception {
        Process p = new ProcessBuilder(promtool, "check", "metrics").redirectErrorStream(true).start();
        try (OutputStream in = p.getOutputStream()) {
            in.write(metrics.getBytes(StandardCharsets.UTF_8));
        }
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        p.waitFor(60, TimeUnit.SECONDS);
        return p.exitValue() + ":" + out;
    }

    private static TestControl controlWithDecisions() {
        TestControl c = new TestControl(null);
        c.log.record(RestFixtures.NOW - 1000, "no_action", "no action. I am (pg1), the leader with the lock");
        c.log.record(RestFixtures.NOW, "demote", "demoting \"self\" because of a \\ switchover");
        return c;
    }

    @Test
    void promtoolAcceptsLeaderReplicaAndEmptyMetrics() throws Exception {
        assumeTrue(promtool != null, "promtool unavailable");
        for (String metrics : List.of(MetricsWriter.write(RestFixtures.leaderSnapshot(), controlWithDecisions()),
                MetricsWriter.write(RestFixtures.replicaSnapshot(), new TestControl(null)),
                MetricsWriter.write(null, null))) {
            String result = check(metrics);
            // exit 0 = clean, 3 = lint findings only (1 would be a parse error)
            assertTrue(result.startsWith("0:") || result.startsWith("3:"), result);
            for (String finding : result.substring(2).strip().lines().toList()) {
                assertTrue(PATRONI_COUNTER_LINT.matcher(finding).matches(), "unexpected promtool finding: " + finding);
            }
        }
    }
}
