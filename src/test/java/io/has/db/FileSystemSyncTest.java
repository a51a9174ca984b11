package io.has.db;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FileSystemSyncTest {

    @Test
    void theToolsNoSyncOptionIsAddedUnlessTheUserChoseHowToSync() {
        Optional<String> tool = Optional.of("--no-sync");
        assertEquals(tool, FileSystemSync.noSyncOption(tool, List.of("--encoding=UTF8", "--data-checksums")));
        assertEquals(Optional.empty(), FileSystemSync.noSyncOption(Optional.empty(), List.of()));
        for (String user : List.of("--no-sync", "--nosync", "--sync-only", "--sync-method=fsync", "--sync-method")) {
            assertEquals(Optional.empty(), FileSystemSync.noSyncOption(tool, List.of("--data-checksums", user)), user);
        }
        assertFalse(FileSystemSync.chosenByUser(List.of("--synchronous-commit=off", "--max-rate=10M")));
    }

    @Test
    void theOptionGoesAfterTheUsersOptions() {
        assertEquals(List.of("--max-rate=10M", "--no-sync"),
                FileSystemSync.withOption(List.of("--max-rate=10M"), Optional.of("--no-sync")));
        assertEquals(List.of("--max-rate=10M"), FileSystemSync.withOption(List.of("--max-rate=10M"), Optional.empty()));
    }

    @Test
    void rootsAreTheDataDirectoryAndWhereItsWalAndTablespaceLinksLead(@TempDir Path dir) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Path wal = Files.createDirectories(dir.resolve("wal"));
        Path space = Files.createDirectories(dir.resolve("space"));
        Files.createSymbolicLink(data.resolve("pg_wal"), wal);
        Files.createDirectories(data.resolve("pg_tblspc"));
        Files.createSymbolicLink(data.resolve("pg_tblspc").resolve("16384"), space);
        assertEquals(List.of(data.toRealPath(), wal.toRealPath(), space.toRealPath()), FileSystemSync.roots(data));
        // all three on one file system: one syncfs
        assertEquals(List.of(data.toRealPath()), FileSystemSync.oneForEachFileSystem(FileSystemSync.roots(data)));
    }

    @Test
    void aPlainWalDirectoryIsPartOfTheDataDirectory(@TempDir Path dir) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data"));
        Files.createDirectories(data.resolve("pg_wal"));
        assertEquals(List.of(data.toRealPath()), FileSystemSync.roots(data));
    }

    @Test
    void syncsAWrittenDirectoryAndFailsOnAMissingOne(@TempDir Path dir) throws IOException {
        Path data = Files.createDirectories(dir.resolve("data").resolve("base"));
        Files.writeString(data.resolve("1"), "x");
        FileSystemSync.sync(dir.resolve("data"));
        assertTrue(FileSystemSync.available(), "libc binds on Linux");
        assertThrows(IOException.class, () -> FileSystemSync.sync(dir.resolve("missing")));
    }
}
