package io.has.it;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * Finds processes that belong to a test by where they live: their working directory or their
 * command line lies under a directory the test created (a fresh temp dir, so nobody else's
 * process can match). PostgreSQL backends chdir into their data directory, daemons run with
 * their member directory as cwd and their config path on the command line.
 */
final class Processes {

    private Processes() {
    }

    /** Live processes (other than this JVM) whose cwd or command line is under {@code dir}. */
    static List<ProcessHandle> under(Path dir) {
        String prefix = dir.toAbsolutePath().normalize().toString();
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(h -> {
            if (h.pid() == self || gone(h)) {
                return;
            }
            Path proc = Path.of("/proc", Long.toString(h.pid()));
            String cwd = "";
            try {
                cwd = Files.readSymbolicLink(proc.resolve("cwd")).toString();
            } catch (IOException | UnsupportedOperationException | SecurityException e) {
                // gone, or not ours to read
            }
            String cmdline = "";
            try {
                cmdline = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                        .replace('\0', ' ');
            } catch (IOException | SecurityException e) {
                // gone
            }
            if (cwd.equals(prefix) || cwd.startsWith(prefix + "/") || cmdline.contains(prefix + "/")
                    || cmdline.endsWith(prefix + " ")) {
                found.add(h);
            }
        });
        return found;
    }

    /** One line per process: pid and command line. */
    static String describe(List<ProcessHandle> processes) {
        StringBuilder sb = new StringBuilder();
        for (ProcessHandle h : processes) {
            sb.append(h.pid()).append(' ').append(h.info().commandLine().orElse("?")).append('\n');
        }
        return sb.toString();
    }

    /** SIGKILL to each of them; waits up to 10 s for them to go. */
    static void killAll(List<ProcessHandle> processes) {
        processes.forEach(ProcessHandle::destroyForcibly);
        for (ProcessHandle h : processes) {
            awaitGone(h, Duration.ofSeconds(10));
        }
    }

    /**
     * Dead or a zombie. A killed orphan stays a zombie until PID 1 reaps it, which on this kind
     * of machine takes seconds; {@link ProcessHandle#isAlive()} counts zombies as alive.
     */
    static boolean gone(ProcessHandle h) {
        if (!h.isAlive()) {
            return true;
        }
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(h.pid()), "stat"));
            return stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z");
        } catch (IOException | RuntimeException e) {
            return true;
        }
    }

    /** Polls {@link #gone} until the deadline; true when gone. */
    static boolean awaitGone(ProcessHandle h, Duration deadline) {
        long end = System.nanoTime() + deadline.toNanos();
        while (!gone(h)) {
            if (System.nanoTime() > end) {
                return false;
            }
            ClusterHarness.pause(50);
        }
        return true;
    }
}
