package io.has.process;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ProcessRunnerTest {

    private final ProcessRunner runner = new ProcessRunner(null, Map.of("HAS_TEST_BASE", "base"));

    @Test
    void capturesExitCodeOutputAndEnvironment() throws Exception {
        ProcessResult r = runner.run(List.of("sh", "-c", "echo out:$HAS_TEST_BASE:$EXTRA; echo err >&2; exit 3"),
                Duration.ofSeconds(10), Map.of("EXTRA", "x"));
        assertEquals(3, r.exitCode());
        assertFalse(r.ok());
        assertEquals("out:base:x\n", r.stdout());
        assertEquals("err\n", r.stderr());
        assertTrue(r.describe().contains("exited with 3: err"), r.describe());
    }

    @Test
    void keepsOnlyTheTailOfLargeOutput() throws Exception {
        ProcessResult r = runner.run(List.of("sh", "-c", "head -c 200000 /dev/zero | tr '\\0' a; echo END"),
                Duration.ofSeconds(10));
        assertTrue(r.ok());
        assertEquals(ProcessRunner.OUTPUT_LIMIT, r.stdout().length());
        assertTrue(r.stdout().endsWith("aEND\n"));
    }

    @Test
    void killsTheProcessTreeOnTimeout() throws Exception {
        long start = System.nanoTime();
        ProcessResult r = runner.run(List.of("sh", "-c", "sleep 30 & sleep 30; echo never"), Duration.ofMillis(300));
        assertTrue(r.timedOut());
        assertEquals(-1, r.exitCode());
        assertTrue(Duration.ofNanos(System.nanoTime() - start).toSeconds() < 10);
        assertTrue(r.describe().contains("timed out"));
    }

    @Test
    void doesNotWaitForGrandchildrenHoldingNoPipe() throws Exception {
        // like pg_ctl start: the parent exits while a background child keeps running
        ProcessResult r = runner.run(List.of("sh", "-c", "(sleep 5 &) ; echo started"), Duration.ofSeconds(4));
        assertTrue(r.ok(), r.describe());
        assertEquals("started\n", r.stdout());
    }

    @Test
    void stopsWaitingWhenTheConditionHoldsAndLeavesTheCommandToFinish(@TempDir Path dir) throws Exception {
        Path ready = dir.resolve("ready");
        // the command marks itself ready, then runs until the test removes the mark
        Optional<ProcessResult> r = runner.runUntil(List.of("sh", "-c",
                "touch \"$0\"; while [ -e \"$0\" ]; do sleep 0.01; done", ready.toString()), Duration.ofSeconds(30),
                Map.of(), () -> Files.exists(ready));
        assertTrue(r.isEmpty());
        Files.delete(ready);
    }

    @Test
    void aRunningCommandsOutputFilesAreAlreadyUnlinked(@TempDir Path dir) throws Exception {
        Path pid = dir.resolve("pid");
        List<String> targets = new ArrayList<>();
        // the command writes its pid, then runs until the test removes the file; meanwhile the test looks at
        // where its stdout and stderr go: a daemon killed now must leave no output file behind
        Optional<ProcessResult> r = runner.runUntil(List.of("sh", "-c",
                "echo $$ > \"$0.tmp\" && mv \"$0.tmp\" \"$0\"; while [ -e \"$0\" ]; do sleep 0.01; done",
                pid.toString()), Duration.ofSeconds(30), Map.of(), () -> {
                    if (!Files.exists(pid)) {
                        return false;
                    }
                    try {
                        String p = Files.readString(pid).strip();
                        for (int fd = 1; fd <= 2; fd++) {
                            targets.add(Files.readSymbolicLink(Path.of("/proc", p, "fd", Integer.toString(fd)))
                                    .toString());
                        }
                    } catch (IOException e) {
                        throw new UncheckedIOException(e);
                    }
                    return true;
                });
        Files.delete(pid);
        assertTrue(r.isEmpty());
        assertEquals(2, targets.size(), targets.toString());
        assertTrue(targets.get(0).contains("has-out-") && targets.get(0).endsWith(" (deleted)"), targets.toString());
        assertTrue(targets.get(1).contains("has-err-") && targets.get(1).endsWith(" (deleted)"), targets.toString());
    }

    @Test
    void returnsTheOutcomeWhenTheCommandExitsBeforeTheConditionHolds() throws Exception {
        Optional<ProcessResult> r = runner.runUntil(List.of("sh", "-c", "echo no; exit 4"), Duration.ofSeconds(10),
                Map.of(), () -> false);
        assertTrue(r.isPresent());
        assertEquals(4, r.get().exitCode());
        assertEquals("no\n", r.get().stdout());
    }

    @Test
    void runsAsAnotherUserWhenRoot(@TempDir Path dir) throws Exception {
        assumeTrue(ProcessRunner.isRoot(), "not running as root");
        assumeTrue(Files.exists(Path.of("/usr/sbin/runuser")) || Files.exists(Path.of("/sbin/runuser")), "no runuser");
        ProcessRunner asPostgres = new ProcessRunner("postgres", Map.of());
        assertTrue(asPostgres.switchesUser());
        ProcessResult r = asPostgres.run(List.of("id", "-un"), Duration.ofSeconds(10));
        assertEquals("postgres\n", r.stdout(), r.describe());
        Path f = Files.createFile(dir.resolve("owned"));
        asPostgres.chown(f);
        assertEquals("postgres", Files.getOwner(f).getName());
    }
}
