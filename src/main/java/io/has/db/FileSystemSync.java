package io.has.db;

import io.has.util.Libc;
import io.has.util.Threads;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import jnr.ffi.LastError;
import jnr.ffi.Runtime;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Makes a data directory durable with one syncfs(2) per file system it lives on (the data directory,
 * and the WAL directory and tablespaces when they are links to other file systems), as PostgreSQL
 * 16's {@code --sync-method=syncfs} does, instead of initdb's or pg_basebackup's fsync of each of its
 * thousand files. Callers run the tool with its no-sync option and call {@link #sync} before the
 * directory is used or announced, so the node is as durable as before when it reports ready.
 *
 * <p>Where libc cannot be bound (not Linux, a seccomp filter) {@link #sync} falls back to an fsync of
 * every file and directory, as the tools would have done. syncfs(2) reports write-back errors from
 * Linux 5.8 on; before, PostgreSQL's caveat for its syncfs method applies.
 *
 * <p>Thread-safe. jnr-ffi's first binding in a JVM costs about 70 ms of CPU ({@link Libc}):
 * {@link #prepareInBackground} starts it while a tool runs.
 */
final class FileSystemSync {

    private static final Logger log = LoggerFactory.getLogger(FileSystemSync.class);
    private static final int O_RDONLY = 0;
    private static final int O_DIRECTORY = 0x10000; // x86_64 and arm64
    private static final int O_CLOEXEC = 0x80000;

    private static volatile SyncLibC lib; // written once, under FileSystemSync.class
    private static String unavailable; // guarded by FileSystemSync.class: why there is no binding, once known
    private static boolean binding; // guarded by FileSystemSync.class: prepareInBackground started

    private FileSystemSync() {
    }

    /** Binds libc on a background thread (once), so that {@link #available} finds it done. */
    static void prepareInBackground() {
        synchronized (FileSystemSync.class) {
            if (lib != null || unavailable != null || binding) {
                return;
            }
            binding = true;
        }
        Threads.factory("syncfs-bind").newThread(() -> {
            if (available()) {
                // jnr-ffi's reflective binding sets up each call on its first use (~45 ms for the three):
                // calls that can only fail (a bad descriptor, an empty path) do that now
                lib.open("", O_RDONLY | O_DIRECTORY | O_CLOEXEC);
                lib.syncfs(-1);
                lib.close(-1);
            }
        }).start();
    }

    /** True when syncfs(2) can be called (binds libc on first use). */
    static synchronized boolean available() {
        if (lib == null && unavailable == null) {
            try {
                lib = Libc.bind(SyncLibC.class);
            } catch (RuntimeException | LinkageError e) {
                unavailable = e.toString();
                log.info("syncfs(2) unavailable ({}); new data directories are synced file by file", unavailable);
            }
        }
        return lib != null;
    }

    /**
     * The no-sync option to add to a tool's options: the tool's own, unless the user's options choose
     * a sync method themselves. When present, {@link #sync} must follow the tool.
     */
    static Optional<String> noSyncOption(Optional<String> toolOption, List<String> userOptions) {
        return toolOption.filter(o -> !chosenByUser(userOptions));
    }

    /** {@code options} followed by {@code noSync} when present. */
    static List<String> withOption(List<String> options, Optional<String> noSync) {
        if (noSync.isEmpty()) {
            return options;
        }
        List<String> out = new ArrayList<>(options);
        out.add(noSync.get());
        return out;
    }

    /**
     * True when the user's options for the tool (long options, as {@code bootstrap.initdb} and
     * {@code postgresql.basebackup} produce them) already say how or whether to sync: then they are
     * followed as given, and no no-sync option or syncfs is added.
     */
    static boolean chosenByUser(List<String> toolOptions) {
        for (String o : toolOptions) {
            if (o.equals("--no-sync") || o.equals("--nosync") || o.equals("--sync-only")
                    || o.startsWith("--sync-method")) {
                return true;
            }
        }
        return false;
    }

    /**
     * One syncfs(2) per file system of {@code dataDir}, its WAL directory and its tablespaces; without
     * syncfs, an fsync of every file and directory there (what the tools would have done).
     *
     * @throws IOException when a directory cannot be opened or a sync fails (the data is not durable)
     */
    static void sync(Path dataDir) throws IOException {
        long start = System.nanoTime();
        List<Path> roots = roots(dataDir);
        if (!available()) {
            for (Path root : roots) {
                fsyncTree(root);
            }
            log.debug("fsync of every file under {}: {} ms", roots, (System.nanoTime() - start) / 1_000_000);
            return;
        }
        List<Path> fileSystems = oneForEachFileSystem(roots);
        for (Path p : fileSystems) {
            int fd = lib.open(p.toString(), O_RDONLY | O_DIRECTORY | O_CLOEXEC);
            if (fd < 0) {
                throw error("open " + p);
            }
            try {
                if (lib.syncfs(fd) != 0) {
                    throw error("syncfs " + p);
                }
            } finally {
                lib.close(fd);
            }
        }
        log.debug("syncfs of {}: {} ms", fileSystems, (System.nanoTime() - start) / 1_000_000);
    }

    /** The data directory, then where its WAL directory (pg_wal, pg_xlog) and tablespaces lead. */
    static List<Path> roots(Path dataDir) throws IOException {
        Set<Path> dirs = new LinkedHashSet<>(List.of(dataDir.toRealPath()));
        for (String wal : List.of("pg_wal", "pg_xlog")) {
            if (Files.isSymbolicLink(dataDir.resolve(wal))) {
                dirs.add(dataDir.resolve(wal).toRealPath());
            }
        }
        Path tablespaces = dataDir.resolve("pg_tblspc");
        if (Files.isDirectory(tablespaces)) {
            try (DirectoryStream<Path> links = Files.newDirectoryStream(tablespaces)) {
                for (Path link : links) {
                    dirs.add(link.toRealPath());
                }
            }
        }
        return List.copyOf(dirs);
    }

    /** The first of {@code dirs} on each file system (by device number). */
    static List<Path> oneForEachFileSystem(List<Path> dirs) throws IOException {
        Map<Object, Path> byDevice = new LinkedHashMap<>();
        for (Path d : dirs) {
            byDevice.putIfAbsent(Files.getAttribute(d, "unix:dev"), d);
        }
        return List.copyOf(byDevice.values());
    }

    /** fsync(2) of every regular file and directory under {@code root} (links are not followed). */
    private static void fsyncTree(Path root) throws IOException {
        Files.walkFileTree(root, new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) throws IOException {
                if (attrs.isRegularFile()) {
                    fsync(file);
                }
                return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path dir, IOException e) throws IOException {
                if (e != null) {
                    throw e;
                }
                fsync(dir); // after its entries, like initdb
                return FileVisitResult.CONTINUE;
            }
        });
    }

    private static void fsync(Path p) throws IOException {
        try (FileChannel c = FileChannel.open(p, StandardOpenOption.READ)) { // a directory opens read-only on Linux
            c.force(true);
        }
    }

    private static IOException error(String what) {
        int errno = LastError.getLastError(Runtime.getRuntime(lib));
        return new IOException(what + ": " + lib.strerror(errno) + " (errno " + errno + ")");
    }
}
