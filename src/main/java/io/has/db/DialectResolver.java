package io.has.db;

import io.has.db.postgres.PostgresDialect;
import io.has.process.ProcessRunner;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Picks the {@link Dialect} for the server binaries in a directory once at startup: each known dialect
 * is asked, in order, whether the binaries are its own (it runs its server binary's version command).
 * Only one dialect exists for now.
 */
public final class DialectResolver {

    /** One dialect's detector: the dialect when {@code binDir} holds its binaries, else empty. */
    @FunctionalInterface
    public interface Detector {
        /**
         * @throws DbException when the binaries are this dialect's but not a supported version
         */
        Optional<Dialect> detect(Path binDir, ProcessRunner runner) throws DbException;
    }

    private static final Logger log = LoggerFactory.getLogger(DialectResolver.class);
    private static final List<Detector> DETECTORS = List.of(PostgresDialect::detect);

    private DialectResolver() {
    }

    /**
     * @param binDir directory of the server binaries, or null for the PATH
     * @return the dialect for those binaries
     * @throws DbException when no dialect recognises them
     */
    public static Dialect forBinaries(Path binDir) throws DbException {
        ProcessRunner runner = new ProcessRunner(null, Map.of());
        for (Detector d : DETECTORS) {
            Optional<Dialect> dialect = d.detect(binDir, runner);
            if (dialect.isPresent()) {
                log.info("Using dialect {} (binaries in {})", dialect.get().name(), binDir == null ? "PATH" : binDir);
                return dialect.get();
            }
        }
        throw new DbException("no supported database server binaries found in " + (binDir == null ? "PATH" : binDir));
    }
}
