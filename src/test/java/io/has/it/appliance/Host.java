package io.has.it.appliance;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.has.process.ProcessResult;
import io.has.process.ProcessRunner;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * Root-only helpers of the appliance tests: run shell snippets, and make sure a tool is installed
 * (apt-get when it is missing), skipping the test with a printed reason otherwise.
 */
final class Host {

    private static final ProcessRunner RUNNER = new ProcessRunner(null, Map.of());

    private Host() {
    }

    /** Skips the test (printing why) unless this JVM runs as root. */
    static void requireRoot() {
        boolean root = "root".equals(System.getProperty("user.name"));
        if (!root) {
            System.out.println("SKIPPED: the appliance tests need root (namespaces, mounts, rpm, systemd)");
        }
        assumeTrue(root, "needs root");
    }

    /**
     * Skips unless every binary exists, installing {@code packages} with apt-get first when one is missing.
     */
    static void requireTools(List<String> packages, String... binaries) {
        if (allPresent(binaries)) {
            return;
        }
        ProcessResult r = sh("export DEBIAN_FRONTEND=noninteractive; (apt-get update -qq || true) && apt-get install -y -qq"
                + " --no-install-recommends " + String.join(" ", packages), Duration.ofMinutes(10));
        boolean ok = allPresent(binaries);
        if (!ok) {
            System.out.println("SKIPPED: could not install " + packages + " for " + List.of(binaries) + ": " + r.describe());
        }
        assumeTrue(ok, "missing " + List.of(binaries));
    }

    private static boolean allPresent(String... binaries) {
        for (String b : binaries) {
            if (!sh("command -v " + b, Duration.ofSeconds(10)).ok()) {
                return false;
            }
        }
        return true;
    }

    /** Runs {@code bash -c script} as root and returns the result (never throws for a non-zero exit). */
    static ProcessResult sh(String script, Duration timeout) {
        try {
            return RUNNER.run(List.of("bash", "-c", script), timeout);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Like {@link #sh} but fails the test on a non-zero exit. */
    static ProcessResult must(String script, Duration timeout) {
        ProcessResult r = sh(script, timeout);
        if (!r.ok()) {
            throw new AssertionError(r.describe() + "\nstdout: " + r.stdout());
        }
        return r;
    }

    /** The repository root (failsafe's has.basedir). */
    static Path basedir() {
        return Path.of(System.getProperty("has.basedir", System.getProperty("user.dir")));
    }

    /** The shaded jar (failsafe's has.jar). */
    static Path jar() {
        Path j = Path.of(System.getProperty("has.jar", "target/has-0.1.0.jar"));
        assumeTrue(Files.exists(j), "no shaded jar at " + j + " (run mvn verify)");
        return j;
    }

    /** Writes a file, wrapping the checked exception. */
    static void write(Path p, String text) {
        try {
            Files.createDirectories(p.getParent());
            Files.writeString(p, text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Reads a file, or "" when it does not exist. */
    static String read(Path p) {
        try {
            return Files.exists(p) ? Files.readString(p) : "";
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
