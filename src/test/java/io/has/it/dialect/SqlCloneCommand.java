package io.has.it.dialect;

import java.nio.file.Files;
import java.nio.file.Path;

/** The {@code create_replica_methods} command line of the SQL clone method, run from the shaded jar. */
final class SqlCloneCommand {

    private SqlCloneCommand() {
    }

    /** {@code <java> -cp <has.jar> io.has.db.replica.SqlClone}; the jar comes from the {@code has.jar} property. */
    static String command() {
        String jar = System.getProperty("has.jar");
        if (jar == null || !Files.isRegularFile(Path.of(jar))) {
            throw new IllegalStateException("the shaded jar (system property has.jar) is missing: run mvn verify");
        }
        Path java = Path.of(System.getProperty("java.home"), "bin", "java");
        return java + " -cp " + jar + " io.has.db.replica.SqlClone";
    }
}
