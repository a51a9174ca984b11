package io.has.it;

import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/** Runs short external commands for tests, with a deadline and output captured in files. */
final class Commands {

    private Commands() {
    }

    /** Exit status (-1 on timeout), stdout alone, and stdout followed by stderr. */
    record Result(int exit, String stdout, String output) {
    }

    static Result run(Duration deadline, String... cmd) throws IOException, InterruptedException {
        return run(deadline, Map.of(), List.of(cmd));
    }

    /**
     * Runs {@code cmd} with extra environment variables. Output goes to temporary files, never to
     * pipes: a daemon started by the command could keep a pipe open forever. On timeout the
     * process gets SIGTERM, then SIGKILL 60 s later.
     */
    static Result run(Duration deadline, Map<String, String> env, List<String> cmd)
            throws IOException, InterruptedException {
        Path out = Files.createTempFile("has-it-cmd", ".out");
        Path err = Files.createTempFile("has-it-cmd", ".err");
        try {
            ProcessBuilder pb = new ProcessBuilder(cmd).redirectOutput(out.toFile()).redirectError(err.toFile())
                    .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
            pb.environment().putAll(env);
            Process p = pb.start();
            boolean finished = p.waitFor(deadline.toMillis(), TimeUnit.MILLISECONDS);
            if (!finished) {
                p.destroy();
                if (!p.waitFor(60, TimeUnit.SECONDS)) {
                    p.destroyForcibly();
                    p.waitFor(10, TimeUnit.SECONDS);
                }
            }
            String stdout = Files.readString(out, StandardCharsets.UTF_8);
            String all = stdout + Files.readString(err, StandardCharsets.UTF_8);
            return finished ? new Result(p.exitValue(), stdout, all)
                    : new Result(-1, stdout, all + "\n(timed out after " + deadline.toSeconds() + " s)");
        } finally {
            Files.deleteIfExists(out);
            Files.deleteIfExists(err);
        }
    }

    /** The path of an executable on PATH, or null. */
    static String which(String cmd) throws IOException, InterruptedException {
        Result r = run(Duration.ofSeconds(10), "sh", "-c", "command -v " + cmd);
        return r.exit() == 0 && !r.stdout().isBlank() ? r.stdout().trim() : null;
    }
}
