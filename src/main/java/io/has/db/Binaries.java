package io.has.db;

import io.has.process.ProcessResult;
import io.has.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Where a dialect finds its programs: a directory (or the PATH) plus Patroni's
 * {@code postgresql.bin_name} overrides, keyed by the PostgreSQL tool name ({@code pg_ctl},
 * {@code initdb}, {@code pg_controldata}, {@code pg_basebackup}, {@code postgres}, {@code pg_rewind}).
 * An override may be a bare name (looked up in the directory) or an absolute path (used as is, for
 * example a newer {@code pg_basebackup} from another installation). Immutable apart from a cache of
 * {@code --version} outputs; thread-safe.
 */
public final class Binaries {

    private final Path binDir;
    private final Map<String, String> names;
    private final Map<String, Optional<String>> versions = new ConcurrentHashMap<>();

    /**
     * @param binDir directory of the programs, or null for the PATH
     * @param names  overrides: PostgreSQL tool name to program name or absolute path
     */
    public Binaries(Path binDir, Map<String, String> names) {
        this.binDir = binDir;
        this.names = Map.copyOf(names);
    }

    /** Programs in {@code binDir} (or on the PATH when null) under their default names. */
    public static Binaries in(Path binDir) {
        return new Binaries(binDir, Map.of());
    }

    public Path binDir() {
        return binDir;
    }

    /**
     * The program to run for a tool.
     *
     * @param tool        the PostgreSQL name of the tool (the key of {@code bin_name})
     * @param defaultName the dialect's own name for it ({@code gs_ctl} for {@code pg_ctl})
     */
    public String program(String tool, String defaultName) {
        String name = names.getOrDefault(tool, defaultName);
        if (name.startsWith("/") || binDir == null) {
            return name;
        }
        return binDir.resolve(name).toString();
    }

    /** True when the program is known to exist: an executable file, or (on the PATH) assumed so. */
    public boolean exists(String tool, String defaultName) {
        String p = program(tool, defaultName);
        return !p.contains("/") || Files.isExecutable(Path.of(p));
    }

    /**
     * The first line of {@code <program> --version}, or empty when it cannot be run; cached per
     * program.
     */
    public Optional<String> version(String tool, String defaultName) {
        String p = program(tool, defaultName);
        if (!exists(tool, defaultName)) {
            return Optional.empty(); // dialect detection asks for vastbase and gaussdb first: no spawn for nothing
        }
        return versions.computeIfAbsent(p, k -> {
            try {
                ProcessResult r = new ProcessRunner(null, Map.of("LC_MESSAGES", "C"))
                        .run(List.of(k, "--version"), Duration.ofSeconds(10));
                return r.ok() ? r.stdout().lines().findFirst() : Optional.empty();
            } catch (IOException e) {
                return Optional.empty();
            }
        });
    }

    @Override
    public String toString() {
        return (binDir == null ? "PATH" : binDir.toString()) + (names.isEmpty() ? "" : " " + names);
    }
}
