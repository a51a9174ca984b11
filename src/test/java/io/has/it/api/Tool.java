package io.has.it.api;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Runs the real command-line tools of the interop tests (patronictl, hasctl, promtool, haproxy -c) with a
 * deadline, output captured in files (never pipes: a tool that starts a daemon could hold a pipe open), and
 * installs missing Debian packages once per JVM.
 */
final class Tool {

    private Tool() {
    }

    /** Exit status (-1 on timeout), stdout alone, stderr alone. */
    record Result(int exit, String stdout, String stderr) {
        String output() {
            return stdout + stderr;
        }

        /** For assertion messages. */
        String describe() {
            return "exit " + exit + "\n--- stdout ---\n" + stdout + "--- stderr ---\n" + stderr;
        }
    }

    static Result run(Duration deadline, String... cmd) throws IOException, InterruptedException {
        return run(deadline, Map.of(), null, List.of(cmd));
    }

    /**
     * Runs {@code cmd} with extra environment variables and {@code stdin} (null: /dev/null). On timeout
     * the process gets SIGTERM, then SIGKILL 30 s later.
     */
    static Result run(Duration deadline, Map<String, String> env, String stdin, List<String> cmd)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("has-it-tool", ".out");
        Path err = Files.createTempFile("has-it-tool", ".err");
        Path in = stdin == null ? null : Files.createTempFile("has-it-tool", ".in");
        try {
            if (in != null) {
                Files.writeString(in, stdin, StandardCharsets.UTF_8);
            }
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(in == null ? ProcessBuilder.Redirect.from(new File("/dev/null"))
                            : ProcessBuilder.Redirect.from(in.toFile()));
            pb.environment().putAll(env);
            Process p = pb.start();
            boolean finished = p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                p.destroy();
                if (!p.waitFor(30, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String stderr = Files.readString(err, StandardCharsets.UTF_8);
            return finished ? new Result(p.exitValue(), stdout, stderr)
                    : new Result(-1, stdout, stderr + "\n(timed out after " + deadline.toSeconds() + " s)");
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
            if (in != null) {
                Files.deleteIfExists(in);
            }
        }
    }

    /** The path of an executable on PATH (or in /usr/sbin, where haproxy lives), or null. */
    static String which(String name) {
        List<String> dirs = new ArrayList<>(List.of(System.getenv().getOrDefault("PATH", "/usr/bin")
                .split(File.pathSeparator)));
        dirs.addAll(List.of("/usr/sbin", "/usr/bin", "/sbin"));
        for (String dir : dirs) {
            Path p = Path.of(dir, name);
            if (Files.isExecutable(p)) {
                return p.toString();
            }
        }
        return null;
    }

    private static boolean aptUpdated;

    /**
     * Installs Debian packages with apt-get (as root; {@code apt-get update} first, once per JVM). Returns
     * null on success, else why it failed.
     */
    static synchronized String aptInstall(String... packages) throws IOException, InterruptedException {
        if (!isRoot()) {
            return "only root can install " + String.join(" ", packages);
        }
        Map<String, String> env = new HashMap<>(Map.of("DEBIAN_FRONTEND", "noninteractive"));
        if (!aptUpdated) {
            Result update = run(Duration.ofMinutes(5), env, null, List.of("apt-get", "update", "-qq"));
            if (update.exit() != 0) {
                return "apt-get update failed: " + update.output().strip();
            }
            aptUpdated = true;
        }
        List<String> cmd = new ArrayList<>(List.of("apt-get", "install", "-y", "-qq", "--no-install-recommends"));
        cmd.addAll(List.of(packages));
        Result install = run(Duration.ofMinutes(10), env, null, cmd);
        return install.exit() == 0 ? null
                : "apt-get install " + String.join(" ", packages) + " failed: " + install.output().strip();
    }

    /**
     * The path of {@code executable}; installs {@code packages} when it (or, with {@code probe}, a
     * further requirement) is missing. Aborts the test, printing why, when that is impossible.
     */
    static String require(String executable, Probe probe, String... packages) throws Exception {
        String found = which(executable);
        if (found != null && (probe == null || probe.ok())) {
            return found;
        }
        String why = aptInstall(packages);
        found = which(executable);
        if (why == null && found == null) {
            why = executable + " still missing after installing " + String.join(" ", packages);
        }
        if (why == null && probe != null && !probe.ok()) {
            why = "a requirement of " + executable + " is still missing after installing " + String.join(" ", packages);
        }
        if (why != null) {
            System.out.println("skipped: " + why);
            Assumptions.abort(why);
        }
        return found;
    }

    /** A further check that a tool is usable. */
    interface Probe {
        boolean ok() throws Exception;
    }

    /**
     * patronictl with ZooKeeper support: Debian's {@code patroni} and {@code python3-kazoo} (patroni alone
     * would pull python3-etcd and patronictl then cannot reach ZooKeeper).
     */
    static String patronictl() throws Exception {
        return require("patronictl",
                () -> run(Duration.ofSeconds(30), interpreter(which("patronictl")), "-c", "import kazoo").exit() == 0,
                "patroni", "python3-kazoo");
    }

    /** The interpreter of a script (its #! line): Debian's patronictl runs /usr/bin/python3, not a pyenv shim. */
    static String interpreter(String script) throws IOException {
        if (script != null) {
            String first = Files.readAllLines(Path.of(script), StandardCharsets.ISO_8859_1).stream().findFirst().orElse("");
            if (first.startsWith("#!")) {
                String[] words = first.substring(2).trim().split("\\s+");
                return words[0].endsWith("/env") && words.length > 1 ? words[1] : words[0];
            }
        }
        return Files.isExecutable(Path.of("/usr/bin/python3")) ? "/usr/bin/python3" : "python3";
    }

    static boolean isRoot() {
        try {
            return Integer.valueOf(0).equals(Files.getAttribute(Path.of("/proc/self"), "unix:uid"));
        } catch (IOException | UnsupportedOperationException e) {
            return "root".equals(System.getProperty("user.name"));
        }
    }

    /**
     * The rows of a PrettyTable-style grid as printed by patronictl and hasctl: the first cell of each
     * row to the row's cells; the header row is skipped.
     */
    static java.util.LinkedHashMap<String, List<String>> table(String output) {
        java.util.LinkedHashMap<String, List<String>> rows = new java.util.LinkedHashMap<>();
        boolean header = true;
        for (String line : output.split("\n")) {
            if (!line.startsWith("|")) {
                continue;
            }
            List<String> cells = new ArrayList<>();
            for (String c : line.substring(1, line.lastIndexOf('|')).split("\\|", -1)) {
                cells.add(c.trim());
            }
            if (header) {
                header = false;
                continue;
            }
            rows.put(cells.get(0), cells);
        }
        return rows;
    }
}
