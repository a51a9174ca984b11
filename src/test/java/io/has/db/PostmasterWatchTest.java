package io.has.db;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.has.util.LogLines;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.RepeatedTest;
import org.junit.jupiter.api.Test;

/**
 * The postmaster watch against real processes ({@code sleep 600} children): each exit is reported,
 * once, for the process watched at the time. Waits are bounded by a generous deadline that only a
 * broken watch reaches; nothing is timed.
 */
class PostmasterWatchTest {

    private static final long DEADLINE_SECONDS = 30;

    private final BlockingQueue<Long> exits = new LinkedBlockingQueue<>();
    private final List<Process> children = new ArrayList<>();
    private PostmasterWatch watch;

    @BeforeEach
    void listen() {
        watch = new PostmasterWatch("[test]");
        watch.listen(exits::add);
    }

    @AfterEach
    void cleanUp() {
        watch.close();
        children.forEach(Process::destroyForcibly);
    }

    @Test
    void reportsTheExitOfTheWatchedProcess() throws Exception {
        Process p = sleeper();
        watchOrSkip(p);
        assertTrue(exits.isEmpty(), "no exit reported while the process runs");
        p.destroyForcibly();
        assertEquals(p.pid(), nextExit(), "the killed process is reported");
    }

    @Test
    void aSingleUserBackendIsLoggedAsSuchNotAsAPostmaster() throws Exception {
        // initdb's backends write the lock file too; "; :" keeps sh from exec-ing sleep (its arguments stay)
        Process single = start("sh", "-c", "sleep 600; :", "--single");
        Process postmaster = sleeper();
        assertEquals("single-user backend", PostmasterWatch.kind(single.toHandle()));
        assertEquals("postmaster", PostmasterWatch.kind(postmaster.toHandle()));
        try (LogLines lines = LogLines.of(PostmasterWatch.class)) {
            watchOrSkip(single);
            await().atMost(Duration.ofSeconds(DEADLINE_SECONDS)).until(() -> watch.armedOn(single.toHandle()));
            single.destroyForcibly();
            assertEquals(single.pid(), nextExit());
            watch.watch(postmaster.toHandle());
            await().atMost(Duration.ofSeconds(DEADLINE_SECONDS)).until(() -> watch.armedOn(postmaster.toHandle()));
            postmaster.destroyForcibly();
            assertEquals(postmaster.pid(), nextExit());
            assertEquals(List.of("[test] the single-user backend (pid " + single.pid() + ") exited",
                    "[test] the postmaster (pid " + postmaster.pid() + ") exited"),
                    lines.all().stream().filter(m -> m.contains("exited")).toList());
        }
    }

    @Test
    void armedWhileTheWatchedProcessLivesOnly() throws Exception {
        Process p = sleeper();
        Process other = sleeper();
        assertFalse(watch.armedOn(p.toHandle()), "not armed before it is watched");
        watchOrSkip(p);
        await().atMost(Duration.ofSeconds(DEADLINE_SECONDS)).until(() -> watch.armedOn(p.toHandle()));
        assertFalse(watch.armedOn(other.toHandle()), "armed on the watched process only");
        p.destroyForcibly();
        assertEquals(p.pid(), nextExit());
        assertFalse(watch.armedOn(p.toHandle()), "no longer armed once its exit is reported");
        watch.watch(other.toHandle());
        await().atMost(Duration.ofSeconds(DEADLINE_SECONDS)).until(() -> watch.armedOn(other.toHandle()));
        watch.close();
        assertFalse(watch.armedOn(other.toHandle()), "not armed after close");
    }

    /** Repeated: the switch and the first exit race, and the old code lost that race a few times in a hundred. */
    @RepeatedTest(100)
    void followsTheLatestProcessOnly() throws Exception {
        Process first = sleeper();
        Process second = sleeper();
        watchOrSkip(first);
        watch.watch(second.toHandle());
        first.destroyForcibly();
        first.waitFor();
        second.destroyForcibly();
        assertEquals(second.pid(), nextExit(), "the first exit reported is the watched (second) process");
        assertTrue(exits.isEmpty(), "the process no longer watched is not reported: " + exits);
    }

