package io.has.db;

import io.has.config.HasConfig;
import java.nio.file.Path;

/**
 * Where HAS puts a member's files outside the data directory. Everything sits beside the data
 * directory, named after it (siblings in one directory always have different names, so members on
 * one host never clash):
 *
 * <ul>
 *   <li>{@code <data>.sock/}: the unix socket directory (or {@code <tmp>/has-<hash>.sock/} when that
 *       path would be too long for a socket address);
 *   <li>{@code <data>.log}: the server's output before its own logging starts (pg_ctl {@code -l});
 *   <li>{@code <data>.pgpass}: the password file, unless {@code postgresql.pgpass} names one.
 * </ul>
 *
 * @param dataDir   the data directory (absolute)
 * @param socketDir the unix socket directory
 * @param logFile   the server start-up log
 * @param pgpass    the password file HAS writes for its tools and for the server's WAL receiver
 */
public record ServerPaths(Path dataDir, Path socketDir, Path logFile, Path pgpass) {

    /** Socket file names are appended to the directory; keep the whole path well under sun_path's 107. */
    private static final int MAX_SOCKET_DIR_LENGTH = 100 - ".s.PGSQL.65535.lock".length();

    private static final String TEMP_SOCKET_PREFIX = "has-";

    /** The paths for a member's configuration. */
    public static ServerPaths of(HasConfig.Postgresql pg) {
        Path data = pg.dataDir().toAbsolutePath().normalize();
        Path parent = data.getParent() == null ? data : data.getParent();
        String base = data.getFileName() == null ? "data" : data.getFileName().toString();
        Path socket = parent.resolve(base + ".sock");
        if (socket.toString().length() > MAX_SOCKET_DIR_LENGTH) {
            String hash = String.format("%08x", data.toString().hashCode());
            socket = tempDir().resolve(TEMP_SOCKET_PREFIX + hash + ".sock");
        }
        Path pgpass = pg.pgpass() != null ? pg.pgpass().toAbsolutePath() : parent.resolve(base + ".pgpass");
        return new ServerPaths(data, socket, parent.resolve(base + ".log"), pgpass);
    }

    /**
     * Whether the socket directory is the one in the temp directory, made because a directory beside the
     * data directory would give socket paths too long for the kernel.
     */
    public boolean socketDirInTemp() {
        return socketDir.getParent() != null && socketDir.getParent().equals(tempDir())
                && socketDir.getFileName().toString().startsWith(TEMP_SOCKET_PREFIX);
    }

    private static Path tempDir() {
        return Path.of(System.getProperty("java.io.tmpdir")).toAbsolutePath().normalize();
    }
}
