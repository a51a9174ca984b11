package io.has.db;

import static org.awaitility.Awaitility.await;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import io.has.db.postgres.PostgresDialect;
import io.has.process.ProcessRunner;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Is the postmaster alive, asked every HA cycle: against real processes named {@code postgres} (a
 * copy of {@code sleep}) and a real lock file. Once the exit watch holds the process, the answer comes
 * from the watch and the unchanged lock file; these tests pin that the answer stays right when the
 * process dies or the lock file names another process.
 */
class ServerControlTest {

    private static final Duration DEADLINE = Duration.ofSeconds(30);

    @TempDir
    Path dir;

    private final List<Process> children = new ArrayList<>();
    private PostmasterWatch watch;
    private ServerControl control;
    private Path data;
    private Path fakePostgres;

    @BeforeEach
    void setUp() throws IOException {
        data = Files.createDirectory(dir.resolve("data"));
        fakePostgres = dir.resolve("postgres"); // the name the liveness check expects
        Files.copy(Path.of("/bin/sleep"), fakePostgres, StandardCopyOption.COPY_ATTRIBUTES);
        watch = new PostmasterWatch("[test]");
        watch.listen(pid -> { });
        control = new ServerControl(new PostgresDialect(null, 15), new ProcessRunner(null, Map.of()),
                new ServerPaths(data, dir, dir.resolve("log"), dir.resolve("pgpass")), 60, "[test]", watch);
    }

    @AfterEach
    void tearDown() {
        watch.close();
        children.forEach(Process::destroyForcibly);
    }

    @Test
    void aKilledPostmasterIsNotAliveEvenAfterTheWatchHeldIt() throws Exception {
        Process pm = postmaster();
        lockFileNames(pm);
        assertTrue(control.postmasterAlive());
        awaitArmed(pm);
        assertTrue(control.postmasterAlive(), "alive while watched and the lock file is unchanged");
        pm.destroyForcibly();
        pm.waitFor();
        await().atMost(DEADLINE).until(() -> !control.postmasterAlive());
    }

    @Test
    void aRewrittenLockFileIsReadAgain() throws Exception {
        Process first = postmaster();
        lockFileNames(first);
        assertTrue(control.postmasterAlive());
        awaitArmed(first);
        lockFileNames(Integer.MAX_VALUE); // above any pid_max: no such process
        assertFalse(control.postmasterAlive(), "the lock file now names no live process");
        Process second = postmaster();
        lockFileNames(second);
        assertTrue(control.postmasterAlive());
        awaitArmed(second);
        first.destroyForcibly();
        first.waitFor();
        assertTrue(control.postmasterAlive(), "the process the lock file names still runs");
        Files.delete(data.resolve("postmaster.pid"));
        assertFalse(control.postmasterAlive(), "no lock file, no postmaster");
    }

    // ------------------------------------------------------------------------------------------

    private Process postmaster() throws IOException {
        Process p = new ProcessBuilder(fakePostgres.toString(), "600").start();
        children.add(p);
        return p;
    }

    private void lockFileNames(Process p) throws IOException {
        lockFileNames(p.pid());
    }

    private void lockFileNames(long pid) throws IOException {
        Files.writeString(data.resolve("postmaster.pid"), pid + "\n" + data + "\n1700000000\n5432\n");
    }

    private void awaitArmed(Process p) {
        assumeTrue(watch.unavailable() == null, "pidfd watch unavailable here: " + watch.unavailable());
        await().atMost(DEADLINE).until(() -> watch.armedOn(p.toHandle()));
    }
}
