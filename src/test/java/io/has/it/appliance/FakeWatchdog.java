package io.has.it.appliance;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * The FUSE fake watchdog of {@code src/test/c/fakewd.c}, compiled with gcc and mounted on a temporary
 * directory: {@link #device()} behaves like /dev/watchdog (real ioctls, magic close, one opener) and
 * {@link #log()} records every event, including "EXPIRED" when a real machine would have rebooted.
 * {@link #close()} unmounts it and ends the process.
 */
final class FakeWatchdog implements AutoCloseable {

    private final Path dir;
    private final Process process;

    private FakeWatchdog(Path dir, Process process) {
        this.dir = dir;
        this.process = process;
    }

    /** Skips the calling test (with a printed reason) when FUSE cannot be used here. */
    static FakeWatchdog start(Path dir, int uid, int gid) throws IOException {
        Host.requireRoot();
        Host.requireTools(List.of("fuse3", "libfuse3-dev", "pkg-config", "gcc"), "fusermount3", "pkg-config", "gcc");
        boolean fuse = Files.exists(Path.of("/dev/fuse"));
        if (!fuse) {
            System.out.println("SKIPPED: /dev/fuse is missing: no fake watchdog");
        }
        assumeTrue(fuse, "no /dev/fuse");
        Path bin = dir.resolve("fakewd");
        Host.must("gcc -Wall -O2 -o " + bin + " " + Host.basedir().resolve("src/test/c/fakewd.c")
                + " $(pkg-config --cflags --libs fuse3) -lpthread", Duration.ofMinutes(2));
        Path mnt = dir.resolve("mnt");
        Files.createDirectories(mnt);
        ProcessBuilder pb = new ProcessBuilder(bin.toString(), "-f", "-s", "-o", "allow_other,default_permissions",
                mnt.toString())
                .redirectErrorStream(true)
                .redirectOutput(dir.resolve("fakewd.out").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("FAKEWD_LOG", dir.resolve("fakewd.log").toString());
        pb.environment().put("FAKEWD_UID", Integer.toString(uid));
        pb.environment().put("FAKEWD_GID", Integer.toString(gid));
        FakeWatchdog wd = new FakeWatchdog(dir, pb.start());
        try {
            await().atMost(Duration.ofSeconds(30)).until(() -> wd.log().contains("MOUNTED")
                    && Files.exists(wd.device()) || !wd.process.isAlive());
            if (!wd.process.isAlive()) {
                throw new AssertionError("fakewd exited: " + Host.read(dir.resolve("fakewd.out")));
            }
        } catch (RuntimeException | AssertionError e) {
            wd.close();
            throw e;
        }
        return wd;
    }

    /** The device file. */
    Path device() {
        return dir.resolve("mnt/watchdog");
    }

    /** The event log so far. */
    String log() {
        return Host.read(dir.resolve("fakewd.log"));
    }

    /** The status line (open=, armed=, timeout=, keepalives=, expired=, magic_closes=). */
    String status() {
        return Host.read(dir.resolve("mnt/status"));
    }

    /** Epoch ms of the first log line containing {@code event} after {@code fromMs}, or -1. */
    long firstAfter(String event, long fromMs) {
        for (String line : log().split("\n")) {
            int sp = line.indexOf(' ');
            if (sp > 0 && line.contains(event)) {
                long t = Long.parseLong(line.substring(0, sp));
                if (t >= fromMs) {
                    return t;
                }
            }
        }
        return -1;
    }

    @Override
    public void close() {
        Host.sh("fusermount3 -u " + dir.resolve("mnt") + " 2>/dev/null || umount -l " + dir.resolve("mnt")
                + " 2>/dev/null || true", Duration.ofSeconds(30));
        process.destroy();
        try {
            if (!process.waitFor(5, java.util.concurrent.TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            process.destroyForcibly();
        }
    }
}