    @Test
    void anExitedProcessIsReportedOnceEvenIfWatchedAgain() throws Exception {
        Process p = sleeper();
        watchOrSkip(p);
        p.destroyForcibly();
        assertEquals(p.pid(), nextExit());
        watch.watch(p.toHandle()); // a late probe that still sees it (say, a zombie) must not re-arm it
        Process next = sleeper();
        watch.watch(next.toHandle());
        next.destroyForcibly();
        assertEquals(next.pid(), nextExit(), "the next exit reported is the new process, not the old one again");
    }

    @Test
    void aProcessGoneBeforeTheWatchOpensItIsReportedAtOnce() throws Exception {
        Process keep = sleeper();
        watchOrSkip(keep); // starts the watch thread
        Process gone = sleeper();
        ProcessHandle handle = gone.toHandle();
        gone.destroyForcibly();
        gone.waitFor();
        watch.watch(handle);
        assertEquals(gone.pid(), nextExit());
    }

    @Test
    void closeEndsTheThreadAndReportsNothing() throws Exception {
        Process p = sleeper();
        watchOrSkip(p);
        Thread t = watch.thread();
        assertTrue(t != null && t.isAlive(), "the watch runs its thread");
        watch.close(); // joins the thread
        assertFalse(t.isAlive(), "no watch thread after close");
        p.destroyForcibly();
        p.waitFor();
        assertTrue(exits.isEmpty(), "nothing reported after close: " + exits);
    }

    @Test
    void withoutListenerNothingStarts() throws Exception {
        PostmasterWatch idle = new PostmasterWatch("[idle]");
        try {
            idle.watch(sleeper().toHandle());
            assertNull(idle.unavailable());
            assertNull(idle.thread(), "no thread before a listener is set");
        } finally {
            idle.close();
        }
    }

    @Test
    void withoutPidfdItWatchesNothingAndSaysWhy() throws Exception {
        PostmasterWatch none = new PostmasterWatch("[no pidfd]", 100_000); // no such syscall: ENOSYS
        try {
            none.listen(exits::add);
            Process p = sleeper();
            none.watch(p.toHandle());
            assertNotNull(none.unavailable(), "the reason is kept");
            assertNull(none.thread(), "no thread without pidfds");
            none.watch(sleeper().toHandle()); // later calls are no-ops
            p.destroyForcibly();
            p.waitFor();
            assertTrue(exits.isEmpty());
        } finally {
            none.close();
        }
    }

    @Test
    void zombiesAreRecognised() throws Exception {
        // the parent forks a child that exits at once, and never waits for it: the child stays a zombie
        Process parent = start("perl", "-e", "$| = 1; my $p = fork(); exit 0 if $p == 0; print \"$p\\n\"; sleep 600;");
        long child = Long.parseLong(new BufferedReader(new InputStreamReader(parent.getInputStream(),
                StandardCharsets.US_ASCII)).readLine().trim());
        await().atMost(Duration.ofSeconds(DEADLINE_SECONDS)).until(() -> PostmasterWatch.isZombie(child));
        assertFalse(PostmasterWatch.isZombie(parent.pid()), "a running process is not");
        assertFalse(PostmasterWatch.isZombie(Long.MAX_VALUE), "no such process: not a zombie either");
    }

    // ------------------------------------------------------------------------------------------

    private void watchOrSkip(Process p) {
        watch.watch(p.toHandle());
        assumeTrue(watch.unavailable() == null, "pidfd watch unavailable here: " + watch.unavailable());
    }

    private long nextExit() throws InterruptedException {
        Long pid = exits.poll(DEADLINE_SECONDS, TimeUnit.SECONDS);
        assertNotNull(pid, "no exit reported within " + DEADLINE_SECONDS + " s");
        return pid;
    }

    private Process sleeper() throws IOException {
        return start("sleep", "600");
    }

    private Process start(String... cmd) throws IOException {
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
        children.add(p);
        return p;
    }
}
