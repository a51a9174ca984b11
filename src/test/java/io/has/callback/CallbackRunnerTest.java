package io.has.callback;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CallbackRunnerTest {

    @TempDir
    Path dir;

    private Path script(String name, String body) throws IOException {
        Path p = dir.resolve(name);
        Files.writeString(p, "#!/bin/sh\n" + body + "\n");
        Files.setPosixFilePermissions(p, PosixFilePermissions.fromString("rwxr-xr-x"));
        return p;
    }

    @Test
    void callbackGetsActionRoleAndScope() throws Exception {
        Path out = dir.resolve("out");
        Path cb = script("cb.sh", "echo \"$@\" >> " + out);
        try (CallbackRunner r = new CallbackRunner("demo", Map.of(CallbackAction.ON_ROLE_CHANGE, cb + " --flag 'x y'"),
                null, Duration.ofSeconds(30))) {
            r.call(CallbackAction.ON_ROLE_CHANGE, "master");
            r.call(CallbackAction.ON_START, "replica"); // not configured: nothing
            assertTrue(r.awaitIdle(Duration.ofSeconds(30)));
            assertEquals("--flag x y on_role_change master demo\n", Files.readString(out));
        }
    }

    @Test
    void aNewerCallbackKillsTheRunningOne() throws Exception {
        Path pidFile = dir.resolve("pid");
        Path out = dir.resolve("out");
        Path slow = script("slow.sh", "echo $$ > " + pidFile + ".tmp; mv " + pidFile + ".tmp " + pidFile
                + "; exec sleep 600");
        Path fast = script("fast.sh", "echo \"$@\" > " + out);
        try (CallbackRunner r = new CallbackRunner("demo", Map.of(CallbackAction.ON_START, slow.toString(),
                CallbackAction.ON_ROLE_CHANGE, fast.toString()), null, Duration.ofSeconds(120))) {
            r.call(CallbackAction.ON_START, "replica");
            await().atMost(Duration.ofSeconds(30)).until(() -> Files.exists(pidFile));
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
            r.call(CallbackAction.ON_ROLE_CHANGE, "master");
            assertTrue(r.awaitIdle(Duration.ofSeconds(30)));
            assertEquals("on_role_change master demo\n", Files.readString(out));
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        }
    }

    @Test
    void aCallbackIsKilledAtItsTimeout() throws Exception {
        Path pidFile = dir.resolve("pid");
        Path slow = script("slow.sh", "echo $$ > " + pidFile + ".tmp; mv " + pidFile + ".tmp " + pidFile
                + "; exec sleep 600");
        try (CallbackRunner r = new CallbackRunner("demo", Map.of(CallbackAction.ON_STOP, slow.toString()), null,
                Duration.ofSeconds(1))) {
            r.call(CallbackAction.ON_STOP, "replica");
            assertTrue(r.awaitIdle(Duration.ofSeconds(30)));
            long pid = Long.parseLong(Files.readString(pidFile).trim());
            await().atMost(Duration.ofSeconds(10))
                    .until(() -> !ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false));
        }
    }

    @Test
    void prePromoteVetoesOnNonZeroExit() throws Exception {
        Path ok = script("ok.sh", "exit 0");
        Path no = script("no.sh", "exit 3");
        try (CallbackRunner none = new CallbackRunner("demo", Map.of(), null, Duration.ofSeconds(30));
                CallbackRunner yes = new CallbackRunner("demo", Map.of(), ok.toString(), Duration.ofSeconds(30));
                CallbackRunner veto = new CallbackRunner("demo", Map.of(), no.toString(), Duration.ofSeconds(30));
                CallbackRunner missing = new CallbackRunner("demo", Map.of(), dir.resolve("nope").toString(),
                        Duration.ofSeconds(30))) {
            assertTrue(none.prePromote());
            assertTrue(yes.prePromote());
            assertFalse(veto.prePromote());
            assertFalse(missing.prePromote());
        }
    }
}
