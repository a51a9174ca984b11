package io.has.it.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.File;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

/**
 * {@code bench/run --smoke}: the benchmark harness in its tiny mode (HAS only, the bootstrap
 * scenario, profile fast) must start ZooKeeper and a 3-member cluster, measure, write its
 * markdown and JSON results, stop everything it started and exit 0. Keeps the harness from
 * rotting; the real benchmark is run by hand (bench/README.md).
 */
@Timeout(value = 5, unit = TimeUnit.MINUTES)
class BenchSmokeIT {

    private Path work;

    @BeforeEach
    void createWorkDir() throws IOException {
        work = Files.createTempDirectory(Path.of("/tmp"), "has-bench-it-");
        // the daemons run as postgres when we are root: they must traverse it
        Files.setPosixFilePermissions(work, PosixFilePermissions.fromString("rwxr-xr-x"));
    }

    @AfterEach
    void cleanUp() throws IOException {
        for (ProcessHandle h : under(work)) {
            h.destroyForcibly();
        }
        if (!Boolean.getBoolean("has.it.keep")) {
            try (Stream<Path> walk = Files.walk(work)) {
                for (Path p : walk.sorted(Comparator.reverseOrder()).toList()) {
                    Files.deleteIfExists(p);
                }
            }
        }
    }

    @Test
    void smokeRunBootstrapsHasAndWritesResults() throws Exception {
        Path basedir = Path.of(required("has.basedir"));
        Path out = work.resolve("results");
        Path log = work.resolve("bench.log");
        ProcessBuilder pb = new ProcessBuilder(basedir.resolve("bench/run").toString(), "--smoke",
                "--out", out.toString(), "--work-parent", work.toString())
                .redirectErrorStream(true)
                .redirectOutput(log.toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new File("/dev/null")));
        pb.environment().put("HAS_JAR", required("has.jar"));
        Process p = pb.start();
        boolean finished = p.waitFor(4, TimeUnit.MINUTES);
        if (!finished) {
            p.destroy(); // SIGTERM: the harness stops what it started
            p.waitFor(90, TimeUnit.SECONDS);
        }
        String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println("bench/run --smoke output:\n" + output);
        assertTrue(finished, "bench/run --smoke did not finish in 4 minutes");
        assertEquals(0, p.exitValue(), "exit status of bench/run --smoke");

        List<Path> json;
        try (Stream<Path> s = Files.list(out)) {
            json = s.filter(f -> f.getFileName().toString().endsWith("-fast-smoke.json")).toList();
        }
        assertEquals(1, json.size(), "one JSON result in " + out);
        JsonNode doc = new ObjectMapper().readTree(json.get(0).toFile());
        JsonNode run = doc.path("runs").path(0);
        assertEquals("bootstrap", run.path("scenario").asText(), "the smoke scenario in " + doc);
        assertEquals("has", run.path("system").asText());
        assertTrue(run.path("ok").asBoolean(), "bootstrap succeeded: " + run);
        assertTrue(run.path("to_leader").asDouble() > 0, "start → leader measured: " + run);
        assertTrue(run.path("to_all_streaming").asDouble() >= run.path("to_leader").asDouble(),
                "start → all streaming measured: " + run);
        Path md = json.get(0).resolveSibling(json.get(0).getFileName().toString().replace(".json", ".md"));
        String table = Files.readString(md, StandardCharsets.UTF_8);
        assertTrue(table.contains("| metric | HAS | Patroni | ratio | n | spread | target |"), table);
        assertTrue(table.contains("| start → 1 leader + 2 streaming |"), table);

        List<ProcessHandle> left = under(work);
        assertTrue(left.isEmpty(), "bench/run left processes behind: "
                + left.stream().map(h -> h.pid() + " " + h.info().commandLine().orElse("?")).toList());
    }

    private static String required(String key) {
        String v = System.getProperty(key);
        if (v == null || v.isBlank()) {
            throw new IllegalStateException("system property " + key + " is not set (run through mvn verify)");
        }
        return v;
    }

    /** Live, non-zombie processes whose cwd or command line lies under {@code dir}. */
    private static List<ProcessHandle> under(Path dir) {
        String prefix = dir.toAbsolutePath().normalize().toString();
        long self = ProcessHandle.current().pid();
        List<ProcessHandle> found = new ArrayList<>();
        ProcessHandle.allProcesses().forEach(h -> {
            if (h.pid() == self) {
                return;
            }
            Path proc = Path.of("/proc", Long.toString(h.pid()));
            try {
                String stat = Files.readString(proc.resolve("stat"));
                if (stat.substring(stat.lastIndexOf(')') + 2).startsWith("Z")) {
                    return;
                }
                String cwd = "";
                try {
                    cwd = Files.readSymbolicLink(proc.resolve("cwd")).toString();
                } catch (IOException | SecurityException e) {
                    // not readable
                }
                String cmd = new String(Files.readAllBytes(proc.resolve("cmdline")), StandardCharsets.UTF_8)
                        .replace('\0', ' ');
                if (cwd.equals(prefix) || cwd.startsWith(prefix + "/") || cmd.contains(prefix + "/")) {
                    found.add(h);
                }
            } catch (IOException | RuntimeException e) {
                // gone meanwhile
            }
        });
        return found;
    }
}
